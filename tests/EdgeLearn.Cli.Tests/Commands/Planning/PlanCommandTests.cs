using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;

namespace EdgeLearn.Cli.Tests.Commands.Planning;

public class PlanCommandTests(PlanningTestData data) : IClassFixture<PlanningTestData>
{
    [Fact]
    public void Plan_DefaultWithJson_Exit0AndWritesTheContractFields()
    {
        Assert.Equal(ExitCodes.Ok, data.PlanRun.ExitCode);
        var node = data.Plan();

        Assert.Equal("joint", (string?)node["scheme"]);
        Assert.True((int)node["pretrainRounds"]! > 0);
        Assert.True((int)node["finetuneRounds"]! > 0);
        Assert.True((int)node["server"]!["batch"]! >= 1);
        Assert.True((double)node["server"]!["frequencyHz"]! > 0);
        var devices = node["devices"]!.AsArray();
        Assert.Equal(10, devices.Count);
        foreach (var device in devices)
        {
            Assert.Equal(["id", "batch", "frequencyHz", "powerW"], device!.AsObject().Select(p => p.Key));
        }

        Assert.Equal(["delayS", "energyJ", "bound", "lowerBound", "gap"], node["predicted"]!.AsObject().Select(p => p.Key));
        Assert.True((double)node["predicted"]!["delayS"]! <= 300 * (1 + 1e-9));
        Assert.True((double)node["predicted"]!["energyJ"]! <= 300 * (1 + 1e-9));
        Assert.True((double)node["certificate"]!["dualityGap"]! <= 1e-6);
        Assert.True((int)node["search"]!["pairsEvaluated"]! > 0);
        Assert.True(PlanJson.Parse(data.PlanText).IsValid);
    }

    [Fact]
    public void Plan_DefaultWithJson_PrintsTheSummaryAndSaysWhereItWroteOnStderr()
    {
        var output = data.PlanRun.Output;

        foreach (var expected in new[]
                 {
                     "pre-training rounds M", "fine-tuning rounds N", "server batch B0", "server frequency f0 (GHz)", "dev-9",
                     "compute (s)", "upload (s)", "Budgets", "delay T (s)", "energy E (J)", "lower bound", "Binding:",
                     "delay budget binds", "relaxation duality gap", "energy price λ", "delay price ν", "M range searched",
                     "(M, N) relaxations solved",
                 })
        {
            Assert.Contains(expected, output);
        }

        Assert.Equal($"Wrote the joint plan JSON to {data.PlanPath}.", data.PlanRun.SingleErrorLine());
    }

    [Fact]
    public void Plan_Baseline_PlansThatScheme()
    {
        using var folder = new TempFolder();
        var path = folder.File("fixed.json");

        var result = CliRunner.Run("plan", "--scheme", "fixed-batch", "--json", path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var plan = PlanJson.Load(path);
        Assert.True(plan.IsValid);
        Assert.Equal(Scheme.FixedBatch, plan.Plan.Scheme);
        Assert.All(plan.Plan.Devices, d => Assert.Equal(32, d.Batch));
    }

    [Fact]
    public void Plan_UnknownScheme_Exit2WithTheValidNames()
    {
        var result = CliRunner.Run("plan", "--scheme", "foo");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"--scheme is foo; it must be one of {SchemeNames.Valid}.", result.SingleErrorLine());
        Assert.StartsWith("joint, finetune-only, separate, fixed-batch, max-resource", SchemeNames.Valid, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_TinyEnergyBudget_Exit3NamingTheEnergyBudget()
    {
        using var folder = new TempFolder();
        var scenario = PlanningTestData.TinyEnergyScenario(folder);
        var json = folder.File("plan.json");

        var result = CliRunner.Run("plan", "--scenario", scenario, "--json", json);

        Assert.Equal(ExitCodes.Infeasible, result.ExitCode);
        var line = result.SingleErrorLine();
        Assert.StartsWith($"Unable to plan joint for {scenario}: the energy budget binds: budget.energyJ is 1E-06 J", line);
        Assert.Contains("one fine-tuning round fits a delay budget of at least ", line);
        Assert.EndsWith(" when the delay budget is 300 s (more time needs less energy).", line);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void Plan_InvalidScenario_Exit2NamingTheField()
    {
        using var folder = new TempFolder();
        var node = PlanningTestData.DefaultScenarioJson();
        node["budget"]!["delayS"] = -1;
        var scenario = folder.Write("bad.json", node.ToJsonString());

        var result = CliRunner.Run("plan", "--scenario", scenario);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"{scenario}: budget.delayS is -1; it must be positive.", result.SingleErrorLine());
    }

    [Fact]
    public void Plan_JsonIntoMissingFolder_Exit2()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}", "plan.json");

        var result = CliRunner.Run("plan", "--scheme", "fixed-batch", "--json", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("does not exist", result.SingleErrorLine());
    }

    [Theory]
    [InlineData("plan --help")]
    [InlineData("compare --help")]
    [InlineData("evaluate --help")]
    [InlineData("evaluate -h")]
    public void Help_PlanningCommands_PrintsUsageExit0(string commandLine)
    {
        var result = CliRunner.Run(commandLine.Split(' '));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Empty(result.ErrorLines);
        Assert.Contains("USAGE:", result.Output);
        Assert.Contains("--scenario", result.Output);
    }

    [Fact]
    public void Help_Root_ListsThePlanningCommands()
    {
        var result = CliRunner.Run("--help");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("plan", result.Output);
        Assert.Contains("compare", result.Output);
        Assert.Contains("evaluate", result.Output);
    }

    [Fact]
    public void Plan_LargeFleetWithJson_StreamsAPlanThatLoads_WithItsOwnHashInTheProvenance()
    {
        // 2,000 devices: the plan JSON (about 400 KB) is written as it streams, with the provenance added at the end of
        // the object rather than by re-parsing the text.
        using var folder = new TempFolder();
        var scenario = folder.Write("fleet.json", EdgeLearn.Scenarios.ScenarioJson.Serialize(EdgeLearn.Scenarios.ScenarioGenerator.Generate(2000, seed: 4)));
        var path = folder.File("plan.json");

        var result = CliRunner.Run("plan", "--scenario", scenario, "--json", path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var loaded = PlanJson.Load(path);
        Assert.Empty(loaded.Errors);
        Assert.Equal(2000, loaded.Plan!.Devices.Count);
        var provenance = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!["provenance"]!;
        Assert.Equal(EdgeLearn.Training.Provenance.PlanHash(loaded.Plan), (string?)provenance["planSha256"]);
        Assert.EndsWith("}\n", File.ReadAllText(path), StringComparison.Ordinal);
    }
}
