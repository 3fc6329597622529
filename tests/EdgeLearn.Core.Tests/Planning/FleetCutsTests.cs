using EdgeLearn.Planning;
using EdgeLearn.Planning.Internal;
using EdgeLearn.Scenarios;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EdgeLearn.Core.Tests.Planning;

/// <summary>
/// The dual cuts of the outer search (model.md §5, "Dual cuts"): a solved pair's prices bound the relaxed bound at every
/// (M, N) from below, exactly reproduce that pair's certified lower bound, and their best bound over all N is the exact
/// minimum of a maximum of lines.
/// </summary>
public class FleetCutsTests
{
    /// <summary>Relative slack for the solves' own rounding (their tolerance is 1e-11).</summary>
    private const double Slack = 1e-9;

    [Theory]
    [InlineData(Scheme.Joint, 0, 400, 300)]
    [InlineData(Scheme.Joint, 0, 1, 1)]
    [InlineData(Scheme.Joint, 0, 2000, 50)]
    [InlineData(Scheme.Joint, 12, 250, 600)]
    [InlineData(Scheme.Joint, 40, 700, 200)]
    [InlineData(Scheme.MaxResource, 12, 300, 300)]
    [InlineData(Scheme.FinetuneOnly, 12, 0, 350)]
    [InlineData(Scheme.PretrainOnly, 12, 500, 1)]
    public void PairBound_AtTheSolvedPair_IsThatPairsCertifiedLowerBound(Scheme scheme, int devices, int m, int n)
    {
        var scenario = devices == 0 ? DefaultScenario.Create() : ScenarioGenerator.Generate(devices, seed: devices);
        var problem = new SchemeProblem(scenario, scheme);
        Assert.True(FleetCuts.Applies(problem));
        var cuts = new FleetCuts(problem);
        var solution = problem.SolveRelaxed(m, n);
        Assert.True(solution.Feasible);

        cuts.Add(solution, n);

        // The cut rebuilds the dual function of the pair from the fleet part alone: the same number up to rounding.
        Assert.Equal(solution.LowerBound, cuts.PairBound(m, n), Slack * solution.Bound);
        Assert.True(solution.Bound - solution.LowerBound <= 1e-8 * solution.Bound);
    }

    [Fact]
    public void Applies_NotToSeparateBudgetsOrFixedBatches()
    {
        var scenario = DefaultScenario.Create();

        Assert.False(FleetCuts.Applies(new SchemeProblem(scenario, Scheme.Separate)));
        Assert.False(FleetCuts.Applies(new SchemeProblem(scenario, Scheme.FixedBatch)));
        Assert.True(FleetCuts.Applies(new SchemeProblem(scenario, Scheme.Joint)));
    }

    /// <summary>Cuts from three random pairs of a generated fleet never exceed the relaxed bound elsewhere: not at other
    /// pairs, and their range bound not at any (M, N) in the range.</summary>
    [Property(MaxTest = 20, Replay = "(20261130,20261201)")]
    public Property Bounds_AreBelowTheRelaxedBoundEverywhere(PositiveInt size, int seed)
    {
        int devices = 3 + (size.Get % 30);
        var problem = new SchemeProblem(ScenarioGenerator.Generate(devices, seed), Scheme.Joint);
        var random = new Random(seed);
        var cuts = new FleetCuts(problem);
        for (int i = 0; i < 3; i++)
        {
            int ms = random.Next(0, 900), ns = random.Next(1, 900);
            cuts.Add(problem.SolveRelaxed(ms, ns), ns);
        }

        bool holds = true;
        for (int i = 0; i < 4; i++)
        {
            // Wide ranges are bounded as one relaxation, narrow ones (up to FleetCuts.NarrowRange M) M by M: both kinds.
            int width = i % 2 == 0 ? random.Next(0, FleetCuts.NarrowRange) : random.Next(FleetCuts.NarrowRange, 300);
            int first = random.Next(1, 800), last = first + width, n = random.Next(1, 900), m = random.Next(first, last + 1);
            var pair = problem.SolveRelaxed(m, n);
            if (!pair.Feasible) continue;
            holds &= cuts.PairBound(m, n) <= pair.Bound * (1 + Slack);
            holds &= cuts.RangeBound(first, last, problem.MaxFinetuneRounds).Bound <= pair.Bound * (1 + Slack);
            var (bound, at, _) = cuts.RangeBoundAt(first, last, problem.MaxFinetuneRounds);
            holds &= at >= first && at <= last && bound <= cuts.PairBound(at, n) + Slack * Math.Abs(bound) + 1e-300;
        }

        return holds.Label($"K = {devices}, seed {seed}");
    }

    /// <summary>The minimum over an interval of the maximum of random lines equals the brute-force minimum over the
    /// candidates (ends and pairwise crossings), to rounding.</summary>
    [Property(MaxTest = 200, Replay = "(20261130,20261203)")]
    public Property MinOfMax_IsTheExactMinimum(PositiveInt count, int seed)
    {
        int lines = 1 + (count.Get % 12);
        var random = new Random(seed);
        var alpha = new double[lines];
        var beta = new double[lines];
        for (int i = 0; i < lines; i++)
        {
            alpha[i] = random.NextDouble() * 2 - 1;
            beta[i] = (random.NextDouble() * 2 - 1) * 10;
        }
        double uLo = random.NextDouble() * 0.5, uHi = uLo + 1e-3 + random.NextDouble() * 0.5;

        var (bound, u) = FleetCuts.MinOfMax(alpha, beta, uLo, uHi);

        double Max(double x) => Enumerable.Range(0, lines).Max(i => alpha[i] + beta[i] * x);
        var candidates = new List<double> { uLo, uHi };
        for (int i = 0; i < lines; i++)
            for (int j = i + 1; j < lines; j++)
                if (beta[i] != beta[j] && (alpha[j] - alpha[i]) / (beta[i] - beta[j]) is var x && x > uLo && x < uHi) candidates.Add(x);
        double exact = candidates.Min(Max);
        return (Math.Abs(bound - exact) <= 1e-9 && u >= uLo && u <= uHi && Max(u) <= exact + 1e-9)
            .Label($"bound {bound}, exact {exact}, at u = {u}");
    }
}
