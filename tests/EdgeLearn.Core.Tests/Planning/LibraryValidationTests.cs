using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Planning;

/// <summary>The library's entry points reject bad input with the rules and the words of the JSON path.</summary>
public class LibraryValidationTests
{
    private static readonly Scenario Default = DefaultScenario.Create();

    /// <summary>Two broken fields: a negative power and a step size above 1/L.</summary>
    private static Scenario Broken()
    {
        var devices = Default.Devices.ToArray();
        devices[3] = devices[3] with { MaxPowerW = -0.1 };
        return Default with { Devices = devices, Learning = Default.Learning with { StepSize = 1.0 } };
    }

    /// <summary>What the JSON path says about the same scenario.</summary>
    private static IReadOnlyList<string> JsonMessages(Scenario scenario) =>
        ScenarioJson.Parse(ScenarioJson.Serialize(scenario)).Errors.Select(e => e.Message).ToArray();

    public static TheoryData<string> EntryPoints() => ["plan", "compare", "solver", "evaluate", "mismatches"];

    private static void Call(string entry, Scenario scenario)
    {
        var plan = Planner.Plan(Default).Plan!;
        switch (entry)
        {
            case "plan": Planner.Plan(scenario); break;
            case "compare": Planner.Compare(scenario); break;
            case "solver": _ = new RoundSolver(scenario); break;
            case "evaluate": PlanEvaluator.Evaluate(scenario, plan); break;
            case "mismatches": PlanEvaluator.Mismatches(scenario, plan); break;
        }
    }

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void EntryPoint_InvalidScenario_ThrowsWithTheJsonPathsMessages(string entry)
    {
        var json = JsonMessages(Broken());

        var e = Assert.Throws<InvalidScenarioException>(() => Call(entry, Broken()));

        Assert.Equal(2, json.Count);
        Assert.Equal(json, e.Errors.Select(x => x.Message));
        Assert.StartsWith(json[0], e.Message, StringComparison.Ordinal);
        Assert.Contains("devices[3].maxPowerW is -0.1; it must be positive.", json);
        Assert.Equal("scenario", e.ParamName);
    }

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void EntryPoint_NullScenario_ThrowsArgumentNull(string entry) =>
        Assert.Throws<ArgumentNullException>(() => Call(entry, null!));

    [Fact]
    public void Plan_UnknownScheme_NamesTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Planner.Plan(Default, (Scheme)99));

        Assert.StartsWith($"scheme is 99; it must be one of {SchemeNames.Valid}.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, "SearchTolerance is 0; it must be between 1e-14 and 1e-3")]
    [InlineData(double.NaN, "SearchTolerance is NaN; it must be between 1e-14 and 1e-3")]
    public void Plan_ToleranceOutOfRange_SaysWhichAndTheRange(double tolerance, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => Planner.Plan(Default, Scheme.Joint, new PlannerOptions { SearchTolerance = tolerance }));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        Assert.Equal("options", e.ParamName);
    }

    [Fact]
    public void PlannerOptions_Defaults_HaveNoErrors_AndEveryBadFieldIsListed()
    {
        Assert.Empty(new PlannerOptions().Errors());
        var bad = new PlannerOptions { GridPoints = 2, LocalSweep = -1, FinalTolerance = 1 };

        Assert.Equal(
            ["FinalTolerance is 1; it must be between 1e-14 and 1e-3 (PlannerOptions.SmallestTolerance, LargestTolerance).", "GridPoints is 2; it must be at least 3.", "LocalSweep is -1; it must be at least 0."],
            bad.Errors());
    }

    [Fact]
    public void RoundSolver_ToleranceOutOfRange_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new RoundSolver(Default, Scheme.Joint, new SolverOptions { Tolerance = 0.5 }));

        Assert.StartsWith("Tolerance is 0.5; it must be between 1e-14 and 1e-3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NonFinitePower_IsAMismatchWorthTheJsonRule()
    {
        var plan = Planner.Plan(Default).Plan!;
        var devices = plan.Devices.ToArray();
        devices[2] = devices[2] with { PowerW = double.NaN };
        var broken = plan with { Devices = devices };

        Assert.Equal(["devices[2].powerW is NaN; it must be a finite number."], PlanEvaluator.Mismatches(Default, broken));
        var e = Assert.Throws<ArgumentException>(() => PlanEvaluator.Evaluate(Default, broken));
        Assert.StartsWith("devices[2].powerW is NaN; it must be a finite number.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidScenario_PlansAsBefore()
    {
        var result = Planner.Plan(Default);

        Assert.Equal(PlanStatus.Planned, result.Status);
        Assert.Equal((412, 330), (result.Plan!.PretrainRounds, result.Plan.FinetuneRounds));
    }
}
