using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EdgeLearn.Data.Datasets;

namespace EdgeLearn.Data.Cache;

/// <summary>The compact binary dataset cache: one <c>NAME.elds</c> file per dataset, written atomically and checksummed.</summary>
/// <remarks>
/// Layout (little-endian): magic <c>ELDS</c>; uint16 version (1); uint16 header length H; int32 count, train count,
/// width, height, channels, class count; int32 name length and the UTF-8 name; then count x width x height x channels
/// pixel bytes (value = byte / 255), count label bytes, and finally the SHA-256 of everything before it (32 bytes).
/// The training part is the first <c>trainCount</c> images.
/// </remarks>
public static class DatasetCache
{
    /// <summary>File extension of cache files.</summary>
    public const string Extension = ".elds";

    /// <summary>Current format version.</summary>
    public const int FormatVersion = 1;

    /// <summary>Environment variable that overrides the default cache folder.</summary>
    public const string EnvironmentVariable = "EDGELEARN_CACHE";

    private const int FixedHeaderLength = 4 + 2 + 2 + 6 * 4 + 4;
    private const int ChecksumLength = 32;
    private static ReadOnlySpan<byte> Magic => "ELDS"u8;

    /// <summary>The cache folder to use: <paramref name="explicitDirectory"/> if given, else <c>$EDGELEARN_CACHE</c>, else <c>~/.cache/edgelearn</c>.</summary>
    /// <param name="explicitDirectory">A folder chosen by the user (for example <c>--cache DIR</c>), or null.</param>
    public static string ResolveDirectory(string? explicitDirectory = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return Path.GetFullPath(explicitDirectory);
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "edgelearn");
    }

    /// <summary>Path of the cache file of dataset <paramref name="name"/> in <paramref name="directory"/>.</summary>
    /// <param name="directory">Cache folder.</param>
    /// <param name="name">Dataset name, for example <c>mnist</c>.</param>
    public static string PathFor(string directory, string name) => Path.Combine(directory, name + Extension);

    /// <summary>Writes a dataset to <paramref name="path"/> atomically (temporary file in the same folder, then rename).</summary>
    /// <param name="path">Destination file; its folder is created if missing.</param>
    /// <param name="dataset">Images: the training part first, then the test part. Pixels are quantized to 8 bits.</param>
    /// <param name="trainCount">Number of training images; 0 to <c>dataset.Count</c>.</param>
    /// <returns>The entry describing the written file.</returns>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static CacheEntry Write(string path, ImageDataset dataset, int trainCount)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfNegative(trainCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(trainCount, dataset.Count);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                byte[] name = Encoding.UTF8.GetBytes(dataset.Name);
                var header = new byte[FixedHeaderLength + name.Length];
                Magic.CopyTo(header);
                BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), FormatVersion);
                BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), checked((ushort)header.Length));
                int[] fields = [dataset.Count, trainCount, dataset.Width, dataset.Height, dataset.Channels, dataset.ClassCount, name.Length];
                for (int f = 0; f < fields.Length; f++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8 + 4 * f), fields[f]);
                }

                name.CopyTo(header.AsSpan(FixedHeaderLength));
                WriteHashed(stream, hash, header);

                var chunk = new byte[1 << 20];
                ReadOnlySpan<float> pixels = dataset.Pixels;
                for (int start = 0; start < pixels.Length; start += chunk.Length)
                {
                    int length = Math.Min(chunk.Length, pixels.Length - start);
                    Internal.PixelCodec.ToBytes(pixels.Slice(start, length), chunk);
                    WriteHashed(stream, hash, chunk.AsSpan(0, length));
                }

                WriteHashed(stream, hash, dataset.Labels);
                stream.Write(hash.GetHashAndReset());
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        return new CacheEntry(dataset.Name, fullPath, dataset.Count, trainCount, dataset.Width, dataset.Height,
            dataset.Channels, dataset.ClassCount, new FileInfo(fullPath).Length);
    }

    /// <summary>Reads a cache file and verifies its checksum.</summary>
    /// <param name="path">Cache file.</param>
    /// <param name="dataset">The dataset when the file is valid.</param>
    /// <param name="error">A one-line reason when it is missing, truncated, of another version or corrupt.</param>
    /// <returns>Whether the file was read.</returns>
    public static bool TryRead(string path, out CachedDataset? dataset, out string? error)
    {
        dataset = null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"Unable to read the cache file {path}: {e.Message}";
            return false;
        }

        if (!TryParseHeader(bytes, path, bytes.LongLength, out CacheEntry? entry, out int headerLength, out error))
        {
            return false;
        }

        long pixelCount = (long)entry!.Count * entry.Width * entry.Height * entry.Channels;
        long expected = headerLength + pixelCount + entry.Count + ChecksumLength;
        if (bytes.LongLength != expected)
        {
            error = $"Unable to read the cache file {path} because it has {bytes.LongLength} bytes; its header implies {expected}. Fetch the dataset again.";
            return false;
        }

        ReadOnlySpan<byte> body = bytes.AsSpan(0, (int)(expected - ChecksumLength));
        Span<byte> actual = stackalloc byte[ChecksumLength];
        SHA256.HashData(body, actual);
        if (!actual.SequenceEqual(bytes.AsSpan(body.Length, ChecksumLength)))
        {
            error = $"Unable to read the cache file {path} because its checksum does not match (the file is corrupt). Fetch the dataset again.";
            return false;
        }

        float[] pixels = Internal.PixelCodec.ToUnit(bytes.AsSpan(headerLength, (int)pixelCount));
        byte[] labels = bytes.AsSpan(headerLength + (int)pixelCount, entry.Count).ToArray();
        foreach (byte label in labels)
        {
            if (label >= entry.ClassCount)
            {
                error = $"Unable to read the cache file {path} because a label is {label}; it must be below the class count {entry.ClassCount}.";
                return false;
            }
        }

        var all = new ImageDataset(entry.Name, entry.Width, entry.Height, entry.Channels, entry.ClassCount, pixels, labels);
        dataset = new CachedDataset(all, entry.TrainCount);
        error = null;
        return true;
    }

    /// <summary>Reads only the header of a cache file.</summary>
    /// <param name="path">Cache file.</param>
    /// <param name="entry">What the file holds when its header is valid.</param>
    /// <param name="error">A one-line reason when not.</param>
    /// <returns>Whether the header was read.</returns>
    public static bool TryReadHeader(string path, out CacheEntry? entry, out string? error)
    {
        entry = null;
        try
        {
            using FileStream stream = File.OpenRead(path);
            var buffer = new byte[Math.Min(stream.Length, FixedHeaderLength + 4096)];
            stream.ReadExactly(buffer);
            return TryParseHeader(buffer, path, stream.Length, out entry, out _, out error);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"Unable to read the cache file {path}: {e.Message}";
            return false;
        }
    }

    /// <summary>Checks a whole cache file without decoding it: its length against its header and its checksum.</summary>
    /// <param name="path">Cache file.</param>
    /// <param name="entry">Its header, already read.</param>
    /// <param name="error">"The cache file … is corrupt: …" when it is truncated, too long or its checksum does not match.</param>
    /// <returns>Whether the file is whole.</returns>
    public static bool TryVerify(string path, CacheEntry entry, out string? error)
    {
        ArgumentNullException.ThrowIfNull(entry);
        error = null;
        try
        {
            using FileStream stream = File.OpenRead(path);
            var header = new byte[Math.Min(stream.Length, FixedHeaderLength + 4096)];
            stream.ReadExactly(header);
            if (!TryParseHeader(header, path, stream.Length, out _, out int headerLength, out error))
            {
                return false;
            }

            long expected = headerLength + ((long)entry.Count * entry.Width * entry.Height * entry.Channels) + entry.Count + ChecksumLength;
            if (stream.Length != expected)
            {
                error = $"The cache file {path} ({entry.Name}) is corrupt: it has {stream.Length} bytes, and its header implies {expected} ({(stream.Length < expected ? "truncated" : "extra bytes")}). Fetch the dataset again.";
                return false;
            }

            stream.Position = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 20];
            long left = expected - ChecksumLength;
            while (left > 0)
            {
                int read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                hash.AppendData(buffer, 0, read);
                left -= read;
            }

            var stored = new byte[ChecksumLength];
            stream.ReadExactly(stored);
            if (!hash.GetHashAndReset().AsSpan().SequenceEqual(stored))
            {
                error = $"The cache file {path} ({entry.Name}) is corrupt: its checksum does not match. Fetch the dataset again.";
                return false;
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"Unable to read the cache file {path}: {e.Message}";
            return false;
        }
    }

    /// <summary>Lists the datasets cached in <paramref name="directory"/>; files that fail to parse, and, with
    /// <paramref name="verify"/>, files that are truncated or corrupt (<see cref="TryVerify"/>), are reported in
    /// <paramref name="problems"/> instead.</summary>
    /// <param name="directory">Cache folder; a missing folder holds nothing.</param>
    /// <param name="problems">One line per unreadable or corrupt cache file.</param>
    /// <param name="verify">Whether every file's length and checksum are checked (reads each file once).</param>
    /// <returns>The valid entries, ordered by name.</returns>
    public static IReadOnlyList<CacheEntry> List(string directory, out IReadOnlyList<string> problems, bool verify = false)
    {
        var entries = new List<CacheEntry>();
        var errors = new List<string>();
        if (Directory.Exists(directory))
        {
            foreach (string path in Directory.EnumerateFiles(directory, "*" + Extension).Order(StringComparer.Ordinal))
            {
                if (TryReadHeader(path, out CacheEntry? entry, out string? error) && (!verify || TryVerify(path, entry!, out error)))
                {
                    entries.Add(entry!);
                }
                else
                {
                    errors.Add(error!);
                }
            }
        }

        problems = errors;
        return entries;
    }

    private static void WriteHashed(Stream stream, IncrementalHash hash, ReadOnlySpan<byte> bytes)
    {
        stream.Write(bytes);
        hash.AppendData(bytes);
    }

    private static bool TryParseHeader(ReadOnlySpan<byte> bytes, string path, long fileLength, out CacheEntry? entry, out int headerLength, out string? error)
    {
        entry = null;
        headerLength = 0;
        if (bytes.Length < FixedHeaderLength || !bytes[..4].SequenceEqual(Magic))
        {
            error = $"Unable to read the cache file {path} because it is not an EdgeLearn dataset cache (magic ELDS missing).";
            return false;
        }

        int version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (version != FormatVersion)
        {
            error = $"Unable to read the cache file {path} because its format version is {version}; this build reads version {FormatVersion}. Fetch the dataset again.";
            return false;
        }

        headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
        Span<int> f = stackalloc int[7];
        for (int i = 0; i < f.Length; i++)
        {
            f[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(8 + 4 * i)..]);
        }

        int count = f[0], train = f[1], width = f[2], height = f[3], channels = f[4], classes = f[5], nameLength = f[6];
        if (count < 0 || train < 0 || train > count || width < 1 || height < 1 || channels < 1 || classes < 1 || classes > 256 ||
            nameLength < 0 || FixedHeaderLength + nameLength != headerLength || bytes.Length < headerLength)
        {
            error = $"Unable to read the cache file {path} because its header is inconsistent. Fetch the dataset again.";
            return false;
        }

        string name = Encoding.UTF8.GetString(bytes.Slice(FixedHeaderLength, nameLength));
        entry = new CacheEntry(name, Path.GetFullPath(path), count, train, width, height, channels, classes, fileLength);
        error = null;
        return true;
    }
}
