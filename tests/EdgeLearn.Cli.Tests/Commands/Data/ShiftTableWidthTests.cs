using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Cli.Tests.Training;

namespace EdgeLearn.Cli.Tests.Commands.Data;

/// <summary><c>data shift</c> prints its measurement as a table that fits an 80-column terminal.</summary>
public class ShiftTableWidthTests
{
    [Fact]
    public void Shift_LabelTermAndLargeDistances_ATableThatFits80()
    {
        using var cache = DataCommandTests.CachedMnist(800);

        var result = CliRunner.RunAtWidth(80, "data", "shift", "--cache", cache.Path, "--samples", "50", "--repeats", "2", "--label-weight", "1000000");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.StartsWith("W1(P0, P) = ", result.Output, StringComparison.Ordinal);
        Assert.Contains("general vs task", result.Output);
        Assert.Contains("╭", result.Output);
        TrainingTableWidthTests.AssertFits(result.Output);
    }
}
