namespace EdgeLearn.Learning;

/// <summary>Shape of one sample's activation, channel-major (C, H, W); vectors use (n, 1, 1).</summary>
/// <param name="Channels">Channel count; at least 1.</param>
/// <param name="Height">Rows; at least 1.</param>
/// <param name="Width">Columns; at least 1.</param>
public readonly record struct TensorShape(int Channels, int Height, int Width)
{
    /// <summary>Elements per sample: C·H·W.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>A flat vector shape (n, 1, 1).</summary>
    /// <param name="length">Element count; at least 1.</param>
    /// <returns>The shape (length, 1, 1).</returns>
    public static TensorShape Vector(int length) => new(length, 1, 1);
}
