using System.Text.Json.Nodes;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Cli.Tests.Commands.Planning;

/// <summary>Scenario files and a plan made once on the default scenario, shared by the planning command tests.</summary>
public sealed class PlanningTestData : IDisposable
{
    private readonly TempFolder _folder = new();

    public PlanningTestData()
    {
        DefaultScenarioPath = _folder.Write("default.json", ScenarioJson.Serialize(DefaultScenario.Create()));
        PlanPath = _folder.File("plan.json");
        PlanRun = CliRunner.Run("plan", "--json", PlanPath);
        PlanText = File.Exists(PlanPath) ? File.ReadAllText(PlanPath) : string.Empty;
    }

    /// <summary>The default scenario written as a file.</summary>
    public string DefaultScenarioPath { get; }

    /// <summary>The joint plan of the default scenario, written by <c>plan --json</c>.</summary>
    public string PlanPath { get; }

    /// <summary>The <c>plan --json</c> run that wrote <see cref="PlanPath"/>.</summary>
    internal CliResult PlanRun { get; }

    /// <summary>The text of <see cref="PlanPath"/>.</summary>
    public string PlanText { get; }

    /// <summary>A fresh, editable copy of the plan JSON.</summary>
    public JsonObject Plan() => JsonNode.Parse(PlanText)!.AsObject();

    /// <summary>The default scenario as editable JSON.</summary>
    public static JsonObject DefaultScenarioJson() => JsonNode.Parse(ScenarioJson.Serialize(DefaultScenario.Create()))!.AsObject();

    /// <summary>The default scenario with a 1 µJ energy budget, far below one fine-tuning round.</summary>
    internal static string TinyEnergyScenario(TempFolder folder)
    {
        var node = DefaultScenarioJson();
        node["budget"]!["energyJ"] = 1e-6;
        return folder.Write("tiny-energy.json", node.ToJsonString());
    }

    public void Dispose() => _folder.Dispose();
}
