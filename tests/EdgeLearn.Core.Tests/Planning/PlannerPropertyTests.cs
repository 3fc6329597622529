using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EdgeLearn.Core.Tests.Planning;

/// <summary>Invariants of the planner over random generated scenarios (1–6 devices, reduced round limits). The seeds
/// are fixed; the first property's seed is the one that found pretrain-only's capped deadline search (1 device, seed 19).</summary>
public class PlannerPropertyTests
{
    private static Scenario Generate(int size, int seed)
    {
        var s = ScenarioGenerator.Generate(1 + (Math.Abs(size) % 6), seed);
        return s with { Limits = new LimitsSpec { MaxPretrainRounds = 800, MaxFinetuneRounds = 800 } };
    }

    [Property(MaxTest = 12, Replay = "(6671270506273435153,8972497336269081597)")]
    public Property EveryPlan_IsFeasibleUnderTheCostModelAndNoBetterThanItsLowerBound(int size, int seed)
    {
        var scenario = Generate(size, seed);
        var failures = new List<string>();
        foreach (var result in Planner.Compare(scenario))
        {
            if (result.Status != PlanStatus.Planned) { failures.Add($"{result.Scheme} infeasible"); continue; }
            var plan = result.Plan!;
            var check = PlanEvaluator.Evaluate(scenario, plan);
            if (!check.Feasible) failures.Add($"{result.Scheme}: {string.Join(",", check.Constraints.Where(c => !c.Satisfied).Select(c => c.Name))}");
            if (plan.Predicted.LowerBound > plan.Predicted.Bound * (1 + 1e-12)) failures.Add($"{result.Scheme}: lower bound above bound");
            if (result.Certificate!.DualityGap > 1e-6) failures.Add($"{result.Scheme}: duality gap {result.Certificate.DualityGap}");
        }
        return (failures.Count == 0).Label(string.Join(" | ", failures));
    }

    [Property(MaxTest = 12, Replay = "(20261130,20261131)")]
    public Property Joint_IsAtLeastAsGoodAsEveryBaseline(int size, int seed)
    {
        var results = Planner.Compare(Generate(size, seed));
        var joint = results[0];
        var worse = results.Skip(1)
            .Where(r => r.Status == PlanStatus.Planned && joint.Search.RelaxedBound > r.Search.RelaxedBound * (1 + 1e-9))
            .Select(r => $"{r.Scheme}: {r.Search.RelaxedBound} < joint {joint.Search.RelaxedBound}")
            .ToList();
        return (joint.Status == PlanStatus.Planned && worse.Count == 0).Label(string.Join(" | ", worse));
    }
}
