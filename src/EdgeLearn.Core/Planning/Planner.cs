using System.Diagnostics.CodeAnalysis;
using EdgeLearn.Planning.Internal;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Planning;

/// <summary>
/// Plans a two-stage deployment: searches the rounds (M, N) within the scenario's limits, solves each
/// candidate with the certified fixed-(M, N) solver, and returns the best integer plan with its
/// certificate and a report of what was searched (model.md §5–§6).
/// </summary>
/// <example><code>
/// var result = Planner.Plan(DefaultScenario.Create());
/// if (result.HasPlan) Console.WriteLine(result.Plan.Predicted.Bound);
/// else if (result.IsInfeasible) Console.WriteLine(result.Infeasibility.Message);
/// </code></example>
public static class Planner
{
    /// <summary>Plans one scheme.</summary>
    /// <param name="scenario">A validated scenario.</param>
    /// <param name="scheme">The scheme (default joint).</param>
    /// <param name="options">Search and solver options.</param>
    /// <exception cref="InvalidScenarioException">The scenario breaks a rule of <see cref="ScenarioValidator"/> (the message is
    /// the first one, worded as when the scenario is read from JSON).</exception>
    /// <exception cref="ArgumentException">The scheme is not registered or an option is out of range.</exception>
    public static PlanResult Plan(Scenario scenario, Scheme scheme = Scheme.Joint, PlannerOptions? options = null) =>
        Plan(scenario, scheme, options, null, CancellationToken.None);

    /// <summary>Plans one scheme, reporting after every relaxation solved and stopping when asked.</summary>
    /// <param name="scenario">A validated scenario.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="options">Search and solver options (null: the defaults).</param>
    /// <param name="progress">Receives where the search stands after every relaxation it solves (on the planning thread), or null.</param>
    /// <param name="cancellationToken">Stops the plan before its next solve.</param>
    /// <exception cref="InvalidScenarioException">The scenario breaks a rule of <see cref="ScenarioValidator"/>.</exception>
    /// <exception cref="ArgumentException">The scheme is not registered or an option is out of range.</exception>
    /// <exception cref="OperationCanceledException">Cancellation was requested; the message says where ("at relaxation 120 of the joint search").</exception>
    public static PlanResult Plan(Scenario scenario, Scheme scheme, PlannerOptions? options, IProgress<PlanningProgress>? progress,
        CancellationToken cancellationToken)
    {
        ScenarioValidator.ThrowIfInvalid(scenario);
        ThrowIfUnknown(scheme);
        options?.ThrowIfInvalid(nameof(options));
        return Plan(scenario, scheme, options, SolverLimits.Default, progress, cancellationToken);
    }

    /// <summary>Plans one scheme of a validated scenario with the given iteration caps (tests lower them to reach the caps).</summary>
    internal static PlanResult Plan(Scenario scenario, Scheme scheme, PlannerOptions? options, SolverLimits limits,
        IProgress<PlanningProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new PlannerOptions();
        var problem = new SchemeProblem(scenario, scheme) { Tolerance = options.SearchTolerance, Limits = limits };
        RoundSearch search = null!;
        var cuts = FleetCuts.Applies(problem) ? new FleetCuts(problem) : null;
        int solved = 0, checks = 0;
        double bestSoFar = double.PositiveInfinity;
        void Checkpoint()
        {
            if (cancellationToken.IsCancellationRequested)
                throw new OperationCanceledException(FormattableString.Invariant($"at relaxation {solved + 1} of the {scheme.ToName()} search"), cancellationToken);
        }
        search = new RoundSearch((m, n) =>
            {
                Checkpoint();
                // With dual cuts the search takes no envelope slopes, so it keeps no per-device point either.
                var solution = problem.SolveRelaxed(m, n, withPoint: cuts is null);
                cuts?.Add(solution, n);
                solved++;
                if (solution.Bound < bestSoFar) bestSoFar = solution.Bound;
                progress?.Report(new PlanningProgress(scheme, solved, checks, bestSoFar));
                var (slopeN, slopeM) = cuts is null ? problem.Slopes(m, n, solution) : (double.NaN, double.NaN);
                return new PairValue(solution.Bound, slopeN, slopeM, solution.LowerBound);
            }, (m, n) =>
            {
                Checkpoint();
                checks++;
                return problem.IsFeasible(m, n);
            },
            new SearchOptions(Math.Max(3, options.GridPoints), Math.Max(2, options.ExhaustiveWidth), Math.Max(0, options.LocalSweep), options.SearchTolerance),
            (first, last, n) =>
            {
                // The range relaxation of [first, last] at N is the pair (first, N) with the contraction of last: the
                // constant term is only added after the solve (SchemeProblem.SolveRange), so the pair's solve (cached,
                // shared with W(first) and with every range that starts at first) serves, shifted by the constants.
                var pair = search.Evaluate(first, n);
                double shift = problem.ConstantTerm(last, n) - problem.ConstantTerm(first, n);
                return new PairValue(pair.Value + shift, double.NaN, double.NaN, pair.LowerBound + shift);
            },
            cuts is null ? null : (first, last) => cuts.RangeBoundAt(first, last, problem.MaxFinetuneRounds));
        int mMax = problem.MaxPretrainRounds, nMax = problem.MaxFinetuneRounds;

        if (!search.Feasible(0, 1))
            return PlanResult.Infeasible(scheme, Diagnose(problem), Report(search, mMax, nMax, -1, 0, 0, double.PositiveInfinity, double.PositiveInfinity, problem.NotConvergedSolves, cuts is not null));

        int mMin = problem.Definition.Pretraining ? Math.Clamp(options.MinPretrainRounds, 0, Math.Max(0, mMax)) : 0;
        var (bestN, bestValue) = mMin == 0 ? search.BestN(0, nMax) : (0, double.PositiveInfinity);
        double globalLower = mMin == 0 && bestN > 0 ? search.Evaluate(0, bestN).LowerBound : double.PositiveInfinity;
        int bestM = 0, mFeasible = 0;
        int mLow = Math.Max(1, mMin);
        if (mMax > 0 && search.Feasible(mLow, 1))
        {
            mFeasible = RoundSearch.LastTrue(mLow, mMax, m => search.Feasible(m, 1));
            // W(M) need not be unimodal (model.md §5), so a seed M only gives the branch and bound a first incumbent.
            // With dual cuts it needs none: every range's first step solves a pair, and the best pair solved is the
            // incumbent (a seed's best N cost 20–30 solves). Without them (fixed batches, separate budgets) a good seed
            // saves range relaxations: bisection on the slope in M (by values where every batch is fixed, since the best
            // N then sits on the stair-stepped feasibility frontier).
            int? incumbent = cuts is not null ? null
                : problem.FixedBatches ? search.Minimize(x => search.BestN(x, nMax).Value, mLow, mFeasible)
                : search.MinimizeBySlope(x => search.BestN(x, nMax).Value, SlopeM, mLow, mFeasible);
            var global = search.GlobalMinimumOverM(mLow, mFeasible, nMax, incumbent, bestN > 0 ? bestN : nMax / 2);
            // The branch and bound stops within its tolerance (1e-9) of the best M; where W still falls, however slightly,
            // up to the largest feasible M (huge budgets: the round limit binds), that M is strictly better and taken.
            if (global.M < mFeasible && (cuts is null || cuts.RangeBound(mFeasible, mFeasible, nMax).Bound < global.Value)
                && search.BestN(mFeasible, nMax) is { N: > 0 } top && top.Value < global.Value)
                global = global with { M = mFeasible, N = top.N, Value = top.Value };
            globalLower = Math.Min(globalLower, global.LowerBound);
            if (global.Value < bestValue)
            {
                int m = search.SmallestTiedM(mLow, global.M, nMax, global.Value);
                (bestM, (bestN, bestValue)) = m == global.M ? (m, (global.N, global.Value)) : (m, search.BestN(m, nMax));
            }

            // dW/dM of W(M) = min over N: the envelope slope while the best N is interior; where it sits on the
            // feasibility frontier (which moves with M) the difference W(M + 1) − W(M) instead.
            double SlopeM(int x)
            {
                var (n, v) = search.BestN(x, nMax);
                if (n < nMax && !search.Feasible(x, n + 1))
                    return x < mFeasible ? search.BestN(x + 1, nMax).Value - v : double.PositiveInfinity;
                return search.Evaluate(x, n).SlopeM;
            }
        }

        // Integer batches lose a little against the relaxation, and how much depends on (M, N) through
        // the fractional parts: the final plan is the best integer plan in a small box around the
        // relaxed optimum (the box shrinks to the optimum alone for very large K, where rounding averages out).
        var solver = new RoundSolver(scenario, scheme, new SolverOptions { Tolerance = options.FinalTolerance }, limits);
        int sweep = scenario.Devices.Count <= options.IntegerSweepMaxDevices ? Math.Max(0, options.IntegerSweep) : 0;
        RoundResult? best = null;
        int failedRecheck = 0; // candidates whose rounded plan failed the cost model's re-check
        for (int m = Math.Max(mMin, bestM - sweep); m <= Math.Min(mFeasible, bestM + sweep); m++)
        {
            for (int n = Math.Max(1, bestN - sweep); n <= Math.Min(nMax, bestN + sweep); n++)
            {
                if (!search.Feasible(m, n)) continue;
                Checkpoint();
                var round = solver.Solve(m, n);
                if (round is { Status: RoundStatus.NotConverged, HasPlan: false }) failedRecheck++;
                if (round.HasPlan && (best is not { Plan: { } incumbent } || round.Plan.Predicted.Bound < incumbent.Predicted.Bound))
                    best = round;
            }
        }
        int notConverged = problem.NotConvergedSolves + solver.Problem.NotConvergedSolves;
        var report = Report(search, mMax, nMax, mFeasible, bestM, bestN, bestValue, globalLower, notConverged, cuts is not null);
        if (best is not null)
            return new PlanResult(scheme, notConverged == 0 ? PlanStatus.Planned : PlanStatus.NotConverged, best.Plan, null, report, best.Relaxed);
        // Without a converged search, or when rounded plans failed the re-check, "no plan" is not a proof that none fits.
        return notConverged + failedRecheck > 0
            ? new PlanResult(scheme, PlanStatus.NotConverged, null, null, report, null)
            : PlanResult.Infeasible(scheme, Diagnose(problem), report);
    }

    /// <summary>Plans every scheme of model.md §6 on the same scenario, joint first.</summary>
    /// <param name="scenario">A validated scenario.</param>
    /// <param name="options">Search and solver options.</param>
    /// <exception cref="InvalidScenarioException">The scenario breaks a rule of <see cref="ScenarioValidator"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static IReadOnlyList<PlanResult> Compare(Scenario scenario, PlannerOptions? options = null) =>
        Compare(scenario, options, null, CancellationToken.None);

    /// <summary>Plans every scheme of model.md §6 on the same scenario, joint first, reporting and stopping as
    /// <see cref="Plan(Scenario, Scheme, PlannerOptions?, IProgress{PlanningProgress}?, CancellationToken)"/> does.</summary>
    /// <param name="scenario">A validated scenario.</param>
    /// <param name="options">Search and solver options (null: the defaults).</param>
    /// <param name="progress">Receives where each scheme's search stands, or null.</param>
    /// <param name="cancellationToken">Stops before the next solve.</param>
    /// <exception cref="InvalidScenarioException">The scenario breaks a rule of <see cref="ScenarioValidator"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="OperationCanceledException">Cancellation was requested.</exception>
    public static IReadOnlyList<PlanResult> Compare(Scenario scenario, PlannerOptions? options, IProgress<PlanningProgress>? progress,
        CancellationToken cancellationToken)
    {
        ScenarioValidator.ThrowIfInvalid(scenario);
        options?.ThrowIfInvalid(nameof(options));
        return SchemeNames.All.Select(s => Plan(scenario, s, options, SolverLimits.Default, progress, cancellationToken)).ToArray();
    }

    /// <summary>Throws when <paramref name="scheme"/> is not a registered scheme (an integer cast to the enum).</summary>
    internal static void ThrowIfUnknown(Scheme scheme, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(scheme))] string? paramName = null)
    {
        if (!SchemeNames.All.Contains(scheme))
            throw new ArgumentException(FormattableString.Invariant($"scheme is {(int)scheme}; it must be one of {SchemeNames.Valid}."), paramName);
    }

    private static SearchReport Report(RoundSearch search, int mMax, int nMax, int mFeasible, int bestM, int bestN, double bestValue,
        double globalLower, int notConverged, bool cuts) => new(
        cuts
            ? "feasible frontier by bisection; per M the exact best N (the relaxed bound is convex in 1/N); over M a branch and bound on certified range relaxations and dual cuts from solved pairs' prices, its incumbent the best pair solved; the smallest M of an exact plateau"
            : "feasible frontier by bisection; per M the exact best N (the relaxed bound is convex in 1/N); over M a branch and bound on certified range relaxations, seeded by bisection on the envelope-theorem slope in M (fixed-batch: by golden section)",
        mMax, nMax, mFeasible, search.PairsEvaluated, search.FeasibilityChecks, bestM, bestN, bestValue, notConverged)
    {
        RelaxedLowerBound = Math.Min(globalLower, bestValue),
        RangesBounded = search.RangesBounded,
        RangeSolves = search.RangeSolves,
    };

    private static Infeasibility Diagnose(SchemeProblem problem)
    {
        var scenario = problem.Scenario;
        var (minDelay, minEnergy) = problem.OneRoundMinimum();
        bool delayBinds = scenario.Budget.DelayS < minDelay;
        string budget = delayBinds ? "delay" : "energy";
        string message = delayBinds
            ? $"the delay budget binds: budget.delayS is {scenario.Budget.DelayS:G6} s but one fine-tuning round takes at least {minDelay:G6} s"
            : $"the energy budget binds: budget.energyJ is {scenario.Budget.EnergyJ:G6} J but one fine-tuning round within the delay budget needs at least {minEnergy:G6} J";
        // The energy minimum depends on the time allowed (more time, lower frequencies, less energy): name that time.
        double atDelay = Math.Max(scenario.Budget.DelayS, minDelay);
        return new Infeasibility(budget, message + $"; one fine-tuning round fits a delay budget of at least {minDelay:G6} s, and an energy budget of at least {minEnergy:G6} J when the delay budget is {atDelay:G6} s (more time needs less energy).",
            minEnergy, minDelay);
    }
}

/// <summary>Where a running plan stands, reported after every relaxation its search solves.</summary>
/// <param name="Scheme">The scheme being planned.</param>
/// <param name="RelaxationsSolved">Fixed-(M, N) relaxations solved so far.</param>
/// <param name="FeasibilityChecks">Feasibility checks so far (solves of least energy, cheaper than relaxations).</param>
/// <param name="BestBound">The lowest relaxed bound Gbar found so far (+∞ before the first feasible pair).</param>
public sealed record PlanningProgress(Scheme Scheme, int RelaxationsSolved, int FeasibilityChecks, double BestBound);

/// <summary>Outcome of planning.</summary>
public enum PlanStatus
{
    /// <summary>A feasible plan was found.</summary>
    Planned,
    /// <summary>No plan fits the budgets.</summary>
    Infeasible,
    /// <summary>Some fixed-(M, N) solve stopped at an iteration cap (<see cref="SearchReport.NotConvergedSolves"/>).
    /// A plan, when there is one, fits the budgets (re-checked by the cost model) and its certificate holds, but
    /// the search may have missed better rounds; without a plan, the budgets may still admit one.</summary>
    NotConverged,
}

/// <summary>Why no plan fits, and what would.</summary>
/// <param name="BindingBudget">"energy" or "delay".</param>
/// <param name="Message">One readable sentence.</param>
/// <param name="MinimumEnergyJ">Smallest energy budget that allows one fine-tuning round (at the scenario's delay budget, or at the smallest delay budget when that is too short).</param>
/// <param name="MinimumDelayS">Smallest delay budget that allows one fine-tuning round.</param>
public sealed record Infeasibility(string BindingBudget, string Message, double MinimumEnergyJ, double MinimumDelayS);

/// <summary>What the outer search over (M, N) looked at.</summary>
/// <param name="Strategy">How it searched.</param>
/// <param name="MaxPretrainRounds">Mmax searched (0 for finetune-only).</param>
/// <param name="MaxFinetuneRounds">Nmax searched.</param>
/// <param name="LargestFeasiblePretrainRounds">Largest M that admits one fine-tuning round (−1 when none does).</param>
/// <param name="PairsEvaluated">Distinct (M, N) whose relaxation was solved.</param>
/// <param name="FeasibilityChecks">Distinct (M, N) whose feasibility was checked.</param>
/// <param name="RelaxedPretrainRounds">M of the best relaxation found.</param>
/// <param name="RelaxedFinetuneRounds">N of the best relaxation found.</param>
/// <param name="RelaxedBound">Gbar of the best relaxation found (before integer batches; +∞ when infeasible).</param>
/// <param name="NotConvergedSolves">Fixed-(M, N) solves (searches, feasibility checks and rounding) in which a search
/// stopped at its iteration cap; 0 in a converged plan.</param>
public sealed record SearchReport(string Strategy, int MaxPretrainRounds, int MaxFinetuneRounds, int LargestFeasiblePretrainRounds,
    int PairsEvaluated, int FeasibilityChecks, int RelaxedPretrainRounds, int RelaxedFinetuneRounds, double RelaxedBound,
    int NotConvergedSolves = 0)
{
    /// <summary>A certified lower bound on the relaxed bound over every (M, N) within the limits (model.md §5, "The outer
    /// search"): the branch and bound's smallest range bound and evaluated lower bound. <see cref="RelaxedBound"/> minus
    /// this is the search's optimality gap; it is at most the search tolerance times the bound when the search converged.
    /// NaN when not reported.</summary>
    public double RelaxedLowerBound { get; init; } = double.NaN;

    /// <summary>Ranges of M the branch and bound bounded.</summary>
    public int RangesBounded { get; init; }

    /// <summary>Relaxations of ranges of M evaluated for those bounds (one per range and N). Each is the solve of the pair
    /// (first M of the range, N) shifted by the constant terms, so its solve, when new, is counted in
    /// <see cref="PairsEvaluated"/>.</summary>
    public int RangeSolves { get; init; }
}

/// <summary>Result of planning one scheme.</summary>
/// <param name="Scheme">The scheme.</param>
/// <param name="Status">Planned, infeasible or not converged.</param>
/// <param name="Plan">The plan when planned (or not converged).</param>
/// <param name="Infeasibility">The reason when infeasible.</param>
/// <param name="Search">What the outer search looked at.</param>
/// <param name="Certificate">The relaxation at the plan's (M, N) with its duality gap.</param>
public sealed record PlanResult(Scheme Scheme, PlanStatus Status, Plan? Plan, Infeasibility? Infeasibility, SearchReport Search, RelaxedRound? Certificate)
{
    /// <summary>Whether there is a plan with its certificate (status <see cref="PlanStatus.Planned"/> or <see cref="PlanStatus.NotConverged"/>).</summary>
    [MemberNotNullWhen(true, nameof(Plan), nameof(Certificate))]
    public bool HasPlan => Plan is not null && Certificate is not null;

    /// <summary>Whether no plan fits, with the reason.</summary>
    [MemberNotNullWhen(true, nameof(Infeasibility))]
    public bool IsInfeasible => Infeasibility is not null;

    internal static PlanResult Infeasible(Scheme scheme, Infeasibility why, SearchReport search) =>
        new(scheme, PlanStatus.Infeasible, null, why, search, null);
}
