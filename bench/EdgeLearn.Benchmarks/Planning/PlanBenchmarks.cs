using BenchmarkDotNet.Attributes;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Benchmarks.Planning;

/// <summary>The full plan (outer search over (M, N), certified solves, integer plan) of the joint scheme, and compare (every
/// scheme), on generated fleets of K devices (seed 1).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class PlanBenchmarks
{
    private Scenario _scenario = null!;

    /// <summary>Number of devices K of the generated fleet.</summary>
    [ParamsSource(typeof(PlannerSizes), nameof(PlannerSizes.Plan))]
    public int Devices { get; set; }

    [GlobalSetup]
    public void Setup() => _scenario = ScenarioGenerator.Generate(Devices, seed: 1);

    [Benchmark]
    public double Generated() => Planner.Plan(_scenario).Plan!.Predicted.Bound;

    [Benchmark]
    public int GeneratedCompare() => Planner.Compare(_scenario).Count;
}

/// <summary>The README's main job, <c>edgelearn plan</c>, and <c>edgelearn compare</c> on the embedded default scenario (K = 10).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class DefaultPlanBenchmarks
{
    private readonly Scenario _default = DefaultScenario.Create();

    [Benchmark(Baseline = true)]
    public double Plan() => Planner.Plan(_default).Plan!.Predicted.Bound;

    [Benchmark]
    public int Compare() => Planner.Compare(_default).Count;
}
