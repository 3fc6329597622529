using EdgeLearn.Data.Datasets;

namespace EdgeLearn.Data.Tests.Datasets;

public sealed class UserIdxDatasetTests
{
    /// <summary>Writes count 4x4 images whose pixels are the image's index, labels i % classes.</summary>
    private static void Write(string prefix, int count, int classes, bool gzip = false)
    {
        byte[] pixels = Enumerable.Range(0, count * 16).Select(i => (byte)(i / 16)).ToArray();
        byte[] labels = Enumerable.Range(0, count).Select(i => (byte)(i % classes)).ToArray();
        byte[] images = TestData.Idx(3, [count, 4, 4], pixels), labelBytes = TestData.Idx(1, [count], labels);
        string suffix = gzip ? ".gz" : "";
        File.WriteAllBytes($"{prefix}-images-idx3-ubyte{suffix}", gzip ? TestData.Gzip(images) : images);
        File.WriteAllBytes($"{prefix}-labels-idx1-ubyte{suffix}", gzip ? TestData.Gzip(labelBytes) : labelBytes);
    }

    [Fact]
    public void TryLoad_OnePrefix_SplitsStratifiedTwentyPercent()
    {
        using var folder = new TempFolder();
        Write(folder.File("mine"), 100, 4, gzip: true);

        Assert.True(UserIdxDataset.TryLoad("idx:" + folder.File("mine"), out DatasetSplit? split, out string? error), error);

        Assert.Equal(80, split!.Train.Count);
        Assert.Equal(20, split.Test.Count);
        Assert.Equal([5, 5, 5, 5], split.Test.ClassCounts().Take(4));
        Assert.Equal(4, split.Train.Width);
    }

    [Fact]
    public void TryLoad_TwoPrefixes_TrainAndTestAsGiven()
    {
        using var folder = new TempFolder();
        Write(folder.File("train"), 60, 3);
        Write(folder.File("test"), 15, 3);

        Assert.True(UserIdxDataset.TryLoad($"idx:{folder.File("train")},{folder.File("test")}", out DatasetSplit? split, out string? error), error);

        Assert.Equal(60, split!.Train.Count);
        Assert.Equal(15, split.Test.Count);
        Assert.Equal(split.Train.ClassCount, split.Test.ClassCount);
    }

    [Theory]
    [InlineData("idx:", "non-empty prefixes")]
    [InlineData("idx:a,b,c", "non-empty prefixes")]
    [InlineData("idx:missing", "no IDX files missing-images-idx3-ubyte")]
    public void TryCheck_Bad_OneLineNamingTheRule(string dataset, string expected)
    {
        Assert.False(UserIdxDataset.TryCheck(dataset, out string? error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.True(UserIdxDataset.IsUserDataset(dataset));
        Assert.False(UserIdxDataset.IsUserDataset("mnist"));
    }

    [Fact]
    public void TryLoad_CorruptLabels_ReportsTheMismatch()
    {
        using var folder = new TempFolder();
        Write(folder.File("x"), 10, 2);
        File.WriteAllBytes(folder.File("x-labels-idx1-ubyte"), TestData.Idx(1, [9], new byte[9]));

        Assert.False(UserIdxDataset.TryLoad("idx:" + folder.File("x"), out _, out string? error));
        Assert.Contains("10 images and the label file 9 labels", error, StringComparison.Ordinal);
    }
}
