using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace EdgeLearn.Federation.Protocol;

/// <summary>
/// Models and gradients on the wire (docs/federation.md): packed float32, little-endian, the parameters in the engine's
/// order, so a model of P parameters is 4P bytes and its size in bits is the scenario's <c>model.uploadBits</c>. A
/// received vector is checked before use: its length, and that every value is finite.
/// </summary>
public static class PackedFloats
{
    /// <summary>Bytes of one parameter.</summary>
    public const int BytesPerValue = sizeof(float);

    /// <summary>The bytes of <paramref name="values"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * BytesPerValue];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(bytes);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * BytesPerValue), values[i]);
            }
        }

        return bytes;
    }

    /// <summary>Reads <paramref name="bytes"/> into <paramref name="values"/> when they are exactly
    /// <c>values.Length</c> finite float32 values; otherwise says why not and leaves <paramref name="values"/> unspecified.</summary>
    /// <param name="bytes">What arrived.</param>
    /// <param name="values">Where the parameters go; its length is the model's parameter count.</param>
    /// <param name="reason">Why the bytes were refused: the wrong length, or the first non-finite value.</param>
    /// <returns>Whether the bytes are a valid vector.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, Span<float> values, out string? reason)
    {
        if (bytes.Length != values.Length * BytesPerValue)
        {
            reason = bytes.Length % BytesPerValue == 0
                ? $"it holds {bytes.Length / BytesPerValue} float32 values ({bytes.Length} bytes); the model has {values.Length} parameters ({values.Length * BytesPerValue} bytes)."
                : $"it is {bytes.Length} bytes, not a whole number of float32 values; the model has {values.Length} parameters ({values.Length * BytesPerValue} bytes).";
            return false;
        }

        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * BytesPerValue)..]);
            }
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                reason = $"value {i} is {(float.IsNaN(values[i]) ? "NaN" : values[i] > 0 ? "+infinity" : "-infinity")}; every value must be finite.";
                return false;
            }
        }

        reason = null;
        return true;
    }

    /// <summary>Whether a model of <paramref name="parameters"/> float32 values has the scenario's upload size
    /// <paramref name="uploadBits"/> (S = 32 P).</summary>
    public static bool MatchesUploadBits(long parameters, double uploadBits) => parameters * 8L * BytesPerValue == uploadBits;
}
