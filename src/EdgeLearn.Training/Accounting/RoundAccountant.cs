using EdgeLearn.Costs;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Training.Accounting;

/// <summary>What one fine-tuning round cost under the channel it met.</summary>
/// <param name="Round">Cost of the round: t_FT = t_dl + max_k t_k and e_FT = e_dl + Σk e_k, s and J.</param>
/// <param name="DeadlineMisses">Devices whose t_k exceeded the plan's round deadline (0 for a static channel).</param>
/// <param name="Devices">Each device's compute and upload time and energy in this round.</param>
public sealed record FinetuneRoundCost(RoundCost Round, int DeadlineMisses, IReadOnlyList<DeviceRoundCost> Devices);

/// <summary>A run's ledger after some rounds: rounds accounted per stage, and the faded fine-tuning rounds' summed delay
/// and energy (0 for a static channel, whose totals follow from the counts).</summary>
/// <param name="PretrainRounds">Pre-training rounds accounted.</param>
/// <param name="FinetuneRounds">Fine-tuning rounds accounted.</param>
/// <param name="FadedDelayS">Σ of the faded fine-tuning rounds' delays, s.</param>
/// <param name="FadedEnergyJ">Σ of the faded fine-tuning rounds' energies, J.</param>
public sealed record LedgerState(int PretrainRounds, int FinetuneRounds, double FadedDelayS, double FadedEnergyJ);

/// <summary>
/// Accounts the simulated delay and energy of a run round by round with the cost model of model.md §2 (<see cref="CostModel"/>)
/// at the plan's batches, frequencies and powers.
/// </summary>
/// <remarks>
/// Every round's cost comes from <see cref="CostModel.FinetuneRound"/> and <see cref="CostModel.PretrainRound(Scenario, Plan)"/>,
/// the functions <see cref="PlanEvaluator.Evaluate"/> uses, so for a static channel the cumulative totals after m
/// pre-training and n fine-tuning rounds are <see cref="CostModel.Total"/>(m, e0/t0, n, e_FT/t_FT) and after the whole
/// plan equal the evaluator's totals bit for bit. With <see cref="ChannelFading.Rayleigh"/> every fine-tuning
/// round draws each device's power gain g_k ~ Exp(mean h_k) (seeded by the run's fading seed and the round alone, devices
/// in order, so any round can be recomputed after a resume), recomputes that device's upload
/// time S / r_k and energy p_k S / r_k at the plan's power, and the server waits for the slowest device; a device whose
/// t_k exceeds the plan's round deadline τ = max_k t_k(h_k) counts as a deadline miss.
/// </remarks>
public sealed class RoundAccountant
{
    private readonly Scenario _scenario;
    private readonly Plan _plan;
    private readonly ChannelFading _fading;
    private readonly int _seed;
    private readonly DeviceRoundCost[] _staticDevices;
    private int _pretrainDone;
    private int _finetuneDone;
    private double _fadedDelayS;
    private double _fadedEnergyJ;

    /// <summary>Creates the accountant of one run.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="plan">A plan without <see cref="PlanEvaluator.Mismatches"/>.</param>
    /// <param name="fading">Channel model.</param>
    /// <param name="seed">Seed of the fading draws.</param>
    public RoundAccountant(Scenario scenario, Plan plan, ChannelFading fading, int seed)
        : this(scenario, plan, Evaluated(scenario, plan), fading, seed)
    {
    }

    /// <summary>Creates the accountant of a plan the caller has evaluated: the static costs are the evaluation's, which come
    /// from the same per-round cost functions (<see cref="CostModel.PretrainRound(Scenario, Plan)"/>, <see cref="CostModel.FinetuneRound"/>).</summary>
    internal RoundAccountant(Scenario scenario, Plan plan, PlanEvaluation evaluation, ChannelFading fading, int seed)
    {
        _scenario = scenario;
        _plan = plan;
        _fading = fading;
        _seed = seed;
        PretrainRound = evaluation.PretrainRound;
        _staticDevices = [.. evaluation.Devices.Select(d => d.Cost)];
        StaticFinetuneRound = evaluation.FinetuneRound;
        RoundDeadlineS = _staticDevices.Length == 0 ? 0 : _staticDevices.Max(d => d.DelayS);
    }

    private static PlanEvaluation Evaluated(Scenario scenario, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(plan);
        return PlanEvaluator.TryEvaluate(scenario, plan, out var evaluation, out var mismatches)
            ? evaluation
            : throw new ArgumentException(mismatches[0], nameof(plan));
    }

    /// <summary>Cost of one pre-training round, t0 = c0 B0 / f0 and e0 = κ0 c0 B0 f0² ((0, 0) when M = 0).</summary>
    public RoundCost PretrainRound { get; }

    /// <summary>Cost of one fine-tuning round on the static channel (gains h_k).</summary>
    public RoundCost StaticFinetuneRound { get; }

    /// <summary>The plan's round deadline τ = max_k t_k at the scenario's gains, s (downlink delay excluded).</summary>
    public double RoundDeadlineS { get; }

    /// <summary>Cumulative delay and energy so far.</summary>
    public RoundCost Total => _fading == ChannelFading.None
        ? CostModel.Total(_pretrainDone, PretrainRound, _finetuneDone, StaticFinetuneRound)
        : new RoundCost(
            (_pretrainDone * PretrainRound.DelayS) + _fadedDelayS,
            (_pretrainDone * PretrainRound.EnergyJ) + _fadedEnergyJ);

    /// <summary>The ledger so far, exactly: what <see cref="Restore"/> needs to continue it.</summary>
    public LedgerState State => new(_pretrainDone, _finetuneDone, _fadedDelayS, _fadedEnergyJ);

    /// <summary>Continues a ledger saved with <see cref="State"/> (a resumed run): later rounds and totals are then those
    /// of a run that was never interrupted.</summary>
    /// <param name="state">The saved ledger.</param>
    public void Restore(LedgerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(state.PretrainRounds);
        ArgumentOutOfRangeException.ThrowIfNegative(state.FinetuneRounds);
        _pretrainDone = state.PretrainRounds;
        _finetuneDone = state.FinetuneRounds;
        _fadedDelayS = state.FadedDelayS;
        _fadedEnergyJ = state.FadedEnergyJ;
    }

    /// <summary>Accounts one pre-training round.</summary>
    /// <returns>The round's cost.</returns>
    public RoundCost AccountPretrainRound()
    {
        _pretrainDone++;
        return PretrainRound;
    }

    /// <summary>Accounts one fine-tuning round, drawing the channel when fading.</summary>
    /// <returns>The round's cost and deadline misses.</returns>
    public FinetuneRoundCost AccountFinetuneRound()
    {
        FinetuneRoundCost cost;
        if (_fading == ChannelFading.None)
        {
            cost = new FinetuneRoundCost(StaticFinetuneRound, 0, _staticDevices);
        }
        else
        {
            var random = new Random(Internal.Seeds.Derive(_seed, _finetuneDone + 1));
            var gains = new double[_scenario.Devices.Count];
            for (int k = 0; k < gains.Length; k++)
            {
                gains[k] = RayleighGain(_scenario.Devices[k].ChannelGain, random);
            }

            var round = CostModel.FinetuneRound(_scenario, _plan.Devices, gains);
            cost = new FinetuneRoundCost(round.Round, round.Devices.Count(d => d.DelayS > RoundDeadlineS), round.Devices);
            _fadedDelayS += cost.Round.DelayS;
            _fadedEnergyJ += cost.Round.EnergyJ;
        }

        _finetuneDone++;
        return cost;
    }

    /// <summary>One block-fading draw of a Rayleigh channel's power gain: g = −h ln(1 − U), exponential with mean h.</summary>
    /// <param name="meanGain">Mean power gain h (linear, &gt; 0).</param>
    /// <param name="random">Source of U ~ U[0, 1).</param>
    /// <returns>The gain, ≥ 0.</returns>
    public static double RayleighGain(double meanGain, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return -meanGain * Math.Log(1.0 - random.NextDouble());
    }
}
