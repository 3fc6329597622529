using System.Buffers.Binary;
using System.Security.Cryptography;

namespace EdgeLearn.Learning.Tests;

public class ModelFileTests
{
    private static readonly MlpOptions SmallMlp = new() { InputSize = 12, HiddenSizes = [5, 4], ClassCount = 3 };

    private static readonly LeNetOptions SmallLeNet = new() { Channels = 1, ImageSize = 12, Conv1Filters = 2, Conv2Filters = 3, HiddenUnits = 7, ClassCount = 4 };

    [Fact]
    public void Mlp_RoundTrip_SameArchitectureAndBitIdenticalParameters()
    {
        Network mlp = Mlp.Create(3, SmallMlp);
        var architecture = ModelArchitecture.Of(SmallMlp);

        var read = ModelFile.Deserialize(ModelFile.Serialize(architecture, mlp.Parameters));

        Assert.Equal(architecture, read.Architecture);
        Assert.Equal("mlp 12-5-4-3", read.Architecture.ToString());
        Assert.Equal(mlp.Parameters.ToArray(), read.Parameters.ToArray());
        Assert.Empty(ModelFile.Mismatches(read, architecture, mlp.ParameterCount));
    }

    [Fact]
    public void LeNet_RoundTrip_RebuildsTheSameNetwork()
    {
        Network cnn = LeNet.Create(5, SmallLeNet);
        var architecture = ModelArchitecture.Of(SmallLeNet);

        var read = ModelFile.Deserialize(ModelFile.Serialize(architecture, cnn.Parameters));
        Network rebuilt = read.Architecture.Create(seed: 99);
        read.Parameters.Span.CopyTo(rebuilt.Parameters);

        Assert.Equal(architecture, read.Architecture);
        Assert.Equal(cnn.ParameterCount, rebuilt.ParameterCount);
        Assert.Equal(cnn.Parameters.ToArray(), rebuilt.Parameters.ToArray());
    }

    [Fact]
    public void Serialize_LayoutIsTheDocumentedOne()
    {
        float[] parameters = [1f, -2.5f];
        var architecture = ModelArchitecture.Of(new MlpOptions { InputSize = 3, HiddenSizes = [4], ClassCount = 2 });

        byte[] bytes = ModelFile.Serialize(architecture, parameters);

        Assert.Equal("ELMODEL\0"u8.ToArray(), bytes[..8]);
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal([3, 1, 1], [BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(20)), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24))]);
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(28)));
        Assert.Equal(4, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(32)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(36)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(40)));
        Assert.Equal(1f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(44)));
        Assert.Equal(-2.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(48)));
        Assert.Equal(52 + 32, bytes.Length);
        Assert.Equal(SHA256.HashData(bytes.AsSpan(0, 52)), bytes[52..]);
    }

    [Fact]
    public void Serialize_NonFiniteParameter_Refused()
    {
        var architecture = ModelArchitecture.Of(SmallMlp);
        float[] parameters = Mlp.Create(1, SmallMlp).Parameters.ToArray();
        parameters[7] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => ModelFile.Serialize(architecture, parameters));
        Assert.Contains("Parameter 7", error.Message);
    }

    [Theory]
    [InlineData(0, "truncated")]
    [InlineData(5, "truncated")]
    [InlineData(31, "truncated")]
    [InlineData(40, "truncated: it holds 40 bytes")]
    [InlineData(-1, "truncated")]
    public void Deserialize_Truncated_OneLineSaysSo(int length, string expected)
    {
        byte[] bytes = Valid();
        int keep = length < 0 ? bytes.Length - 1 : length;

        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Deserialize(bytes.AsSpan(0, keep)));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Deserialize_WrongMagic_NotAWeightsFile()
    {
        byte[] bytes = Valid();
        bytes[0] = (byte)'X';

        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Deserialize(bytes));

        Assert.Contains("not an EdgeLearn weights file", error.Message);
    }

    [Fact]
    public void Deserialize_OtherVersion_NamesIt()
    {
        byte[] bytes = Valid();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 7);

        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Deserialize(bytes));

        Assert.Equal("its format version is 7; this build reads version 1.", error.Message);
    }

    [Fact]
    public void Deserialize_FlippedParameterBit_ChecksumMismatch()
    {
        byte[] bytes = Valid();
        bytes[60] ^= 0x10;

        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Deserialize(bytes));

        Assert.Contains("checksum does not match", error.Message);
    }

    [Fact]
    public void Deserialize_TrailingBytes_Refused()
    {
        byte[] bytes = [.. Valid(), 0];

        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Deserialize(bytes));

        Assert.Contains("1 more than", error.Message);
    }

    [Fact]
    public void Deserialize_AbsurdHeader_RefusedWithoutAllocating()
    {
        byte[] bytes = Valid();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(28), 100_000);

        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Deserialize(bytes));

        Assert.Contains("100000 layer sizes", error.Message);
    }

    [Fact]
    public void Deserialize_UnknownKindWithValidChecksum_Refused()
    {
        byte[] bytes = Valid();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), 9);
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));

        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Deserialize(bytes));

        Assert.Contains("model kind is 9", error.Message);
    }

    [Fact]
    public void Mismatches_OtherHiddenSizes_NamesThem()
    {
        var weights = ModelFile.Deserialize(Valid());
        var wanted = ModelArchitecture.Of(SmallMlp with { HiddenSizes = [6] });

        var differences = ModelFile.Mismatches(weights, wanted, Mlp.Create(1, SmallMlp with { HiddenSizes = [6] }).ParameterCount);

        Assert.Equal(["hidden sizes 5,4 instead of 6"], differences);
    }

    [Fact]
    public void Mismatches_OtherFamilyInputAndClasses_NamesWhatDiffers()
    {
        var weights = ModelFile.Deserialize(Valid());

        Assert.Equal(["model mlp instead of lenet"], ModelFile.Mismatches(weights, ModelArchitecture.Of(SmallLeNet), 1));
        Assert.Equal(["input size 12 instead of 64", "3 classes instead of 10"],
            ModelFile.Mismatches(weights, ModelArchitecture.Of(SmallMlp with { InputSize = 64, ClassCount = 10 }), 1));
    }

    private static byte[] Valid() => ModelFile.Serialize(ModelArchitecture.Of(SmallMlp), Mlp.Create(2, SmallMlp).Parameters);
}
