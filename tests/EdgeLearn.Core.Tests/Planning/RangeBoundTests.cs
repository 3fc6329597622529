using EdgeLearn.Planning;
using EdgeLearn.Planning.Internal;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Planning;

/// <summary>
/// The branch and bound's lower bounds over ranges of M (model.md §5, "The outer search"): the range relaxation served by
/// the pair (first, N) shifted by the constant terms, its walk over N with the bracket's early stop, and the bracket bound
/// itself, each checked against exact minima on generated scenarios and convex functions (fixed seeds).
/// </summary>
public class RangeBoundTests
{
    /// <summary>The search the planner builds for the joint scheme, with the range relaxation it uses.</summary>
    private static RoundSearch Search(SchemeProblem problem)
    {
        RoundSearch search = null!;
        search = new RoundSearch((m, n) =>
            {
                var s = problem.SolveRelaxed(m, n);
                return new PairValue(s.Bound, double.NaN, double.NaN, s.LowerBound);
            }, problem.IsFeasible, new SearchOptions(),
            (first, last, n) =>
            {
                var pair = search.Evaluate(first, n);
                double shift = problem.ConstantTerm(last, n) - problem.ConstantTerm(first, n);
                return new PairValue(pair.Value + shift, double.NaN, double.NaN, pair.LowerBound + shift);
            });
        return search;
    }

    [Theory]
    [InlineData(5, 3)]
    [InlineData(10, 7)]
    [InlineData(20, 11)]
    [InlineData(50, 104)]
    public void RangeRelaxation_IsThePairOfItsFirstMShiftedByTheConstants(int devices, int seed)
    {
        var problem = new SchemeProblem(ScenarioGenerator.Generate(devices, seed), Scheme.Joint);
        var random = new Random(seed);
        for (int i = 0; i < 4; i++)
        {
            int first = random.Next(1, 600), last = first + random.Next(0, 300), n = random.Next(1, 600);
            var range = problem.SolveRange(first, last, n);
            var pair = problem.SolveRelaxed(first, n);
            double shift = problem.ConstantTerm(last, n) - problem.ConstantTerm(first, n);
            Assert.Equal(range.Feasible, pair.Feasible);
            if (!range.Feasible) continue;
            Assert.Equal(range.Bound, pair.Bound + shift, 1e-9 * range.Bound);
            Assert.Equal(range.LowerBound, pair.LowerBound + shift, 1e-9 * range.Bound);
        }
    }

    /// <summary>Random ranges of M on generated scenarios (K = 5–60, fixed seeds): the range bound, certified, is at most
    /// the exact minimum of W(M) = min over N of the relaxed bound over the range, both when the walk may stop at the first
    /// bracket (keep = −∞, the loosest bound the search can produce) and when it stops only once the bound clears the
    /// minimum itself (the threshold the branch and bound prunes at).</summary>
    [Theory]
    [InlineData(5, 21)]
    [InlineData(8, 22)]
    [InlineData(12, 23)]
    [InlineData(20, 24)]
    [InlineData(33, 25)]
    [InlineData(60, 26)]
    public void RangeBound_RandomRanges_IsAtMostTheExactMinimumOverTheRange(int devices, int seed)
    {
        var problem = new SchemeProblem(ScenarioGenerator.Generate(devices, seed), Scheme.Joint);
        int nMax = problem.MaxFinetuneRounds;
        var random = new Random(seed);
        var search = Search(problem);
        int mFeasible = RoundSearch.LastTrue(1, problem.MaxPretrainRounds, m => search.Feasible(m, 1));
        for (int i = 0; i < 4; i++)
        {
            int width = random.Next(0, 5);
            int first = 1 + random.Next(Math.Max(1, Math.Min(mFeasible, 1500) - width));
            int last = Math.Min(mFeasible, first + width);
            double exact = Enumerable.Range(first, last - first + 1).Min(m => search.BestN(m, nMax).Value);
            foreach (double keep in new[] { double.NegativeInfinity, exact })
            {
                var fresh = Search(problem); // no cached pairs: the walk runs as in a first visit
                int guess = 1 + random.Next(nMax);
                var (bound, n, certified) = fresh.RangeBound(first, last, nMax, guess, keep);
                if (!certified) { Assert.True(bound < keep, "an uncertified range bound is a value below keep"); continue; }
                Assert.True(bound <= exact * (1 + 1e-9),
                    $"K {devices} seed {seed}: range [{first}, {last}] bound {bound:G12} at N {n} (keep {keep:G6}) above the exact minimum {exact:G12}");
            }
        }
    }

    /// <summary>Convex functions of u = 1/N (the shape of every relaxation's bound over N for fixed M): the bracket bound
    /// from any bracket is at most the minimum over all N.</summary>
    [Fact]
    public void BracketBound_ConvexInReciprocal_IsAtMostTheMinimum()
    {
        var random = new Random(20261214);
        for (int trial = 0; trial < 2000; trial++)
        {
            double p = Math.Exp(random.NextDouble() * 8 - 4), q = Math.Exp(random.NextDouble() * 12 - 14), k = random.NextDouble();
            double F(int n) => p / n + q * n + k * Math.Max(0, 30.0 / n - 1) + 0.1;
            int hi = 5000;
            int argmin = Enumerable.Range(1, hi).MinBy(F);
            int b = Math.Clamp(argmin + random.Next(-3, 4), 2, hi - 1);
            int a = Math.Max(1, b - 1 - random.Next(200)), c = Math.Min(hi, b + 1 + random.Next(200));
            if (F(b) > F(a) || F(b) > F(c)) continue; // not a bracket
            double bound = RoundSearch.BracketBound(a, F(a), b, F(b), c, F(c));
            Assert.True(bound <= F(argmin) + 1e-15, $"bracket ({a}, {b}, {c}) bound {bound} above the minimum {F(argmin)} at {argmin}");
        }
    }

    /// <summary>The planner's answer on the default scenario is the one the exhaustive branch and bound gave before the
    /// bracket bounds (M = 412, N = 330 as an integer plan; relaxed optimum at (414, 328)), with a certified gap.</summary>
    [Fact]
    public void DefaultPlan_IsUnchangedAndCertified()
    {
        var result = Planner.Plan(DefaultScenario.Create());

        Assert.Equal((412, 330), (result.Plan!.PretrainRounds, result.Plan.FinetuneRounds));
        Assert.Equal(0.184738, result.Plan.Predicted.Bound, 6e-7);
        Assert.Equal((414, 328), (result.Search.RelaxedPretrainRounds, result.Search.RelaxedFinetuneRounds));
        Assert.InRange(result.Search.RelaxedLowerBound, result.Search.RelaxedBound * (1 - 1e-9), result.Search.RelaxedBound);
    }
}
