using EdgeLearn.Planning;
using EdgeLearn.Planning.Internal;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Planning;

/// <summary>The joint Newton search of the fixed-(M, N) solve against the nested searches it short-cuts.</summary>
public class JointPriceSearchTests
{
    private static readonly SolverLimits NestedOnly = SolverLimits.Default with { JointSteps = 0 };

    public static TheoryData<int, int, int> Pairs => new()
    {
        { 0, 414, 328 },   // default scenario, its relaxed optimum (energy slack there)
        { 0, 1000, 500 },  // default, both budgets bind
        { 0, 0, 900 },     // default, fine-tuning only
        { 50, 400, 300 },  // generated fleets
        { 50, 100, 400 },
        { 500, 414, 403 },
        { 500, 2000, 200 },
    };

    private static Scenario ScenarioOf(int devices) => devices == 0 ? DefaultScenario.Create() : ScenarioGenerator.Generate(devices, seed: 3);

    [Theory]
    [MemberData(nameof(Pairs))]
    public void JointAndNested_SameRelaxation_SamePrices_BothCertified(int devices, int m, int n)
    {
        var scenario = ScenarioOf(devices);
        var joint = new SchemeProblem(scenario, Scheme.Joint) { Limits = SolverLimits.Default };
        var nested = new SchemeProblem(scenario, Scheme.Joint) { Limits = NestedOnly };
        // Warm, as inside the search: one neighbouring pair first.
        joint.SolveRelaxed(m, n + 1);
        nested.SolveRelaxed(m, n + 1);

        var a = joint.SolveRelaxed(m, n);
        var b = nested.SolveRelaxed(m, n);

        Assert.Equal(b.Feasible, a.Feasible);
        Assert.True(a.Feasible);
        Assert.Equal(b.Bound, a.Bound, 1e-9 * b.Bound);
        Assert.True(a.Bound - a.LowerBound <= 1e-9 * a.Bound && b.Bound - b.LowerBound <= 1e-9 * b.Bound,
            $"gaps {(a.Bound - a.LowerBound) / a.Bound:E2} (joint) and {(b.Bound - b.LowerBound) / b.Bound:E2} (nested)");
        Assert.Equal(b.Relaxed.Lambda, a.Relaxed.Lambda, 1e-6 * Math.Max(b.Relaxed.Lambda, 1e-300));
        Assert.True(a.Converged && b.Converged);
        Assert.False(b.Relaxed.ByJointSearch);
        // Where the energy budget binds the joint search is what found the prices (at λ = 0 nothing is searched).
        Assert.True(a.Relaxed.Lambda == 0 || a.Relaxed.ByJointSearch, "the joint search fell back to the nested searches");
    }

    [Theory]
    [InlineData(50)]
    [InlineData(500)]
    [InlineData(5000)]
    public void WarmSolve_NextPair_TakesAFewPasses_WhereTheNestedSearchesTakeMany(int devices)
    {
        // The point of the joint search: from the previous pair's prices it settles in a few fleet passes (each pass one
        // energy-price and one deadline iteration), where the nested searches evaluate every device many times more.
        var scenario = ScenarioOf(devices);
        var joint = new RoundSolver(scenario, Scheme.Joint, new SolverOptions(), SolverLimits.Default);
        var nested = new RoundSolver(scenario, Scheme.Joint, new SolverOptions(), NestedOnly);
        joint.SolveRelaxed(400, 300);
        nested.SolveRelaxed(400, 300);

        var a = joint.SolveRelaxed(401, 300);
        var b = nested.SolveRelaxed(401, 300);

        Assert.InRange(a.PriceIterations, 1, 6);
        Assert.True(a.Evaluations * 3 < b.Evaluations, $"joint {a.Evaluations} device responses, nested {b.Evaluations}");
    }
}
