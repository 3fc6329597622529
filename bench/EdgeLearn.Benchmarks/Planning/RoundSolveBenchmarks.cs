using BenchmarkDotNet.Attributes;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Benchmarks.Planning;

/// <summary>
/// The certified fixed-(M, N) solve on generated fleets of K devices (seed 1, M = 400, N = 300):
/// cold (a new solver, no warm start) and warm (the next M, as the outer search calls it).
/// Work per iteration is O(K), so time should grow linearly in K.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class RoundSolveBenchmarks
{
    private Scenario _scenario = null!;
    private RoundSolver _warm = null!;
    private int _m = 400;

    /// <summary>Number of devices K.</summary>
    [ParamsSource(typeof(PlannerSizes), nameof(PlannerSizes.Solve))]
    public int Devices { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scenario = ScenarioGenerator.Generate(Devices, seed: 1);
        _warm = new RoundSolver(_scenario);
        _warm.SolveRelaxed(400, 300);
    }

    [Benchmark]
    public double Cold() => new RoundSolver(_scenario).SolveRelaxed(400, 300).Bound;

    [Benchmark]
    public double Warm()
    {
        _m = _m == 400 ? 401 : 400;
        return _warm.SolveRelaxed(_m, 300).Bound;
    }
}
