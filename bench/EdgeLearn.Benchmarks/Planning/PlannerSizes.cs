namespace EdgeLearn.Benchmarks.Planning;

/// <summary>
/// Fleet sizes K for the planner benchmarks. CI's dry run (one invocation each) sets
/// <c>EDGELEARN_BENCH_SMALL=1</c> and keeps to small fleets; a full run measures every size.
/// </summary>
public static class PlannerSizes
{
    /// <summary>Name of the environment variable that limits the sizes.</summary>
    public const string SmallOnly = "EDGELEARN_BENCH_SMALL";

    private static bool Small => Environment.GetEnvironmentVariable(SmallOnly) == "1";

    /// <summary>K for the fixed-(M, N) solve.</summary>
    public static IEnumerable<int> Solve => Small ? [10, 1000] : [10, 100, 1_000, 10_000, 100_000];

    /// <summary>K for the full plan and compare (the search solves 35–80 (M, N) pairs: about 1.6 s a plan at K = 10,000,
    /// 8 s at K = 100,000, and five times that for compare; K = 1,000,000 is measured with the CLI, docs/performance.md).</summary>
    public static IEnumerable<int> Plan => Small ? [10, 100] : [10, 100, 1_000, 10_000, 100_000];
}
