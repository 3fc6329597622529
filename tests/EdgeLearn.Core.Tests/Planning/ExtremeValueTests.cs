using System.Text.Json.Nodes;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using EdgeLearn.Tests.Shared;

namespace EdgeLearn.Core.Tests.Planning;

/// <summary>
/// Every numeric field of a scenario, swept over orders of magnitude (1e-300 … 1e300, zero and a negative value): the
/// result is either a validation error that names the field, or a plan that the independent evaluator finds feasible
/// with finite numbers everywhere, or an infeasibility whose message is finite and true. Never NaN, never infinity,
/// never an exception.
/// </summary>
public sealed class ExtremeValueTests
{
    /// <summary>Orders of magnitude, plus every end of a <see cref="ScenarioRanges"/> range (the largest and smallest valid values).</summary>
    private static readonly double[] Magnitudes =
        [-1, 0, 1e-300, 1e-100, 1e-40, 1e-30, 1e-24, 1e-20, 1e-12, 1e-9, 1e-6, 1e-3, 0.5, 1, 3, 1e2, 1e3, 1e6, 1e7, 1e8, 1e9, 1e11,
         1e12, 1e13, 1e15, 1e30, 1e100, 1e300];

    /// <summary>The JSON paths of every number in the default scenario (the first device stands for all).</summary>
    public static TheoryData<string> NumericFields()
    {
        var data = new TheoryData<string>();
        foreach (string path in JsonPaths.NumericLeaves(JsonNode.Parse(ScenarioJson.Serialize(DefaultScenario.Create()))!))
        {
            if (!path.StartsWith("devices[", StringComparison.Ordinal) || path.StartsWith("devices[0]", StringComparison.Ordinal))
            {
                data.Add(path);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NumericFields))]
    public void EveryMagnitude_GivesAnErrorNamingTheField_OrAFeasibleFinitePlan_OrAFiniteInfeasibility(string path)
    {
        var problems = new List<string>();
        foreach (double value in Magnitudes)
        {
            string? problem = Check(path, value);
            if (problem is not null)
            {
                problems.Add(FormattableString.Invariant($"{path} = {value:G3}: {problem}"));
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void BothBudgets_OverTheirRanges_PlanOrInfeasible_NeverNotConverged()
    {
        double[] budgets = [1e-12, 1e-6, 1e-2, 1, 30, 1e3, 1e5, 1e7, 1e9];
        var problems = new List<string>();
        foreach (double energy in budgets)
        {
            foreach (double delay in budgets)
            {
                var scenario = DefaultScenario.Create() with { Budget = new BudgetSpec { EnergyJ = energy, DelayS = delay } };
                var result = Planner.Plan(scenario);
                if (result.Status is not (PlanStatus.Planned or PlanStatus.Infeasible))
                    problems.Add(FormattableString.Invariant($"E = {energy:G3}, T = {delay:G3}: {result.Status}"));
                else if (result.HasPlan && !PlanEvaluator.Evaluate(scenario, result.Plan).Feasible)
                    problems.Add(FormattableString.Invariant($"E = {energy:G3}, T = {delay:G3}: a plan the evaluator rejects"));
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [InlineData(1e6, 1e6)]
    [InlineData(1e9, 1e9)]
    [InlineData(1e9, 1e5)]
    public void BudgetsSoLargeTheLimitsBind_PlanSitsAtTheRoundLimits(double energy, double delay)
    {
        var scenario = ScenarioGenerator.Generate(10, 1) with { Budget = new BudgetSpec { EnergyJ = energy, DelayS = delay } };

        var result = Planner.Plan(scenario);

        Assert.Equal(PlanStatus.Planned, result.Status);
        Assert.Equal(scenario.Limits.MaxPretrainRounds, result.Plan!.PretrainRounds);
        Assert.Equal(scenario.Limits.MaxFinetuneRounds, result.Plan.FinetuneRounds);
        Assert.Equal(scenario.Server.MaxBatch, result.Plan.Server.Batch);
        Assert.All(result.Plan.Devices.Zip(scenario.Devices), d => Assert.Equal(d.Second.MaxBatch, d.First.Batch));
        Assert.True(PlanEvaluator.Evaluate(scenario, result.Plan).Feasible);
    }

    [Fact]
    public void PretrainOnly_NearlyFreeServerAndHugeDelayBudget_Plans_NotAContradictoryEnergyBinds()
    {
        // Before CostModel kept tiny SNRs and exponents (log2(1 + x) and e^y - 1 by series below 1e-8), this reported
        // "budget.energyJ is 90 J but one fine-tuning round ... needs at least 0.0020267 J": over a 1e9 s budget the
        // uplink power or rate of a stretched round rounded to 0.
        var generated = ScenarioGenerator.Generate(3, 1);
        var scenario = generated with
        {
            Budget = generated.Budget with { DelayS = 1e9 },
            Limits = generated.Limits with { MaxPretrainRounds = 1_000_000 },
            Server = generated.Server with { Kappa = 1e-40 },
        };

        var result = Planner.Plan(scenario, Scheme.PretrainOnly);

        Assert.True(result.HasPlan, result.IsInfeasible ? result.Infeasibility.Message : result.Status.ToString());
        var evaluation = PlanEvaluator.Evaluate(scenario, result.Plan!);
        Assert.True(evaluation.Feasible);
        Assert.True(double.IsFinite(evaluation.Bound) && double.IsFinite(evaluation.EnergyJ) && double.IsFinite(evaluation.DelayS));
    }

    [Fact]
    public void OptionalOptimumGap_AtEveryMagnitude_GivesAnErrorNamingIt_OrAFeasibleFinitePlan()
    {
        const string path = "learning.shift.optimumGap";
        var problems = Magnitudes.Concat([-1e300, 1e-323]).Select(v => (v, p: Check(path, v))).Where(x => x.p is not null)
            .Select(x => FormattableString.Invariant($"{x.v:G3}: {x.p}")).ToList();

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void TinyStepSizesWithHugeGaps_AreErrorsNamingTheStepSizes_NotAnInfiniteBound()
    {
        var l = DefaultScenario.Create().Learning;
        var scenario = DefaultScenario.Create() with
        {
            Learning = l with { StepSize = 5e-324, PretrainStepSize = 5e-324, PretrainInitialGap = 1e12, TargetInitialGap = 1e12 },
        };

        var errors = ScenarioValidator.Validate(scenario).Select(e => e.Message).ToList();

        Assert.Contains("learning.stepSize is 5E-324; it must be at least 1E-09/L = 1E-10 (learning.smoothness is 10), so that the bound 2 Delta / (eta N) stays finite.", errors);
        Assert.Contains(errors, e => e.StartsWith("learning.pretrainStepSize is 5E-324; it must be at least 1E-09/L", StringComparison.Ordinal));
    }

    [Fact]
    public void SmallestValidStepSizesAndPlConstant_WithHugeGaps_PlanWithAFiniteBound()
    {
        var l = DefaultScenario.Create().Learning;
        var scenario = DefaultScenario.Create() with
        {
            Learning = l with { StepSize = 1e-10, PretrainStepSize = 1e-10, PlConstant = 1e-5, PretrainInitialGap = 1e12, TargetInitialGap = 1e12 },
        };
        Assert.True(ScenarioValidator.IsValid(scenario));

        var result = Planner.Plan(scenario);

        Assert.True(result.HasPlan, result.Status.ToString());
        Assert.True(double.IsFinite(result.Plan!.Predicted.Bound));
        Assert.True(double.IsFinite(PlanEvaluator.Evaluate(scenario, result.Plan).Bound));
        _ = PlanJson.Serialize(result.Plan);
        Assert.Contains(ScenarioValidator.Validate(scenario with { Learning = scenario.Learning with { PlConstant = 1e-6 } }),
            e => e.Message.StartsWith("learning.plConstant is 1E-06; it must be at least 1E-15 / eta0", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("devices[0].frequencyHz")]
    [InlineData("devices[0].powerW")]
    [InlineData("server.frequencyHz")]
    public void PlanFrequencyOrPower_AtEveryMagnitude_IsAMismatchNamingIt_OrEvaluatesToFiniteNumbers(string path)
    {
        var scenario = DefaultScenario.Create();
        var plan = Planner.Plan(scenario).Plan!;
        var problems = new List<string>();
        foreach (double value in Magnitudes.Concat([double.Epsilon, 1e-320, 1e-60, 1e-30, 1e308, double.NaN, double.PositiveInfinity]))
        {
            var devices = plan.Devices.ToArray();
            var changed = path switch
            {
                "devices[0].frequencyHz" => plan with { Devices = [devices[0] with { FrequencyHz = value }, .. devices[1..]] },
                "devices[0].powerW" => plan with { Devices = [devices[0] with { PowerW = value }, .. devices[1..]] },
                _ => plan with { Server = plan.Server with { FrequencyHz = value } },
            };
            var mismatches = PlanEvaluator.Mismatches(scenario, changed);
            if (mismatches.Count > 0)
            {
                if (!mismatches[0].StartsWith(path + " is ", StringComparison.Ordinal) || !mismatches[0].Contains("; it must be", StringComparison.Ordinal))
                    problems.Add(FormattableString.Invariant($"{value:G3}: {mismatches[0]}"));
                continue;
            }

            var evaluation = PlanEvaluator.Evaluate(scenario, changed);
            double[] numbers =
            [
                evaluation.DelayS, evaluation.EnergyJ, evaluation.Bound,
                .. evaluation.Constraints.SelectMany(c => new[] { c.Value, c.Limit, c.Slack }),
            ];
            if (numbers.Any(n => !double.IsFinite(n)) || evaluation.Violations.Any(c => NotFinite(c.Describe())))
                problems.Add(FormattableString.Invariant($"{value:G3}: an evaluation with a non-finite number"));
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void PlanFrequencyZero_IsAMismatchWithTheRange()
    {
        var scenario = DefaultScenario.Create();
        var plan = Planner.Plan(scenario).Plan!;
        var broken = plan with { Devices = [plan.Devices[0] with { FrequencyHz = 0 }, .. plan.Devices.Skip(1)] };

        Assert.Equal(["devices[0].frequencyHz is 0; it must be between 1E-30 and 1E+12 (Hz: positive, at most 1 THz)."], PlanEvaluator.Mismatches(scenario, broken));
    }

    private static string? Check(string path, double value)
    {
        var root = JsonNode.Parse(ScenarioJson.Serialize(DefaultScenario.Create()))!;
        JsonPaths.Set(root, path, value);
        var loaded = ScenarioJson.Parse(root.ToJsonString());
        if (!loaded.IsValid)
        {
            string first = loaded.Errors[0].Message;
            if (!loaded.Errors.Any(e => e.Message.Contains(path, StringComparison.Ordinal) || e.Message.Contains(Parent(path), StringComparison.Ordinal)))
            {
                return $"the errors do not name the field: {first}";
            }

            return loaded.Errors.Select(e => e.Message).FirstOrDefault(NotFinite) is { } bad ? $"error with a non-finite number: {bad}" : null;
        }

        PlanResult result;
        try
        {
            result = Planner.Plan(loaded.Scenario, Scheme.Joint);
        }
        catch (Exception e)
        {
            return $"threw {e.GetType().Name}: {e.Message}";
        }

        if (result.HasPlan)
        {
            var plan = result.Plan;
            var evaluation = PlanEvaluator.Evaluate(loaded.Scenario, plan);
            double[] numbers =
            [
                plan.Server.FrequencyHz, plan.Predicted.DelayS, plan.Predicted.EnergyJ, plan.Predicted.Bound,
                plan.Predicted.LowerBound, plan.Predicted.Gap, evaluation.DelayS, evaluation.EnergyJ, evaluation.Bound,
                .. plan.Devices.SelectMany(d => new[] { d.FrequencyHz, d.PowerW }),
            ];
            if (numbers.Any(n => !double.IsFinite(n)))
            {
                return "a plan with a non-finite number";
            }

            if (!evaluation.Feasible)
            {
                return $"a plan the evaluator rejects: {string.Join("; ", evaluation.Violations.Select(c => c.Describe()))}";
            }

            try
            {
                _ = PlanJson.Serialize(plan);
            }
            catch (Exception e)
            {
                return $"the plan cannot be written: {e.Message}";
            }

            return null;
        }

        if (result.IsInfeasible)
        {
            var why = result.Infeasibility;
            if (NotFinite(why.Message) || !double.IsFinite(why.MinimumEnergyJ) || !double.IsFinite(why.MinimumDelayS))
            {
                return $"infeasibility with a non-finite number: {why.Message}";
            }

            var budget = loaded.Scenario.Budget;
            if (why.MinimumEnergyJ <= budget.EnergyJ && why.MinimumDelayS <= budget.DelayS)
            {
                return $"infeasible, yet the smallest workable budgets fit: {why.Message}";
            }

            return null;
        }

        return $"status {result.Status} without a plan";
    }

    private static bool NotFinite(string message) =>
        message.Contains("NaN", StringComparison.Ordinal) || message.Contains("∞", StringComparison.Ordinal)
        || message.Contains("Infinity", StringComparison.OrdinalIgnoreCase);

    private static string Parent(string path) => path.LastIndexOf('.') is var dot and > 0 ? path[..dot] : path;
}
