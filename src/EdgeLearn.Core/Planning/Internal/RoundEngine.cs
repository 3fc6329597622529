namespace EdgeLearn.Planning.Internal;

/// <summary>
/// Solves the relaxed fixed-(M, N) problem of model.md §5 in time variables. The energy price λ and the common
/// fine-tuning deadline τ are found together by Newton's method (<see cref="JointPriceSearch"/>); what it does not settle
/// goes to nested dual searches, each in its own type: <see cref="EnergyPriceSearch"/> finds λ, <see cref="DeadlineSearch"/>
/// at each λ the τ where the devices' time prices balance the server's, and per device a closed-form response to
/// (λ, π) with π found so that the device just meets τ (<see cref="DeviceModel"/>). <see cref="DualCertificate"/>
/// recovers the solution and its certified lower bound. Work per iteration is O(K).
/// </summary>
/// <remarks>Each solve starts from the previous one's <see cref="SolverWarmStart"/>: an engine is not thread-safe.</remarks>
internal sealed class RoundEngine
{
    private readonly DeviceModel[] _devices;
    private readonly SolverWarmStart _warm;

    // Where the energy-only solves (feasibility checks, least-energy times) and the response at λ = 0 start: their
    // prices are far from the search's, so they keep their own.
    private readonly SolverWarmStart _warmAside;

    public RoundEngine(DeviceModel[] devices)
    {
        _devices = devices;
        _warm = new SolverWarmStart(devices.Length);
        _warmAside = new SolverWarmStart(devices.Length);
    }

    public ReadOnlySpan<DeviceModel> Devices => _devices;

    /// <summary>Forgets the previous solves: the next one starts cold, as on a new engine.</summary>
    public void ResetWarmStart()
    {
        _warm.Reset();
        _warmAside.Reset();
    }

    /// <summary>Starts the next solve from where <paramref name="other"/> (an engine over a fleet of the same size) ended.</summary>
    public void WarmStartFrom(RoundEngine other)
    {
        _warm.CopyFrom(other._warm);
        _warmAside.CopyFrom(other._warmAside);
    }

    /// <summary>Relative tolerance on the energy budget and on the deadline balance.</summary>
    public double Tolerance { get; set; } = 1e-11;

    /// <summary>Iteration caps of the searches.</summary>
    public SolverLimits Limits { get; set; } = SolverLimits.Default;

    /// <summary>Solves min A0/B0 + Σ Ak/bk under the energy and delay budgets of the stage(s).</summary>
    /// <param name="server">Server model (ignored when <paramref name="pretrainRounds"/> is 0).</param>
    /// <param name="pretrainRounds">M (0: no server stage in this solve).</param>
    /// <param name="finetuneRounds">N ≥ 1.</param>
    /// <param name="energyBudget">Energy for M e0 + N Σ ek, J.</param>
    /// <param name="delayBudget">Time for M t0 + N τ, s.</param>
    /// <param name="energyOnly">Minimize energy alone (objective weights treated as zero).</param>
    /// <param name="withPoint">Whether the solution keeps every device's batch and times (false: only whether it fits).</param>
    public RelaxedSolution Solve(in ServerModel server, int pretrainRounds, int finetuneRounds,
        double energyBudget, double delayBudget, bool energyOnly = false, bool withPoint = true)
    {
        var tally = new SearchTally();
        var rounds = new FixedRounds(_devices, energyOnly ? _warmAside : _warm, Tolerance, Limits, tally, server, pretrainRounds, finetuneRounds, delayBudget, energyOnly);
        int evaluations = 0;
        if (!(energyBudget > 0) || !(delayBudget > 0) || rounds.TauLo > rounds.TauHi)
            return RelaxedSolution.Infeasible(InfeasibleReason.Delay);

        if (energyOnly)
        {
            var state = rounds.Respond(1.0, ref evaluations);
            return state.Energy <= energyBudget
                ? DualCertificate.Finish(rounds, state, 1.0, energyBudget, evaluations, dual: false, withPoint)
                : RelaxedSolution.Infeasible(InfeasibleReason.Energy, tally.NoCapHit);
        }

        // The response at λ = 0 is solved aside, so that its prices do not spoil the warm start of the search below.
        var aside = new FixedRounds(_devices, _warmAside, Tolerance, Limits, tally, server, pretrainRounds, finetuneRounds, delayBudget, energyOnly: false);
        var free = aside.Respond(0.0, ref evaluations);
        if (free.Energy <= energyBudget)
            return DualCertificate.Finish(aside, free, 0.0, energyBudget, evaluations, dual: true, withPoint);

        // Newton on (λ, τ) together; a point it finds within the budget also proves the budget feasible.
        if (JointPriceSearch.TryFind(rounds, energyBudget, ref evaluations, out double jointPrice, out var joint))
            return DualCertificate.Finish(rounds, joint, jointPrice, energyBudget, evaluations, dual: true, withPoint) with { ByJointSearch = true };

        // Energy is needed at least Emin (batches at their smallest, times all used).
        var least = new FixedRounds(_devices, _warmAside, Tolerance, Limits, tally, ServerModel.WithoutObjective(server), pretrainRounds, finetuneRounds, delayBudget, energyOnly: true)
            .Respond(1.0, ref evaluations);
        if (least.Energy > energyBudget)
            return RelaxedSolution.Infeasible(InfeasibleReason.Energy, tally.NoCapHit);

        var (lambda, final) = EnergyPriceSearch.Find(rounds, energyBudget, ref evaluations);
        return DualCertificate.Finish(rounds, final, lambda, energyBudget, evaluations, dual: true, withPoint);
    }
}
