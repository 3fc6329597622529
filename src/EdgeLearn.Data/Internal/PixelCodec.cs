using System.Numerics.Tensors;

namespace EdgeLearn.Data.Internal;

/// <summary>Conversions between 8-bit pixels (0..255) and unit floats (0..1).</summary>
internal static class PixelCodec
{
    /// <summary>destination[i] = source[i] / 255.</summary>
    public static void ToUnit(ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("destination is shorter than source.", nameof(destination));
        }

        Span<float> target = destination[..source.Length];
        TensorPrimitives.ConvertChecked(source, target);
        TensorPrimitives.Divide(target, 255f, target);
    }

    /// <summary>A new float buffer with bytes / 255.</summary>
    public static float[] ToUnit(ReadOnlySpan<byte> source)
    {
        var result = new float[source.Length];
        ToUnit(source, result);
        return result;
    }

    /// <summary>destination[i] = round(clamp(source[i], 0, 1) * 255).</summary>
    public static void ToBytes(ReadOnlySpan<float> source, Span<byte> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("destination is shorter than source.", nameof(destination));
        }

        for (int i = 0; i < source.Length; i++)
        {
            float v = source[i] * 255f;
            destination[i] = v <= 0 ? (byte)0 : v >= 255f ? (byte)255 : (byte)MathF.Round(v);
        }
    }
}
