using EdgeLearn.Planning;
using EdgeLearn.Planning.Internal;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Planning;

/// <summary>Searches that stop at their iteration cap are reported as not converged, and what they return still fits the budgets.</summary>
public class IterationCapTests
{
    private static readonly Scenario Default = DefaultScenario.Create();

    /// <summary>One step for every search: far too few to converge anywhere.</summary>
    private static readonly SolverLimits OneStep = new() { PriceBracketSteps = 1, PriceIterations = 1, DeadlineIterations = 1, DevicePriceIterations = 1 };

    /// <summary>One step for the energy-price and deadline searches; the devices' own searches run to their tolerance.</summary>
    private static readonly SolverLimits OneOuterStep = OneStep with { DevicePriceIterations = SolverLimits.Default.DevicePriceIterations };

    private struct Cube : IScalarFunction
    {
        public readonly double Evaluate(double x) => x * x * x - 2.0;
    }

    [Fact]
    public void IllinoisUpper_EnoughIterations_ConvergesToTheRoot()
    {
        var f = new Cube();
        int evaluations = 0;
        double root = Roots.IllinoisUpper(ref f, 0, -2, 2, 6, 1e-14, 1e-13, ref evaluations, out bool converged);

        Assert.True(converged);
        Assert.Equal(Math.Cbrt(2.0), root, 1e-12);
        Assert.True(f.Evaluate(root) >= 0);
    }

    [Fact]
    public void IllinoisUpper_CapReached_ReportsNotConvergedAndKeepsTheUpperSide()
    {
        var f = new Cube();
        int evaluations = 0;
        double root = Roots.IllinoisUpper(ref f, 0, -2, 2, 6, 1e-14, 1e-13, ref evaluations, out bool converged, maxIterations: 2);

        Assert.False(converged);
        Assert.Equal(2, evaluations);
        Assert.True(f.Evaluate(root) >= 0);
        Assert.True(root - Math.Cbrt(2.0) > 1e-6, "two steps cannot reach the root");
    }

    [Theory]
    [InlineData(1e-6, 0.5)]
    [InlineData(1e-3, 0.2)]
    public void SolveDeadline_CapReached_ReturnsMoreEvaluationsThanTheCap(double lambda, double tau)
    {
        var d = DeviceModel.Create(Default.Devices[0], Default.Channel.NoisePsdWPerHz, Default.Model.UploadBits, 0.25, 1, 600, fixedSpeed: false);
        double pi = 0;
        int capped = d.SolveDeadline(lambda, tau, ref pi, 1e-13, 1, out _);
        double piFull = 0;
        int full = d.SolveDeadline(lambda, tau, ref piFull, 1e-13, 100, out _);

        Assert.True(capped > 1, $"{capped} evaluations");
        Assert.InRange(full, 1, 100);
    }

    [Fact]
    public void RoundSolver_DefaultLimits_Converges()
    {
        var result = new RoundSolver(Default).Solve(414, 328);

        Assert.Equal(RoundStatus.Solved, result.Status);
        Assert.True(result.Relaxed.Converged);
    }

    [Theory]
    [InlineData(1000, 500)] // both budgets bind: every search runs
    [InlineData(0, 900)]    // fine-tuning only, energy binds
    public void RoundSolver_OneStepOuterSearches_NotConvergedButFeasibleAndCertified(int m, int n)
    {
        var converged = new RoundSolver(Default).Solve(m, n);
        var result = new RoundSolver(Default, Scheme.Joint, new SolverOptions(), OneOuterStep).Solve(m, n);

        Assert.Equal(RoundStatus.NotConverged, result.Status);
        Assert.False(result.Relaxed.Converged);
        Assert.True(result.HasPlan);
        var check = PlanEvaluator.Evaluate(Default, result.Plan);
        Assert.True(check.Feasible, string.Join("; ", check.Constraints.Where(c => !c.Satisfied).Select(c => $"{c.Name} slack {c.Slack}")));
        // Whatever the prices, the dual function is a lower bound: it cannot exceed the converged optimum.
        Assert.True(result.Relaxed.LowerBound <= converged.Relaxed.Bound * (1 + 1e-9),
            $"lower bound {result.Relaxed.LowerBound} above the optimum {converged.Relaxed.Bound}");
        Assert.True(result.Plan.Predicted.Bound >= converged.Relaxed.LowerBound * (1 - 1e-9));
    }

    [Theory]
    [InlineData(1000, 500)]
    [InlineData(0, 900)]
    public void RoundSolver_OneStepEverywhere_KeepsNoPlanThatBreaksABudget(int m, int n)
    {
        var result = new RoundSolver(Default, Scheme.Joint, new SolverOptions(), OneStep).Solve(m, n);

        Assert.Equal(RoundStatus.NotConverged, result.Status);
        if (result.HasPlan) Assert.True(PlanEvaluator.Evaluate(Default, result.Plan).Feasible);
    }

    [Fact]
    public void Planner_OneStepEverywhere_IsNotConvergedNeverInfeasible()
    {
        var result = Planner.Plan(Default, Scheme.Joint, null, OneStep);

        Assert.Equal(PlanStatus.NotConverged, result.Status);
        Assert.False(result.IsInfeasible);
        Assert.True(result.Search.NotConvergedSolves > 0);
        if (result.HasPlan) Assert.True(PlanEvaluator.Evaluate(Default, result.Plan).Feasible);
    }

    [Fact]
    public void Planner_OneStepOuterSearches_ReportsNotConvergedWithAFeasiblePlan()
    {
        var result = Planner.Plan(Default, Scheme.Joint, null, OneOuterStep);

        Assert.Equal(PlanStatus.NotConverged, result.Status);
        Assert.True(result.Search.NotConvergedSolves > 0);
        Assert.True(result.HasPlan);
        Assert.True(PlanEvaluator.Evaluate(Default, result.Plan).Feasible);
        Assert.True(result.Plan.Predicted.LowerBound <= result.Plan.Predicted.Bound);
    }

    [Fact]
    public void Planner_Default_IsPlannedWithNoCapHit()
    {
        var result = Planner.Plan(Default);

        Assert.Equal(PlanStatus.Planned, result.Status);
        Assert.Equal(0, result.Search.NotConvergedSolves);
        Assert.True(result.Certificate!.Converged);
        Assert.False(result.IsInfeasible);
    }
}
