using EdgeLearn.Data.Cache;
using EdgeLearn.Data.Datasets;

namespace EdgeLearn.Data.Tests.Cache;

public class DatasetCacheTests
{
    [Fact]
    public void WriteThenTryRead_RoundTripsExactly()
    {
        using var folder = new TempFolder();
        ImageDataset set = TestData.RandomBytes(50, 7, 5, 6, seed: 1, name: "round");
        string path = DatasetCache.PathFor(Path.Combine(folder.Path, "sub"), "round");

        CacheEntry entry = DatasetCache.Write(path, set, trainCount: 40);
        Assert.True(DatasetCache.TryRead(path, out CachedDataset? cached, out string? error), error);

        Assert.Equal((50, 40, 7, 5, 1, 6), (entry.Count, entry.TrainCount, entry.Width, entry.Height, entry.Channels, entry.ClassCount));
        Assert.Equal(new FileInfo(path).Length, entry.SizeBytes);
        Assert.Equal(set.Pixels.ToArray(), cached!.All.Pixels.ToArray());
        Assert.Equal(set.Labels.ToArray(), cached.All.Labels.ToArray());
        Assert.Equal("round", cached.All.Name);
        Assert.Equal((40, 10), (cached.Split.Train.Count, cached.Split.Test.Count));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary file left
    }

    [Fact]
    public void TryRead_CorruptOrTruncated_ErrorValue()
    {
        using var folder = new TempFolder();
        string path = folder.File("c.elds");
        DatasetCache.Write(path, TestData.RandomBytes(10, 4, 4, 2, seed: 2), 8);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[100] ^= 1;
        File.WriteAllBytes(folder.File("flipped.elds"), bytes);
        File.WriteAllBytes(folder.File("short.elds"), bytes[..^5]);
        File.WriteAllText(folder.File("junk.elds"), "not a cache");

        Assert.False(DatasetCache.TryRead(folder.File("flipped.elds"), out _, out string? flipped));
        Assert.False(DatasetCache.TryRead(folder.File("short.elds"), out _, out string? truncated));
        Assert.False(DatasetCache.TryRead(folder.File("junk.elds"), out _, out string? junk));
        Assert.False(DatasetCache.TryRead(folder.File("missing.elds"), out _, out string? missing));

        Assert.Contains("checksum", flipped);
        Assert.Contains("bytes; its header implies", truncated);
        Assert.Contains("magic", junk);
        Assert.NotNull(missing);
    }

    [Fact]
    public void List_MixedFolder_ValidEntriesAndProblems()
    {
        using var folder = new TempFolder();
        DatasetCache.Write(DatasetCache.PathFor(folder.Path, "b"), TestData.RandomBytes(3, 2, 2, 2, 1, "b"), 2);
        DatasetCache.Write(DatasetCache.PathFor(folder.Path, "a"), TestData.RandomBytes(4, 2, 2, 2, 1, "a"), 3);
        File.WriteAllText(folder.File("bad.elds"), "x");
        File.WriteAllText(folder.File("other.txt"), "x");

        IReadOnlyList<CacheEntry> entries = DatasetCache.List(folder.Path, out IReadOnlyList<string> problems);

        Assert.Equal(["a", "b"], entries.Select(e => e.Name));
        Assert.Single(problems);
        Assert.Empty(DatasetCache.List(folder.File("none"), out _));
    }

    [Fact]
    public void ResolveDirectory_Explicit_WinsOverDefault() =>
        Assert.Equal(Path.GetFullPath("/tmp/some/cache"), DatasetCache.ResolveDirectory("/tmp/some/cache"));
}
