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

    [Fact]
    public void Shift_Json_RecordsItsProvenanceWithoutAScenario()
    {
        using var cache = CachedMnist(800);
        string json = cache.File("shift.json");

        var result = CliRunner.Run("data", "shift", "--cache", cache.Path, "--samples", "50", "--repeats", "2", "--rotate", "30", "--json", json);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var provenance = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(json))!["provenance"]!;
        Assert.Equal("shift", (string?)provenance["command"]);
        Assert.Equal("mnist", (string?)provenance["dataset"]);
        Assert.Null(provenance["scenarioSha256"]);
        Assert.Equal(30.0, (double)provenance["options"]!["--rotate"]!);
        Assert.Contains("--rotate", provenance["arguments"]!.AsArray().Select(a => (string?)a));
    }

    [Theory]
    [InlineData("pixels", 160)]   // 640 training images: 320 general, two disjoint samples of 160
    [InlineData("features", 80)]  // half of the general images train the feature network
    public void Shift_MoreSamplesThanTheDataHolds_Exit2NamingTheLargestAllowed(string space, int largest)
    {
        using var cache = CachedMnist(800);

        var result = CliRunner.Run("data", "shift", "--cache", cache.Path, "--samples", "5000", "--space", space);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith($"--samples is 5000; it must be at most {largest} for mnist here", result.SingleErrorLine(), StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Info_TruncatedOrCorruptCache_ReportedAsCorruptNotListed()
    {
        using var truncated = CachedMnist(200);
        using var corrupt = CachedMnist(200);
        string cut = DatasetCache.PathFor(truncated.Path, "mnist"), flipped = DatasetCache.PathFor(corrupt.Path, "mnist");
        byte[] bytes = File.ReadAllBytes(cut);
        File.WriteAllBytes(cut, bytes[..^100]);
        bytes[^200] ^= 0xFF;
        File.WriteAllBytes(flipped, bytes);

        var whole = CliRunner.Run("data", "info", "--cache", CachedMnistPath(out var fine));
        var a = CliRunner.Run("data", "info", "--cache", truncated.Path);
        var b = CliRunner.Run("data", "info", "--cache", corrupt.Path);
        fine.Dispose();

        Assert.Equal(ExitCodes.Ok, whole.ExitCode);
        Assert.Contains("mnist", whole.Output);
        Assert.Empty(whole.ErrorLines);
        Assert.Matches("^The cache file .* \\(mnist\\) is corrupt: it has .* bytes, and its header implies .* \\(truncated\\)\\. Fetch the dataset again\\.$", a.SingleErrorLine());
        Assert.DoesNotContain("mnist", a.Output);
        Assert.Matches("^The cache file .* \\(mnist\\) is corrupt: its checksum does not match\\.", b.SingleErrorLine());
        Assert.DoesNotContain("mnist", b.Output);
    }

    private static string CachedMnistPath(out TempFolder folder)
    {
        folder = CachedMnist(200);
        return folder.Path;
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
