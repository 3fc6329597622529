using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace EdgeLearn.Learning;

/// <summary>A model's parameters together with the architecture they belong to (what <see cref="ModelFile"/> stores).</summary>
/// <param name="Architecture">The architecture.</param>
/// <param name="Parameters">The flat parameter vector, in the layout of <see cref="Network.Parameters"/>.</param>
public sealed record ModelWeights(ModelArchitecture Architecture, ReadOnlyMemory<float> Parameters);

/// <summary>
/// The weights file of docs/formats.md ("Model weights"): a small little-endian binary format holding a model's
/// architecture and its float32 parameters, closed by a SHA-256 of everything before it.
/// </summary>
/// <remarks>
/// Layout (every integer a little-endian int32 unless said otherwise):
/// <code>
/// offset  size  field
/// 0       8     magic: the ASCII bytes "ELMODEL" and a 0 byte
/// 8       4     format version: 1
/// 12      4     model kind: 1 = mlp, 2 = lenet (<see cref="ModelFamily"/>)
/// 16      12    input shape: channels, height, width (an MLP's is n, 1, 1)
/// 28      4     L, the number of layer sizes (1 to 64)
/// 32      4·L   the layer sizes (<see cref="ModelArchitecture.LayerSizes"/>)
/// 32+4L   4     P, the number of parameters (at least 1)
/// 36+4L   4·P   the parameters, IEEE 754 float32 little-endian, in the layout of <see cref="Network.Parameters"/>
/// 36+4L+4P 32   SHA-256 of bytes 0 … 36+4L+4P−1
/// </code>
/// A reader refuses a file that is too short or too long, has another magic or version, a checksum that does not match,
/// an invalid architecture, or a parameter that is not a finite number, with one line saying which.
/// </remarks>
public static class ModelFile
{
    /// <summary>The format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The largest number of layer sizes a file may announce.</summary>
    public const int MaxLayerSizes = 64;

    private const int HeaderBytes = 32;
    private const int ChecksumBytes = 32;

    /// <summary>The first eight bytes of every weights file: "ELMODEL" and a 0 byte.</summary>
    public static ReadOnlySpan<byte> Magic => "ELMODEL\0"u8;

    /// <summary>The bytes of a weights file.</summary>
    /// <param name="architecture">The architecture the parameters belong to.</param>
    /// <param name="parameters">The parameters (at least one, all finite).</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="ArgumentException">No parameters, or one that is not finite.</exception>
    public static byte[] Serialize(ModelArchitecture architecture, ReadOnlySpan<float> parameters)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (parameters.IsEmpty)
        {
            throw new ArgumentException("A model has at least one parameter.", nameof(parameters));
        }

        int bad = IndexOfNonFinite(parameters);
        if (bad >= 0)
        {
            throw new ArgumentException(FormattableString.Invariant($"Parameter {bad} is {parameters[bad]}; only finite parameters are saved."), nameof(parameters));
        }

        int layers = architecture.LayerSizes.Count;
        int body = HeaderBytes + (4 * layers) + 4 + (4 * parameters.Length);
        var bytes = new byte[body + ChecksumBytes];
        Span<byte> span = bytes;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], (int)architecture.Family);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], architecture.Input.Channels);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], architecture.Input.Height);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], architecture.Input.Width);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], layers);
        int offset = HeaderBytes;
        foreach (int size in architecture.LayerSizes)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[offset..], size);
            offset += 4;
        }

        BinaryPrimitives.WriteInt32LittleEndian(span[offset..], parameters.Length);
        offset += 4;
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(parameters).CopyTo(span[offset..]);
        }
        else
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(span[(offset + (4 * i))..], parameters[i]);
            }
        }

        SHA256.HashData(span[..body], span[body..]);
        return bytes;
    }

    /// <summary>Reads the bytes of a weights file.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <returns>The architecture and the parameters.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a valid weights file; the message is one line saying why
    /// (truncated, not a weights file, another version, a checksum that does not match, an invalid architecture, a
    /// parameter that is not finite).</exception>
    public static ModelWeights Deserialize(ReadOnlySpan<byte> bytes)
    {
        const int smallest = HeaderBytes + 4 + 4 + 4 + ChecksumBytes;
        if (bytes.Length >= Magic.Length && !bytes[..Magic.Length].SequenceEqual(Magic))
        {
            throw Invalid("it is not an EdgeLearn weights file (it does not start with the bytes \"ELMODEL\\0\")");
        }

        if (bytes.Length < HeaderBytes)
        {
            throw Invalid($"it is truncated: it holds {bytes.Length} bytes, and a weights file holds at least {smallest}");
        }

        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        if (version != FormatVersion)
        {
            throw Invalid($"its format version is {version}; this build reads version {FormatVersion}");
        }

        int layers = BinaryPrimitives.ReadInt32LittleEndian(bytes[28..]);
        if (layers is < 1 or > MaxLayerSizes)
        {
            throw Invalid($"its header announces {layers} layer sizes; it must be 1 to {MaxLayerSizes} (the file is corrupt)");
        }

        int countOffset = HeaderBytes + (4 * layers);
        if (bytes.Length < countOffset + 4)
        {
            throw Invalid($"it is truncated: it holds {bytes.Length} bytes, and its header alone takes {countOffset + 4}");
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes[countOffset..]);
        long expected = countOffset + 4 + (4L * count) + ChecksumBytes;
        if (count < 1)
        {
            throw Invalid($"its header announces {count} parameters; it must be at least 1 (the file is corrupt)");
        }

        if (bytes.Length < expected)
        {
            throw Invalid($"it is truncated: it holds {bytes.Length} bytes, and its header announces {expected} ({count} parameters)");
        }

        if (bytes.Length > expected)
        {
            throw Invalid($"it holds {bytes.Length} bytes, {bytes.Length - expected} more than the {expected} its header announces (the file is corrupt)");
        }

        int body = (int)expected - ChecksumBytes;
        Span<byte> hash = stackalloc byte[ChecksumBytes];
        SHA256.HashData(bytes[..body], hash);
        if (!hash.SequenceEqual(bytes[body..]))
        {
            throw Invalid("its SHA-256 checksum does not match its contents (the file is corrupt)");
        }

        var family = (ModelFamily)BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        var input = new TensorShape(
            BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]), BinaryPrimitives.ReadInt32LittleEndian(bytes[20..]), BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]));
        var sizes = new int[layers];
        for (int i = 0; i < layers; i++)
        {
            sizes[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(HeaderBytes + (4 * i))..]);
        }

        if (!ModelArchitecture.TryCreate(family, input, sizes, out var architecture, out string? error))
        {
            throw Invalid(error!);
        }

        var parameters = new float[count];
        ReadOnlySpan<byte> data = bytes.Slice(countOffset + 4, 4 * count);
        if (BitConverter.IsLittleEndian)
        {
            data.CopyTo(MemoryMarshal.AsBytes(parameters.AsSpan()));
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                parameters[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]);
            }
        }

        int bad = IndexOfNonFinite(parameters);
        if (bad >= 0)
        {
            throw Invalid($"parameter {bad} is not a finite number");
        }

        return new ModelWeights(architecture!, parameters);
    }

    /// <summary>Reads a weights file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The architecture and the parameters.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid weights file (one line saying why).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ModelWeights Read(string path) => Deserialize(File.ReadAllBytes(path));

    /// <summary>Checks that weights fit a network: the same architecture and parameter count.</summary>
    /// <param name="weights">The weights.</param>
    /// <param name="expected">The architecture wanted.</param>
    /// <param name="parameterCount">The parameters of the network wanted.</param>
    /// <returns>What differs, one phrase each; empty when the weights fit.</returns>
    public static IReadOnlyList<string> Mismatches(ModelWeights weights, ModelArchitecture expected, int parameterCount)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var differences = new List<string>(weights.Architecture.Differences(expected));
        if (differences.Count == 0 && weights.Parameters.Length != parameterCount)
        {
            differences.Add(string.Create(CultureInfo.InvariantCulture, $"{weights.Parameters.Length} parameters instead of {parameterCount}"));
        }

        return differences;
    }

    private static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static InvalidDataException Invalid(string why) => new(why + ".");
}
