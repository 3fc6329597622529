using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using EdgeLearn.Data.Datasets;

namespace EdgeLearn.Data.Tests;

/// <summary>Synthetic datasets and fixtures shared by the tests (no network, fixed seeds).</summary>
internal static class TestData
{
    /// <summary>Images whose first two pixels encode the image index, so identity survives copying.</summary>
    public static ImageDataset Indexed(int count, int classCount, int width = 4, int height = 1, string name = "synthetic")
    {
        var pixels = new float[count * width * height];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            pixels[i * width * height] = (i % 256) / 255f;
            pixels[i * width * height + 1] = (i / 256) / 255f;
            labels[i] = (byte)(i % classCount);
        }

        return new ImageDataset(name, width, height, 1, classCount, pixels, labels);
    }

    /// <summary>Index encoded by <see cref="Indexed"/>.</summary>
    public static int IndexOf(ImageDataset set, int image)
    {
        ReadOnlySpan<float> p = set.Image(image);
        return (int)Math.Round(p[0] * 255) + 256 * (int)Math.Round(p[1] * 255);
    }

    /// <summary>Size x size images of a Gaussian blob (sigma 1.5 px) at radius size/4 from the centre, at angle 90 deg x class, with jitter.</summary>
    public static ImageDataset Blobs(int count, int size, int seed, string name = "blobs")
    {
        var random = new Random(seed);
        var pixels = new float[count * size * size];
        var labels = new byte[count];
        double c = (size - 1) / 2.0, radius = size / 4.0;
        for (int i = 0; i < count; i++)
        {
            int label = random.Next(4);
            labels[i] = (byte)label;
            double angle = label * Math.PI / 2 + (random.NextDouble() - 0.5) * 0.1;
            double bx = c + radius * Math.Cos(angle), by = c - radius * Math.Sin(angle);
            for (int r = 0; r < size; r++)
            {
                for (int col = 0; col < size; col++)
                {
                    double d2 = (col - bx) * (col - bx) + (r - by) * (r - by);
                    pixels[i * size * size + r * size + col] = (float)Math.Exp(-d2 / (2 * 1.5 * 1.5));
                }
            }
        }

        return new ImageDataset(name, size, size, 1, 4, pixels, labels);
    }

    /// <summary>Random 8-bit images (pixels are multiples of 1/255, so they survive the cache exactly).</summary>
    public static ImageDataset RandomBytes(int count, int width, int height, int classCount, int seed, string name = "random")
    {
        var random = new Random(seed);
        var bytes = new byte[count * width * height];
        random.NextBytes(bytes);
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)random.Next(classCount);
        }

        return new ImageDataset(name, width, height, 1, classCount, Internal.PixelCodec.ToUnit(bytes), labels);
    }

    /// <summary>A known dataset of tiny images for fixture packages.</summary>
    public static KnownDataset TinyKnown(int expectedCount) =>
        new("tiny", "tiny-pkg", "1.0.0", "package/src/digits", expectedCount, 2, 2, ["a", "b"], 0.25, 7);

    /// <summary>Class files in the mnist layout (flat unit floats, 3 decimals) for <see cref="TinyKnown"/>: class c has c + 3 images.</summary>
    public static Dictionary<string, string> TinyClassFiles(out byte[][] expected)
    {
        var files = new Dictionary<string, string>();
        expected = new byte[2][];
        for (int c = 0; c < 2; c++)
        {
            int images = c + 3;
            expected[c] = new byte[images * 4];
            var values = new List<string>();
            for (int k = 0; k < expected[c].Length; k++)
            {
                byte b = (byte)((k * 37 + c * 101) % 256);
                expected[c][k] = b;
                values.Add(Math.Round(b / 255.0, 3).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            files[$"{c}.json"] = "{ \"data\": [" + string.Join(",", values) + "] }";
        }

        return files;
    }

    /// <summary>Writes an npm-style .tgz holding the given files under <c>package/src/digits/</c>.</summary>
    public static void WriteTarball(string path, Dictionary<string, string> classFiles)
    {
        using FileStream file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Ustar);
        var readme = new UstarTarEntry(TarEntryType.RegularFile, "package/README.md") { DataStream = new MemoryStream("hi"u8.ToArray()) };
        tar.WriteEntry(readme);
        foreach (var (name, json) in classFiles)
        {
            var entry = new UstarTarEntry(TarEntryType.RegularFile, "package/src/digits/" + name)
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(json)),
            };
            tar.WriteEntry(entry);
        }
    }

    /// <summary>IDX bytes of images (count x rows x cols) or labels.</summary>
    public static byte[] Idx(byte dims, int[] shape, byte[] values)
    {
        var bytes = new List<byte> { 0, 0, 8, dims };
        foreach (int s in shape)
        {
            bytes.AddRange([(byte)(s >> 24), (byte)(s >> 16), (byte)(s >> 8), (byte)s]);
        }

        bytes.AddRange(values);
        return bytes.ToArray();
    }

    /// <summary>Gzip-compresses bytes.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }
}

/// <summary>A temporary folder deleted at dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "edgelearn-data-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
