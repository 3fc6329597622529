using EdgeLearn.Federation.Protocol;

namespace EdgeLearn.Federation.Tests.Protocol;

public sealed class PackedFloatsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(101_770)] // the default scenario's 784-128-10 MLP: 407,080 bytes on the wire
    public void EncodeThenDecode_AnyFiniteVector_IsBitIdentical(int length)
    {
        var random = new Random(length + 1);
        float[] values = [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30))))];
        if (length > 0)
        {
            values[0] = -0f;
            values[^1] = float.Epsilon;
        }

        byte[] bytes = PackedFloats.Encode(values);
        var back = new float[length];

        Assert.Equal(4 * length, bytes.Length);
        Assert.True(PackedFloats.TryDecode(bytes, back, out string? reason), reason);
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), back.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Encode_IsLittleEndian()
    {
        Assert.Equal([0x00, 0x00, 0x80, 0x3F], PackedFloats.Encode([1f]));
    }

    [Theory]
    [InlineData(11, "it holds 11 float32 values (44 bytes); the model has 10 parameters (40 bytes).")]
    [InlineData(0, "it holds 0 float32 values (0 bytes); the model has 10 parameters (40 bytes).")]
    public void TryDecode_WrongLength_IsRefusedWithTheSizes(int count, string message)
    {
        Assert.False(PackedFloats.TryDecode(new byte[4 * count], new float[10], out string? reason));
        Assert.Equal(message, reason);
    }

    [Fact]
    public void TryDecode_PartialValue_IsRefused()
    {
        Assert.False(PackedFloats.TryDecode(new byte[41], new float[10], out string? reason));
        Assert.StartsWith("it is 41 bytes, not a whole number of float32 values", reason);
    }

    [Theory]
    [InlineData(float.NaN, "value 3 is NaN; every value must be finite.")]
    [InlineData(float.PositiveInfinity, "value 3 is +infinity; every value must be finite.")]
    [InlineData(float.NegativeInfinity, "value 3 is -infinity; every value must be finite.")]
    public void TryDecode_NonFiniteValue_IsRefusedNamingIt(float bad, string message)
    {
        float[] values = [1, 2, 3, bad, 5];

        Assert.False(PackedFloats.TryDecode(PackedFloats.Encode(values), new float[5], out string? reason));
        Assert.Equal(message, reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)] // inside the vectorised part
    [InlineData(1000)]
    [InlineData(1026)] // in the scalar tail after the last whole vector
    public void TryDecode_TheFirstNonFiniteValueAnywhere_IsNamedByItsIndex(int index)
    {
        var values = Enumerable.Range(0, 1027).Select(i => (float)Math.Sin(i) * 1e30f).ToArray();
        values[index] = float.NegativeInfinity;
        if (index + 3 < values.Length)
        {
            values[index + 3] = float.NaN; // a later one is not the one named
        }

        Assert.False(PackedFloats.TryDecode(PackedFloats.Encode(values), new float[values.Length], out string? reason));
        Assert.Equal($"value {index} is -infinity; every value must be finite.", reason);
    }

    [Fact]
    public void Encode_IntoABufferOfTheWrongSize_Throws()
    {
        var buffer = new byte[10];
        PackedFloats.Encode([1f, 2f], buffer.AsSpan(0, 8));

        Assert.Equal(PackedFloats.Encode([1f, 2f]), buffer[..8]);
        Assert.Throws<ArgumentException>(() => PackedFloats.Encode([1f, 2f], buffer));
    }

    [Fact]
    public void MatchesUploadBits_TheDefaultScenarioModel()
    {
        Assert.True(PackedFloats.MatchesUploadBits(101_770, 101_770 * 32.0));
        Assert.False(PackedFloats.MatchesUploadBits(101_770, 101_771 * 32.0));
    }
}
