using System.Reflection;
using EdgeLearn.Cli.Infrastructure;

namespace EdgeLearn.Cli.Tests;

/// <summary>The app as a whole: --version, the global --quiet, options without their values, branches without a command.</summary>
public class EdgeLearnAppTests
{
    [Fact]
    public void Version_PrintsTheAssemblysInformationalVersionExit0()
    {
        var expected = typeof(EdgeLearnApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var result = CliRunner.Run("--version");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Empty(result.ErrorLines);
        Assert.Equal(expected, result.Output.Trim());
        Assert.StartsWith("0.", expected, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--quiet scenario generate --devices 2 --seed 1 --out OUT")]
    [InlineData("scenario generate --devices 2 --seed 1 --out OUT -q")]
    [InlineData("scenario generate -q --devices 2 --seed 1 --out OUT")]
    public void Quiet_AnywhereOnTheLine_LeavesOutStatusLines(string commandLine)
    {
        using var folder = new TempFolder();
        var path = folder.File("g.json");

        var result = CliRunner.Run(commandLine.Replace("OUT", path, StringComparison.Ordinal).Split(' '));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Empty(result.ErrorLines);
        Assert.Empty(result.Output);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Quiet_KeepsResultsAndErrors()
    {
        var plan = CliRunner.Run("plan", "--quiet");
        var bad = CliRunner.Run("plan", "--quiet", "--scheme", "foo");

        Assert.Equal(ExitCodes.Ok, plan.ExitCode);
        Assert.Contains("Rounds and server", plan.Output);
        Assert.Equal(ExitCodes.BadInput, bad.ExitCode);
        Assert.StartsWith("--scheme is foo; it must be one of", bad.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plan --scheme", "--scheme needs a value (--scheme NAME)")]
    [InlineData("plan --json", "--json needs a value (--json FILE)")]
    [InlineData("plan --scheme --json x.json", "--scheme needs a value (--scheme NAME)")]
    [InlineData("compare --scenario", "--scenario needs a value (--scenario FILE)")]
    [InlineData("scenario generate --seed 1 --devices", "--devices needs a value (--devices K)")]
    [InlineData("data shift --samples --json x.json", "--samples needs a value (--samples N)")]
    [InlineData("train --out --quiet", "--out needs a value")]
    public void OptionWithoutItsValue_SaysItNeedsOneExit2(string commandLine, string expected)
    {
        var result = CliRunner.Run(commandLine.Split(' '));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith(expected, result.SingleErrorLine(), StringComparison.Ordinal);
        Assert.DoesNotContain("__default_command", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.False(File.Exists("__default_command"));
    }

    [Fact]
    public void NegativeNumber_IsAValueNotAnOption()
    {
        var result = CliRunner.Run("data", "shift", "--rotate", "-30", "--dataset", "foo");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith("--dataset is 'foo'", result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("scenario", "validate")]
    [InlineData("data", "shift")]
    public void BranchWithoutCommand_PrintsItsHelpToStderrExit2(string branch, string subCommand)
    {
        var result = CliRunner.Run(branch);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Contains(result.ErrorLines, l => l.StartsWith("USAGE:", StringComparison.Ordinal));
        Assert.Contains(result.ErrorLines, l => l.StartsWith(subCommand, StringComparison.Ordinal));
    }
}
