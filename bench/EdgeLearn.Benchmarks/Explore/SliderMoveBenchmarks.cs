using BenchmarkDotNet.Attributes;
using EdgeLearn.Explore.Api;
using EdgeLearn.Explore.Levers;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Benchmarks.Explore;

/// <summary>What the explorer's server does for one slider move on the default scenario: read and check the query, build
/// the what-if scenario, plan it (never from memory: a fresh service per call) and build the view with the cost model's
/// re-check; against the bare planner on the same scenario.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class SliderMoveBenchmarks
{
    private readonly ExploreSpace _space = ExploreSpace.For(DefaultScenario.Create());
    private readonly Dictionary<string, string> _query = new() { [LeverQuery.EnergyJ] = "120" };
    private Scenario _whatIf = null!;

    [GlobalSetup]
    public void Setup() => _whatIf = WhatIf.Apply(_space, _space.Defaults with { EnergyJ = 120 });

    [Benchmark(Baseline = true)]
    public double Planner() => EdgeLearn.Planning.Planner.Plan(_whatIf).Plan!.Predicted.Bound;

    [Benchmark]
    public double Move()
    {
        LeverQuery.TryRead(_space, _query, null, out var request);
        using var service = new PlanService(_space);
        var view = service.Plan(request!.Levers, request.Scenario, request.Scheme, CancellationToken.None);
        return view.Plan!.Bound;
    }
}
