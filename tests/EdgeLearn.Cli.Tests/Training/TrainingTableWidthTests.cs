using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Cli.Tests.Commands.Planning;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Cli.Tests.Training;

/// <summary>The tables of <c>train</c> (plan versus actual, run, seeds, schemes) fit an 80-column
/// terminal with a hundred devices, large energies and violated constraints: no number or word is split across lines.</summary>
public sealed class TrainingTableWidthTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void Train_HundredDevicesHugeEnergiesAndViolations_NoCellWrapsAt80()
    {
        var (scenario, plan) = HundredDevices(uploadBits: 1e12);

        var result = CliRunner.RunAtWidth(80, [.. Train(scenario), "--plan", plan, "--allow-violations"]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        AssertFits(result.Output);
        Assert.Contains("Plan versus actual", result.Output);
        Assert.True(result.Output.Contains("violated: budget.energyJ is ", StringComparison.Ordinal), result.Output); // under the table, one line each
        Assert.Contains("7 to 16", result.Output);                      // device batches as a range
    }

    [Fact]
    public void TrainSeeds_HundredDevicesHugeEnergies_NoCellWrapsAt80()
    {
        var (scenario, plan) = HundredDevices(uploadBits: 1e12);

        var result = CliRunner.RunAtWidth(80, [.. Train(scenario), "--plan", plan, "--allow-violations", "--seeds", "1,2"]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        AssertFits(result.Output);
        Assert.Contains("2 seeds", result.Output);
        Assert.Contains("│ mean ", result.Output);
        Assert.Contains("│ std ", result.Output);
    }

    [Fact]
    public void TrainAllSchemes_HundredDevicesLargeEnergiesTwoSeeds_NoCellWrapsAt80()
    {
        var (scenario, _) = HundredDevices(uploadBits: 1e10);

        var result = CliRunner.RunAtWidth(80, [.. Train(scenario), "--scheme", "all", "--seeds", "1,2"]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        AssertFits(result.Output);
        Assert.Contains("Schemes trained on the same data, 2 seeds", result.Output);
        Assert.Contains("± std", result.Output);
    }

    /// <summary>No cell wraps and no word is cut short with an ellipsis (a header too wide for its column).</summary>
    internal static void AssertFits(string output)
    {
        TableWidthTests.AssertNoCellWraps(output);
        foreach (string line in output.Split('\n'))
        {
            Assert.False(line.Contains("…│", StringComparison.Ordinal) || line.Contains("… │", StringComparison.Ordinal), $"a word was cut short: {line}");
        }
    }

    private static string[] Train(string scenario) =>
        ["train", "--scenario", scenario, .. TrainingTestData.FastData, "--accept-model-size"];

    /// <summary>A hundred devices of 20 task images each, budgets of 3 MJ and 3 Ms, and a hand-made plan (M = 5, N = 5,
    /// batches 7 to 16); a large upload size makes every round cost a lot of energy.</summary>
    private (string Scenario, string Plan) HundredDevices(double uploadBits)
    {
        var generated = ScenarioGenerator.Generate(100, seed: 2);
        var scenario = generated with
        {
            Devices = generated.Devices.Select(d => d with { DatasetSize = 20, MaxBatch = 16 }).ToArray(),
            Budget = new BudgetSpec { EnergyJ = 3e6, DelayS = 3e6 },
            Limits = new LimitsSpec { MaxPretrainRounds = 10, MaxFinetuneRounds = 10 },
            Model = new ModelSpec { UploadBits = uploadBits },
        };
        var plan = new Plan
        {
            Scheme = Scheme.Joint,
            PretrainRounds = 5,
            FinetuneRounds = 5,
            Server = new ServerAllocation(32, 2e9),
            Devices = scenario.Devices.Select((d, i) => new DeviceAllocation(d.Id, 7 + (i % 10), 5e8, 0.1)).ToArray(),
            Predicted = new PlanPrediction(0, 0, 0, 0, 0),
        };
        return (_folder.Write("k100.json", ScenarioJson.Serialize(scenario)), _folder.Write("k100-plan.json", PlanJson.Serialize(plan)));
    }

    public void Dispose() => _folder.Dispose();
}
