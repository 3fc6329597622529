using System.Collections.Concurrent;
using System.Diagnostics;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using Xunit.Abstractions;

namespace EdgeLearn.Core.Tests.Planning;

/// <summary>
/// Issue 9, item 3: joint must never lose to a baseline. Every baseline's feasible set is a subset of joint's
/// (finetune-only: M = 0; separate: half budgets per stage; fixed-batch: fixed batches; max-resource: f = fmax, p = Pmax;
/// pretrain-only: N = 1), so joint's relaxed optimum is at most every baseline's, and its integer plan at most every
/// baseline's integer plan. Sweeps of generated scenarios (fixed seeds); run with EDGELEARN_PLANNER_SWEEP=1.
/// </summary>
public class JointSearchSweepTests(ITestOutputHelper output)
{
    /// <summary>Relative slack of the comparison: the solves' own tolerance (1e-9), plus the two plans' certificate gaps.</summary>
    private const double RelativeSlack = 1e-9;

    /// <summary>The 48 scenarios of the issue (K = 5, 10, 20, 50 × seeds 1–12) and 152 more with K spread over 5–100.</summary>
    public static IEnumerable<(int Devices, int Seed)> Cases()
    {
        foreach (int k in new[] { 5, 10, 20, 50 })
            for (int seed = 1; seed <= 12; seed++) yield return (k, seed);
        for (int i = 1; i <= 152; i++) yield return (5 + (i * 37) % 96, 100 + i);
    }

    [SweepFact]
    public void Compare_200GeneratedScenarios_JointIsAtLeastAsGoodAsEveryBaseline()
    {
        var cases = Cases().ToArray();
        var failures = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = 2 }, c =>
        {
            var scenario = ScenarioGenerator.Generate(c.Devices, c.Seed);
            foreach (string f in Losses(scenario, Planner.Compare(scenario))) failures.Add($"K {c.Devices} seed {c.Seed}: {f}");
        });
        output.WriteLine($"{cases.Length} scenarios (K = {cases.Min(c => c.Devices)}–{cases.Max(c => c.Devices)}) in {clock.Elapsed.TotalSeconds:F0} s; {failures.Count} failures");
        Assert.True(failures.IsEmpty, $"{failures.Count} failures in {cases.Length} scenarios:\n" + string.Join("\n", failures.Order().Take(40)));
    }

    /// <summary>Every way the joint plan of one comparison loses to a baseline, or a plan fails the cost model.</summary>
    internal static IEnumerable<string> Losses(Scenario scenario, IReadOnlyList<PlanResult> results)
    {
        var joint = results[0];
        if (joint.Status != PlanStatus.Planned) { yield return $"joint {joint.Status}"; yield break; }
        foreach (var r in results)
            if (r.HasPlan && !PlanEvaluator.Evaluate(scenario, r.Plan).Feasible) yield return $"{r.Scheme.ToName()} fails the cost model";
        foreach (var r in results.Skip(1).Where(r => r.Status == PlanStatus.Planned))
        {
            double slack = RelativeSlack + joint.Certificate!.DualityGap + r.Certificate!.DualityGap;
            if (joint.Search.RelaxedBound > r.Search.RelaxedBound * (1 + slack))
                yield return $"relaxed: {r.Scheme.ToName()} {r.Search.RelaxedBound:G9} at ({r.Search.RelaxedPretrainRounds}, {r.Search.RelaxedFinetuneRounds}) < joint {joint.Search.RelaxedBound:G9} at ({joint.Search.RelaxedPretrainRounds}, {joint.Search.RelaxedFinetuneRounds})";
            if (joint.Plan!.Predicted.Bound > r.Plan!.Predicted.Bound * (1 + RelativeSlack))
                yield return $"integer: {r.Scheme.ToName()} {r.Plan.Predicted.Bound:G9} at ({r.Plan.PretrainRounds}, {r.Plan.FinetuneRounds}) < joint {joint.Plan.Predicted.Bound:G9} at ({joint.Plan.PretrainRounds}, {joint.Plan.FinetuneRounds})";
        }
    }
}
