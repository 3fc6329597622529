using System.Buffers.Binary;
using System.IO.Compression;

namespace EdgeLearn.Data.Datasets;

/// <summary>Reader of the IDX files of the original MNIST and Fashion-MNIST distributions (<c>*-images-idx3-ubyte</c>, <c>*-labels-idx1-ubyte</c>), plain or gzip-compressed.</summary>
/// <remarks>
/// Format (LeCun et al., "THE MNIST DATABASE"): a 4-byte magic <c>00 00 08 NDIM</c> (0x08 = unsigned byte), NDIM big-endian
/// int32 dimensions, then the values in row-major order. Images have NDIM = 3 (count, rows, columns), labels NDIM = 1.
/// </remarks>
public static class IdxFormat
{
    /// <summary>Reads an image file and its label file into a dataset.</summary>
    /// <param name="imagesPath">Path of the idx3-ubyte file, optionally gzip-compressed (detected from its first bytes).</param>
    /// <param name="labelsPath">Path of the matching idx1-ubyte file, optionally gzip-compressed.</param>
    /// <param name="name">Name for the dataset.</param>
    /// <param name="dataset">The dataset when the files are valid.</param>
    /// <param name="error">A one-line reason when they are not.</param>
    /// <returns>Whether the files were read.</returns>
    public static bool TryRead(string imagesPath, string labelsPath, string name, out ImageDataset? dataset, out string? error)
    {
        dataset = null;
        byte[] images, labels;
        try
        {
            images = ReadMaybeGzip(imagesPath);
            labels = ReadMaybeGzip(labelsPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            error = $"Unable to read IDX files: {e.Message}";
            return false;
        }

        return TryParse(images, labels, name, out dataset, out error);
    }

    /// <summary>Finds the image and label files of an IDX prefix: <c>PREFIX-images-idx3-ubyte</c> and
    /// <c>PREFIX-labels-idx1-ubyte</c>, with <c>.</c> instead of the last <c>-</c> and optionally <c>.gz</c>.</summary>
    /// <param name="prefix">Path and name prefix, e.g. <c>data/train</c>.</param>
    /// <param name="imagesPath">The image file when found.</param>
    /// <param name="labelsPath">The label file when found.</param>
    /// <returns>Whether both files exist.</returns>
    public static bool TryFindFiles(string prefix, out string imagesPath, out string labelsPath)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        foreach (string suffix in new[] { "", ".gz" })
        {
            foreach (string separator in new[] { "-", "." })
            {
                imagesPath = $"{prefix}-images{separator}idx3-ubyte{suffix}";
                labelsPath = $"{prefix}-labels{separator}idx1-ubyte{suffix}";
                if (File.Exists(imagesPath) && File.Exists(labelsPath))
                {
                    return true;
                }
            }
        }

        imagesPath = labelsPath = string.Empty;
        return false;
    }

    /// <summary>Parses IDX image and label bytes (already decompressed) into a dataset.</summary>
    /// <param name="images">Bytes of an idx3-ubyte file.</param>
    /// <param name="labels">Bytes of an idx1-ubyte file.</param>
    /// <param name="name">Name for the dataset.</param>
    /// <param name="dataset">The dataset when the bytes are valid.</param>
    /// <param name="error">A one-line reason when they are not.</param>
    /// <returns>Whether the bytes were parsed.</returns>
    public static bool TryParse(ReadOnlySpan<byte> images, ReadOnlySpan<byte> labels, string name, out ImageDataset? dataset, out string? error)
    {
        dataset = null;
        if (!TryHeader(images, 3, "images", out int[] imageDims, out error) ||
            !TryHeader(labels, 1, "labels", out int[] labelDims, out error))
        {
            return false;
        }

        int count = imageDims[0], height = imageDims[1], width = imageDims[2];
        if (labelDims[0] != count)
        {
            error = $"Unable to read IDX files because the image file holds {count} images and the label file {labelDims[0]} labels; they must match.";
            return false;
        }

        long pixelCount = (long)count * height * width;
        ReadOnlySpan<byte> pixelBytes = images[(4 + 4 * 3)..];
        ReadOnlySpan<byte> labelBytes = labels[(4 + 4)..];
        if (pixelBytes.Length < pixelCount || labelBytes.Length < count)
        {
            error = $"Unable to read IDX files because they are truncated: {pixelBytes.Length} of {pixelCount} pixel bytes, {labelBytes.Length} of {count} label bytes.";
            return false;
        }

        byte[] labelArray = labelBytes[..count].ToArray();
        int maxLabel = 0;
        foreach (byte b in labelArray)
        {
            maxLabel = Math.Max(maxLabel, b);
        }

        float[] pixels = Internal.PixelCodec.ToUnit(pixelBytes[..(int)pixelCount]);
        dataset = new ImageDataset(name, width, height, 1, Math.Max(10, maxLabel + 1), pixels, labelArray);
        error = null;
        return true;
    }

    /// <summary>Reads a whole file, decompressing it when it starts with the gzip magic bytes 1F 8B.</summary>
    internal static byte[] ReadMaybeGzip(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1F || raw[1] != 0x8B)
        {
            return raw;
        }

        using var input = new MemoryStream(raw);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(raw.Length * 4);
        gzip.CopyTo(output);
        return output.ToArray();
    }

    private static bool TryHeader(ReadOnlySpan<byte> bytes, int expectedDims, string what, out int[] dims, out string? error)
    {
        dims = [];
        if (bytes.Length < 4 + 4 * expectedDims)
        {
            error = $"Unable to read the IDX {what} file because it has only {bytes.Length} bytes; the header alone needs {4 + 4 * expectedDims}.";
            return false;
        }

        if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08 || bytes[3] != expectedDims)
        {
            error = $"Unable to read the IDX {what} file because its magic is {bytes[0]:X2} {bytes[1]:X2} {bytes[2]:X2} {bytes[3]:X2}; it must be 00 00 08 {expectedDims:X2} (unsigned bytes, {expectedDims} dimensions).";
            return false;
        }

        dims = new int[expectedDims];
        for (int d = 0; d < expectedDims; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.Slice(4 + 4 * d, 4));
            if (dims[d] < 1)
            {
                error = $"Unable to read the IDX {what} file because dimension {d} is {dims[d]}; it must be positive.";
                return false;
            }
        }

        error = null;
        return true;
    }
}
