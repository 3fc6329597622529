using System.Diagnostics.CodeAnalysis;
using EdgeLearn.Costs;
using EdgeLearn.Planning.Internal;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Planning;

/// <summary>
/// The certified solver for fixed rounds (M, N) of one scheme (model.md §5): solves the convex
/// relaxation in time variables by dual searches (a joint Newton step on the energy price and the deadline, nested
/// one-dimensional searches where it does not settle) with O(K) work per iteration, certifies it
/// with the dual function, then rounds the batches to integers and re-optimizes the times.
/// </summary>
/// <example><code>
/// var solver = new RoundSolver(DefaultScenario.Create());
/// var round = solver.Solve(400, 300);
/// if (round.HasPlan) Console.WriteLine(round.Plan.Predicted.Bound);
/// </code></example>
/// <remarks>A solver starts each solve from the previous one's prices: use one instance per thread.</remarks>
public sealed class RoundSolver
{
    private readonly SchemeProblem _problem;

    /// <summary>Creates a solver for a validated scenario and a scheme.</summary>
    /// <param name="scenario">The scenario (validate it first).</param>
    /// <param name="scheme">The scheme whose variables are free (default joint).</param>
    /// <param name="options">Solver options.</param>
    /// <exception cref="InvalidScenarioException">The scenario breaks a rule of <see cref="ScenarioValidator"/>.</exception>
    /// <exception cref="ArgumentException">The scheme is not registered or the tolerance is out of range.</exception>
    public RoundSolver(Scenario scenario, Scheme scheme = Scheme.Joint, SolverOptions? options = null)
        : this(scenario, scheme, options, SolverLimits.Default, validate: true)
    {
    }

    private RoundSolver(Scenario scenario, Scheme scheme, SolverOptions? options, SolverLimits limits, bool validate)
    {
        options ??= new SolverOptions();
        if (validate)
        {
            ScenarioValidator.ThrowIfInvalid(scenario);
            Planner.ThrowIfUnknown(scheme);
            var errors = new List<string>();
            PlannerOptions.Tolerance(errors, nameof(SolverOptions.Tolerance), options.Tolerance);
            if (errors.Count > 0) throw new ArgumentException(errors[0], nameof(options));
        }
        _problem = new SchemeProblem(scenario, scheme) { Tolerance = options.Tolerance, Limits = limits };
    }

    /// <summary>A solver for inputs the caller has validated, with the given iteration caps (tests lower them to reach the caps).</summary>
    internal RoundSolver(Scenario scenario, Scheme scheme, SolverOptions options, SolverLimits limits)
        : this(scenario, scheme, options, limits, validate: false)
    {
    }

    /// <summary>The scheme solved.</summary>
    public Scheme Scheme => _problem.Scheme;

    /// <summary>The scenario solved.</summary>
    public Scenario Scenario => _problem.Scenario;

    internal SchemeProblem Problem => _problem;

    /// <summary>Solves the continuous relaxation at (M, N): its bound, certified lower bound and prices.</summary>
    /// <param name="pretrainRounds">M ≥ 0 (must be 0 for finetune-only).</param>
    /// <param name="finetuneRounds">N ≥ 1.</param>
    public RelaxedRound SolveRelaxed(int pretrainRounds, int finetuneRounds)
    {
        CheckRounds(pretrainRounds, finetuneRounds);
        return Describe(_problem.SolveRelaxed(pretrainRounds, finetuneRounds));
    }

    /// <summary>Solves (M, N): the relaxation, then an integer plan re-checked by the cost model.</summary>
    /// <param name="pretrainRounds">M ≥ 0.</param>
    /// <param name="finetuneRounds">N ≥ 1.</param>
    public RoundResult Solve(int pretrainRounds, int finetuneRounds)
    {
        CheckRounds(pretrainRounds, finetuneRounds);
        var relaxed = _problem.SolveRelaxed(pretrainRounds, finetuneRounds);
        var described = Describe(relaxed);
        if (!relaxed.Feasible) return new RoundResult(RoundStatus.Infeasible, null, described);
        int capped = _problem.NotConvergedSolves;
        var integer = Integerizer.Round(_problem, pretrainRounds, finetuneRounds, relaxed);
        if (integer is null) return new RoundResult(RoundStatus.Infeasible, null, described);
        var plan = BuildPlan(pretrainRounds, finetuneRounds, integer, described.LowerBound, out bool fits);
        // A search stopped at its cap can leave a point that breaks a budget: keep only plans the cost model passes.
        if (!fits) return new RoundResult(RoundStatus.NotConverged, null, described);
        bool converged = relaxed.Converged && _problem.NotConvergedSolves == capped;
        return new RoundResult(converged ? RoundStatus.Solved : RoundStatus.NotConverged, plan, described);
    }

    private void CheckRounds(int m, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (m > 0 && !_problem.Definition.Pretraining)
            throw new ArgumentOutOfRangeException(nameof(m), $"{_problem.Definition.Name} plans have M = 0");
        if (_problem.Definition.FinetuneRounds is { } fixedN && n != fixedN)
            throw new ArgumentOutOfRangeException(nameof(n), $"{_problem.Definition.Name} plans have N = {fixedN}");
    }

    private static RelaxedRound Describe(RoundSolution s)
    {
        var r = s.Relaxed;
        if (!s.Feasible)
        {
            string binding = r.Reason == InfeasibleReason.Delay ? "delay" : "energy";
            return new RelaxedRound(false, double.PositiveInfinity, double.PositiveInfinity, double.NaN, 0, double.NaN, double.NaN, binding, 0, 0, r.Converged);
        }
        double gap = s.Bound > 0 ? Math.Max(0.0, (s.Bound - s.LowerBound) / s.Bound) : 0.0;
        return new RelaxedRound(true, s.Bound, s.LowerBound, gap, r.Evaluations, r.Lambda, r.Nu, null, r.PriceIterations, r.DeadlineIterations, r.Converged);
    }

    private Plan BuildPlan(int m, int n, IntegerSolution integer, double lowerBound, out bool fits)
    {
        var scenario = _problem.Scenario;
        var r = integer.Solution.Relaxed;
        bool maxResource = _problem.Definition.FullSpeedAndPower;
        var devices = new DeviceAllocation[scenario.Devices.Count];
        for (int k = 0; k < devices.Length; k++)
        {
            var d = scenario.Devices[k];
            int b = integer.Batches[k];
            double f = maxResource ? d.MaxFrequencyHz : Math.Min(d.MaxFrequencyHz, d.CyclesPerSample * b / r.ComputeTimes[k]);
            double p = maxResource ? d.MaxPowerW : Math.Min(d.MaxPowerW, CostModel.PowerForUploadTime(r.UploadTimes[k],
                scenario.Model.UploadBits, d.BandwidthHz, d.ChannelGain, scenario.Channel.NoisePsdWPerHz));
            devices[k] = new DeviceAllocation(d.Id, b, f, p);
        }
        double f0 = scenario.Server.MaxFrequencyHz;
        if (m > 0 && !maxResource)
            f0 = Math.Min(f0, scenario.Server.CyclesPerSample * integer.ServerBatch / r.T0);
        var plan = new Plan
        {
            Scheme = _problem.Scheme,
            PretrainRounds = m,
            FinetuneRounds = n,
            Server = new ServerAllocation(integer.ServerBatch, f0),
            Devices = devices,
            Predicted = new PlanPrediction(0, 0, 0, 0, 0),
        };
        // The prediction comes from the independent cost model, not from the solver's own sums.
        var check = PlanEvaluator.EvaluateValid(scenario, plan);
        fits = check.Feasible;
        double bound = check.Bound;
        double lower = Math.Min(lowerBound, bound);
        return plan with
        {
            Predicted = new PlanPrediction(check.DelayS, check.EnergyJ, bound, lower, bound > 0 ? (bound - lower) / bound : 0),
        };
    }
}

/// <summary>Options of the fixed-(M, N) solver.</summary>
public sealed record SolverOptions
{
    /// <summary>Relative tolerance of the energy-price and deadline searches (default 1e-11, from 1e-14 to 1e-3).</summary>
    public double Tolerance { get; init; } = 1e-11;
}

/// <summary>Outcome of a fixed-(M, N) solve.</summary>
public enum RoundStatus
{
    /// <summary>A feasible integer plan with its certificate.</summary>
    Solved,
    /// <summary>No plan with these rounds fits the budgets.</summary>
    Infeasible,
    /// <summary>A search of the relaxation or of the rounding stopped at its iteration cap, or the rounded plan
    /// failed the cost model's re-check. The plan is present only when it passed the re-check; its lower bound
    /// holds, but the duality gap may be wider than a converged solve's and the plan may not be the best with
    /// these rounds.</summary>
    NotConverged,
}

/// <summary>The continuous relaxation at fixed (M, N) and its certificate.</summary>
/// <param name="Feasible">Whether the budgets admit these rounds.</param>
/// <param name="Bound">Gbar at the relaxed optimum (+∞ when infeasible).</param>
/// <param name="LowerBound">Dual-function value: a certified lower bound on the relaxation.</param>
/// <param name="DualityGap">(Bound − LowerBound) / Bound.</param>
/// <param name="Evaluations">Device-response evaluations spent (a measure of iterations).</param>
/// <param name="EnergyPrice">λ, the multiplier of the energy budget (per J).</param>
/// <param name="DelayPrice">ν, the multiplier of the delay budget (per s).</param>
/// <param name="BindingBudget">"energy" or "delay" when infeasible.</param>
/// <param name="PriceIterations">Iterations of the outer search on the energy price λ.</param>
/// <param name="DeadlineIterations">Iterations, summed over λ, of the middle search on the round deadline τ.</param>
/// <param name="Converged">False when a search stopped at its iteration cap (the lower bound still holds).</param>
public sealed record RelaxedRound(bool Feasible, double Bound, double LowerBound, double DualityGap, int Evaluations,
    double EnergyPrice, double DelayPrice, string? BindingBudget, int PriceIterations, int DeadlineIterations, bool Converged = true);

/// <summary>Result of <see cref="RoundSolver.Solve"/>.</summary>
/// <param name="Status">Solved, infeasible or not converged.</param>
/// <param name="Plan">The integer plan when solved (and when not converged but a plan passed the cost model's re-check).</param>
/// <param name="Relaxed">The relaxation and its certificate.</param>
public sealed record RoundResult(RoundStatus Status, Plan? Plan, RelaxedRound Relaxed)
{
    /// <summary>Whether there is a plan (<see cref="RoundStatus.Solved"/>, or <see cref="RoundStatus.NotConverged"/> with a plan).</summary>
    [MemberNotNullWhen(true, nameof(Plan))]
    public bool HasPlan => Plan is not null;
}
