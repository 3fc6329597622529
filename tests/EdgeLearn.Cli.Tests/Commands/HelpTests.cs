using EdgeLearn.Cli.Infrastructure;

namespace EdgeLearn.Cli.Tests.Commands;

/// <summary>Every command of the tree answers <c>--help</c> with its usage (option texts are Spectre markup, so a
/// stray bracket in a description would crash the help screen).</summary>
public class HelpTests
{
    [Theory]
    [InlineData("plan")]
    [InlineData("compare")]
    [InlineData("evaluate")]
    [InlineData("calibrate")]
    [InlineData("train")]
    [InlineData("data")]
    [InlineData("data fetch")]
    [InlineData("data info")]
    [InlineData("data shift")]
    [InlineData("scenario generate")]
    public void Help_EveryCommand_PrintsUsageExit0(string command)
    {
        var result = CliRunner.Run([.. command.Split(' '), "--help"]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Empty(result.ErrorLines);
        Assert.Contains("USAGE:", result.Output);
        Assert.Contains("OPTIONS:", result.Output);
    }
}
