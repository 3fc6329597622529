using System.Text.Json.Nodes;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;

namespace EdgeLearn.Cli.Tests.Commands.Planning;

public class CompareCommandTests
{
    [Fact]
    public void Compare_DefaultWithJson_WritesEveryPlanJointFirstAndBest()
    {
        using var folder = new TempFolder();
        var path = folder.File("plans.json");

        var result = CliRunner.Run("compare", "--json", path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var array = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        Assert.Equal(SchemeNames.All.Select(s => s.ToName()), array.Select(e => (string?)e!["scheme"]));
        var joint = (double)array[0]!["predicted"]!["bound"]!;
        foreach (var plan in array)
        {
            Assert.True(joint <= (double)plan!["predicted"]!["bound"]! * (1 + 1e-12), $"{plan["scheme"]} beats joint");
            Assert.True((int)plan["finetuneRounds"]! >= 1);
        }

        foreach (var name in SchemeNames.All)
        {
            Assert.Contains(name.ToName(), result.Output);
        }

        Assert.Contains("0.00 %", result.Output); // joint against itself
        Assert.Equal($"Wrote {SchemeNames.All.Count} plans as a JSON array to {path}.", result.SingleErrorLine());
    }

    [Fact]
    public void Compare_EverySchemeInfeasible_Exit3WithRowsSayingSo()
    {
        using var folder = new TempFolder();
        var scenario = PlanningTestData.TinyEnergyScenario(folder);
        var json = folder.File("plans.json");

        var result = CliRunner.Run("compare", "--scenario", scenario, "--json", json);

        Assert.Equal(ExitCodes.Infeasible, result.ExitCode);
        Assert.Contains("infeasible (energy budget)", result.Output);
        Assert.Equal(SchemeNames.All.Count + 1, result.ErrorLines.Length);
        Assert.StartsWith("joint is infeasible: the energy budget binds", result.ErrorLines[0]);
        Assert.Equal("Unable to compare: no scheme has a plan that fits the budgets.", result.ErrorLines[^1]);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void Compare_EmptyJsonPath_Exit2()
    {
        var result = CliRunner.Run("compare", "--json", "");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("--json is empty; it must be a file path.", result.SingleErrorLine());
    }
}
