using System.Text.Json.Nodes;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Cli.Tests.Training;

/// <summary>A three-device scenario with small budgets and a hand-made plan (M = 5, N = 8), shared by the training command tests.</summary>
public sealed class TrainingTestData : IDisposable
{
    /// <summary>Options that keep a run on the synthetic dataset to a fraction of a second.</summary>
    public static readonly string[] FastData =
        ["--dataset", "synthetic", "--general-size", "300", "--test-size", "200", "--gradient-samples", "100", "--hidden", "16", "--eval-every", "2"];

    /// <summary>Parameters of the 64-16-10 MLP that <see cref="FastData"/> trains on the 8x8 synthetic images.</summary>
    public const int SyntheticModelParameters = (64 * 16) + 16 + (16 * 10) + 10;

    private readonly TempFolder _folder = new();

    public TrainingTestData()
    {
        var full = DefaultScenario.Create();
        Scenario = full with
        {
            Name = "tiny",
            Devices = full.Devices.Take(3).Select(d => d with { DatasetSize = 100, MaxBatch = 32 }).ToArray(),
            Budget = new BudgetSpec { EnergyJ = 3, DelayS = 15 },
            Limits = new LimitsSpec { MaxPretrainRounds = 40, MaxFinetuneRounds = 40 },
            Model = new ModelSpec { UploadBits = SyntheticModelParameters * 32.0 },
        };
        ScenarioPath = _folder.Write("tiny.json", ScenarioJson.Serialize(Scenario));
        var plan = new Plan
        {
            Scheme = Scheme.Joint,
            PretrainRounds = 5,
            FinetuneRounds = 8,
            Server = new ServerAllocation(32, 2e9),
            Devices = Scenario.Devices.Select(d => new DeviceAllocation(d.Id, 16, 5e8, 0.1)).ToArray(),
            Predicted = new PlanPrediction(0, 0, 0, 0, 0),
        };
        PlanText = PlanJson.Serialize(plan);
        PlanPath = _folder.Write("plan.json", PlanText);
    }

    public Scenario Scenario { get; }

    public string ScenarioPath { get; }

    public string PlanPath { get; }

    public string PlanText { get; }

    /// <summary>A fresh, editable copy of the plan JSON.</summary>
    public JsonObject Plan() => JsonNode.Parse(PlanText)!.AsObject();

    /// <summary>train with the tiny scenario, the fast data options and then the given arguments (which override them).</summary>
    internal CliResult Train(params string[] args) =>
        CliRunner.Run([.. new[] { "train", "--scenario", ScenarioPath }, .. FastData, .. args]);

    public void Dispose() => _folder.Dispose();
}
