using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Data.Cache;
using EdgeLearn.Training;

namespace EdgeLearn.Cli.Tests.Commands.Data;

public class DataCommandTests
{
    [Fact]
    public void Fetch_FromLocalIdxFiles_StatusLineOnStderrNothingOnStdout()
    {
        using var folder = new TempFolder();
        var images = SyntheticImages.Create(new SyntheticImagesOptions { Size = 28, TrainCount = 400, TestCount = 100, Seed = 1 }).Ordered("mnist");
        string prefix = IdxFiles.Write(folder.File("digits"), images);

        var result = CliRunner.Run("data", "fetch", "mnist", "--from", prefix + "-images-idx3-ubyte", "--cache", folder.File("cache"));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.StartsWith("Cached mnist: 500 images 28x28", result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void Shift_WithJson_ResultOnStdoutStatusOnStderrQuietDropsTheStatus()
    {
        using var cache = CachedMnist(800);
        string json = cache.File("shift.json");

        var result = CliRunner.Run("data", "shift", "--cache", cache.Path, "--samples", "50", "--repeats", "2", "--json", json);
        var quiet = CliRunner.Run("data", "shift", "--cache", cache.Path, "--samples", "50", "--repeats", "2", "--json", json, "--quiet");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.StartsWith("W1(P0, P) = ", result.Output, StringComparison.Ordinal);
        Assert.Equal($"Wrote the shift report to {json}.", result.SingleErrorLine());
        Assert.Equal(ExitCodes.Ok, quiet.ExitCode);
        Assert.Empty(quiet.ErrorLines);
        Assert.Equal(result.Output, quiet.Output);
    }

    /// <summary>A cache folder holding made-up 28x28 images under the name mnist (80 % train).</summary>
    internal static TempFolder CachedMnist(int count)
    {
        var cache = new TempFolder();
        var split = SyntheticImages.Create(new SyntheticImagesOptions { Size = 28, TrainCount = count * 4 / 5, TestCount = count / 5, Seed = 4 });
        DatasetCache.Write(DatasetCache.PathFor(cache.Path, "mnist"), split.Ordered("mnist"), split.Train.Count);
        return cache;
    }
}
