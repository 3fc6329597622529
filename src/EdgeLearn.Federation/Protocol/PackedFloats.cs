using System.Buffers.Binary;
using System.Numerics;
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
        Encode(values, bytes);
        return bytes;
    }

    /// <summary>Writes the bytes of <paramref name="values"/> into <paramref name="bytes"/> (4 per value), for a buffer
    /// reused round after round.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 4 bytes per value.</exception>
    public static void Encode(ReadOnlySpan<float> values, Span<byte> bytes)
    {
        if (bytes.Length != values.Length * BytesPerValue)
        {
            throw new ArgumentException($"the buffer has {bytes.Length} bytes; {values.Length} values need {values.Length * BytesPerValue}.", nameof(bytes));
        }

        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(bytes);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes[(i * BytesPerValue)..], values[i]);
            }
        }
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

        int bad = FirstNonFinite(values);
        if (bad >= 0)
        {
            reason = $"value {bad} is {(float.IsNaN(values[bad]) ? "NaN" : values[bad] > 0 ? "+infinity" : "-infinity")}; every value must be finite.";
            return false;
        }

        reason = null;
        return true;
    }

    /// <summary>The index of the first NaN or infinity (all exponent bits set), or −1; SIMD over whole vectors.</summary>
    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        const uint exponent = 0x7F80_0000;
        ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(values);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var mask = new Vector<uint>(exponent);
            for (; i <= bits.Length - Vector<uint>.Count; i += Vector<uint>.Count)
            {
                if (Vector.EqualsAny(new Vector<uint>(bits[i..]) & mask, mask))
                {
                    break;
                }
            }
        }

        for (; i < bits.Length; i++)
        {
            if ((bits[i] & exponent) == exponent)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether a model of <paramref name="parameters"/> float32 values has the scenario's upload size
    /// <paramref name="uploadBits"/> (S = 32 P).</summary>
    public static bool MatchesUploadBits(long parameters, double uploadBits) => parameters * 8L * BytesPerValue == uploadBits;
}
