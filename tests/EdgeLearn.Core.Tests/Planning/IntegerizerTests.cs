using EdgeLearn.Planning;
using EdgeLearn.Planning.Internal;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Planning;

/// <summary>Rounding a relaxed solution to integer batches (docs/model.md §5, "Integers").</summary>
public class IntegerizerTests
{
    private static readonly Scenario Default = DefaultScenario.Create();

    public static TheoryData<Scheme, int, int, int> Cases() => new()
    {
        { Scheme.Joint, 10, 414, 328 },   // delay binds
        { Scheme.Joint, 10, 1000, 500 },  // both budgets bind
        { Scheme.FinetuneOnly, 10, 0, 538 },
        { Scheme.Separate, 10, 500, 240 },
        { Scheme.Joint, 200, 300, 300 },  // a generated fleet
    };

    private static Scenario ScenarioOf(int devices) => devices == 10 ? Default : ScenarioGenerator.Generate(devices, 3);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Round_BatchesAreTheRelaxedOnesRoundedDownOrUp(Scheme scheme, int devices, int m, int n)
    {
        var problem = new SchemeProblem(ScenarioOf(devices), scheme);
        var relaxed = problem.SolveRelaxed(m, n);

        var integer = Integerizer.Round(problem, m, n, relaxed);

        Assert.NotNull(integer);
        for (int k = 0; k < integer.Batches.Length; k++)
        {
            double b = relaxed.Relaxed.Batches[k];
            Assert.InRange(integer.Batches[k], Math.Max(problem.Devices[k].Lo, Math.Floor(b + 1e-9)), Math.Min(problem.Devices[k].Hi, Math.Floor(b + 1e-9) + 1));
        }
        if (m > 0) Assert.InRange(integer.ServerBatch, 1, problem.Scenario.Server.MaxBatch);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Round_FitsTheBudgetsAndLosesLittleAgainstTheRelaxation(Scheme scheme, int devices, int m, int n)
    {
        var scenario = ScenarioOf(devices);
        var problem = new SchemeProblem(scenario, scheme);
        var relaxed = problem.SolveRelaxed(m, n);

        var integer = Integerizer.Round(problem, m, n, relaxed)!;

        var plan = new RoundSolver(scenario, scheme).Solve(m, n).Plan!;
        Assert.Equal(integer.Batches, plan.Devices.Select(d => d.Batch));
        var check = PlanEvaluator.Evaluate(scenario, plan);
        Assert.True(check.Feasible);
        // The integer plan cannot beat the relaxation's lower bound; rounding costs under 5 % (as in RoundSolverTests;
        // 1.0 % at (1000, 500) on the default scenario, the largest here).
        Assert.True(check.Bound >= relaxed.LowerBound * (1 - 1e-12));
        Assert.True(check.Bound <= relaxed.Bound * 1.05, $"integer {check.Bound} vs relaxed {relaxed.Bound}");
    }

    [Theory]
    [InlineData(1000, 500)]
    [InlineData(300, 300)]
    public void Round_RoundsUpAllItCan_OrAllThatFit(int m, int n)
    {
        var problem = new SchemeProblem(ScenarioGenerator.Generate(40, 5), Scheme.Joint);
        var relaxed = problem.SolveRelaxed(m, n);
        var integer = Integerizer.Round(problem, m, n, relaxed)!;

        // The bisection finds the largest number of devices, in the box solution's order of preference, that can
        // round up: unless every device rounded up, rounding all the rest up as well must break a budget.
        var all = (int[])integer.Batches.Clone();
        bool someLeft = false;
        for (int k = 0; k < all.Length; k++)
        {
            int floor = (int)Math.Max(problem.Devices[k].Lo, Math.Floor(relaxed.Relaxed.Batches[k] + 1e-9));
            if (all[k] == floor && floor + 1 <= problem.Devices[k].Hi) { all[k]++; someLeft = true; }
        }
        if (someLeft) Assert.Null(problem.SolveFixed(m, n, integer.ServerBatch, all));
    }

    [Fact]
    public void Round_FloorsThatDoNotFit_ReturnNull()
    {
        var problem = new SchemeProblem(Default, Scheme.Joint);
        var relaxed = problem.SolveRelaxed(1000, 500);
        // Batches three times the relaxed ones: even their floors break the budgets.
        var inflated = relaxed with
        {
            Relaxed = relaxed.Relaxed with { Batches = relaxed.Relaxed.Batches.Select(b => Math.Min(3 * b, 600)).ToArray() },
        };

        Assert.Null(Integerizer.Round(problem, 1000, 500, inflated));
    }

    [Fact]
    public void Round_IntegerRelaxedBatches_StayAsTheyAre()
    {
        var problem = new SchemeProblem(Default, Scheme.FixedBatch);
        var relaxed = problem.SolveRelaxed(100, 400);

        var integer = Integerizer.Round(problem, 100, 400, relaxed)!;

        Assert.All(integer.Batches, b => Assert.Equal(32, b));
    }
    [Fact]
    public void SolveWithBounds_AfterOtherBoundedSolves_IsBitForBitAFreshProblems()
    {
        // The bounded solves share one copy of the fleet and one engine, started each time from where the relaxed
        // search stands (not from the bounded solve before).
        var scenario = ScenarioGenerator.Generate(30, seed: 5);
        var reused = new SchemeProblem(scenario, Scheme.Joint);
        var relaxed = reused.SolveRelaxed(300, 250);
        double[] lo = [.. relaxed.Relaxed.Batches.Select(b => Math.Max(1, Math.Floor(b)))];
        double[] hi = [.. lo.Select(b => b + 1)];

        Assert.True(reused.SolveWithBounds(300, 250, lo, lo, 1, 1024).Feasible);
        Assert.NotNull(reused.SolveFixed(300, 250, 100, [.. lo.Select(b => (int)b)]));
        var again = reused.SolveWithBounds(300, 250, lo, hi, 200, 200);
        var freshProblem = new SchemeProblem(scenario, Scheme.Joint);
        freshProblem.SolveRelaxed(300, 250);
        var fresh = freshProblem.SolveWithBounds(300, 250, lo, hi, 200, 200);

        Assert.True(fresh.Feasible);
        Assert.Equal(fresh.Bound, again.Bound);
        Assert.Equal(fresh.LowerBound, again.LowerBound);
        Assert.Equal(fresh.Relaxed.Batches, again.Relaxed.Batches);
        Assert.Equal(fresh.Relaxed.ComputeTimes, again.Relaxed.ComputeTimes);
        // A start left by the other bounded solves would show in the work done, even where it ends on the same bits.
        Assert.Equal(fresh.Relaxed.Evaluations, again.Relaxed.Evaluations);
        Assert.Equal(fresh.Relaxed.PriceIterations, again.Relaxed.PriceIterations);
    }
    [Fact]
    public void Separate_SameNForAnotherM_ReusesTheFinetuneStage_WithTheSameValue()
    {
        // The separate scheme's devices have their own budgets: their stage depends on N only, and is solved once per N.
        var scenario = ScenarioGenerator.Generate(20, seed: 9);
        var problem = new SchemeProblem(scenario, Scheme.Separate);

        var first = problem.SolveRelaxed(100, 300);
        var second = problem.SolveRelaxed(250, 300);
        var fresh = new SchemeProblem(scenario, Scheme.Separate).SolveRelaxed(250, 300);

        Assert.True(first.Feasible && second.Feasible);
        Assert.Same(first.Relaxed.Batches, second.Relaxed.Batches);
        Assert.Equal(fresh.Bound, second.Bound, 1e-12 * fresh.Bound);
        Assert.Equal(fresh.LowerBound, second.LowerBound, 1e-12 * fresh.Bound);
        Assert.NotEqual(first.Bound, second.Bound); // the server stages differ
    }
}
