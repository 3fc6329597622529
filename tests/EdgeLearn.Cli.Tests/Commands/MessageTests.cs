using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Cli.Tests.Commands;

/// <summary>Error messages name the option and what is wrong with it.</summary>
public sealed class MessageTests
{
    [Fact]
    public void Train_InitFromAFolder_Exit2SaysItIsAFolder()
    {
        using var folder = new TempFolder();

        var result = CliRunner.Run("train", "--dataset", "synthetic", "--init-from", folder.Path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"--init-from is '{folder.Path}', a folder; it must be a weights file (e.g. {Path.Combine(folder.Path, "model-final.bin")}).", result.SingleErrorLine());
    }

    [Fact]
    public void DataInfo_CacheIsAFile_Exit2()
    {
        using var folder = new TempFolder();
        string file = folder.Write("f.json", "{}");

        var result = CliRunner.Run("data", "info", "--cache", file);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"--cache is '{file}', a file; it must be a folder path (the dataset cache).", result.SingleErrorLine());
        Assert.DoesNotContain("No datasets cached", result.Output);
    }

    [Fact]
    public void Plan_ArgumentsAfterDoubleDash_Exit2NamingThem()
    {
        using var folder = new TempFolder();
        string scenario = folder.Write("f.json", ScenarioJson.Serialize(DefaultScenario.Create()));

        var result = CliRunner.Run("plan", "--", "--scenario", scenario);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"Arguments after '--' are not used: '--scenario {scenario}'; remove the '--' (edgelearn takes no arguments after it).", result.SingleErrorLine());
        Assert.Empty(result.Output);
    }

    [Fact]
    public void TrainHelp_Out_SaysAnEarlierOutputNeedsForce()
    {
        var result = CliRunner.Run("train", "--help");

        Assert.Contains("--force", result.Output[result.Output.IndexOf("--out", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.DoesNotContain("which is replaced)", result.Output, StringComparison.Ordinal);
    }
}
