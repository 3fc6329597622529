using EdgeLearn.Bound;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Planning.Internal;

/// <summary>
/// The fixed-(M, N) problem of one scheme (model.md §5–§6): which variables are free, how the
/// budgets are shared between the stages, and the objective's constants for given rounds.
/// </summary>
internal sealed class SchemeProblem
{
    private const double BudgetSafety = 1.0 - 1e-10; // keep re-checked plans strictly inside the budgets

    private readonly Scenario _scenario;
    private readonly RoundEngine _engine;
    private readonly DeviceModel[] _devices;
    private readonly double[] _weights;

    public SchemeProblem(Scenario scenario, Scheme scheme)
    {
        _scenario = scenario;
        Scheme = scheme;
        _weights = ConvergenceBound.Weights(scenario.Devices);
        bool fixedSpeed = scheme == Scheme.MaxResource;
        _devices = new DeviceModel[scenario.Devices.Count];
        for (int k = 0; k < _devices.Length; k++)
        {
            var d = scenario.Devices[k];
            (double lo, double hi) = BatchRange(d.MaxBatch);
            _devices[k] = DeviceModel.Create(d, scenario.Channel.NoisePsdWPerHz, scenario.Model.UploadBits,
                ConvergenceBound.VarianceCoefficient(scenario.Learning, _weights[k]), lo, hi, fixedSpeed);
        }
        _engine = new RoundEngine(_devices);
    }

    public Scheme Scheme { get; }

    public Scenario Scenario => _scenario;

    /// <summary>Largest M this scheme may use.</summary>
    public int MaxPretrainRounds => Scheme == Scheme.FinetuneOnly ? 0 : _scenario.Limits.MaxPretrainRounds;

    /// <summary>Largest N this scheme may use.</summary>
    public int MaxFinetuneRounds => _scenario.Limits.MaxFinetuneRounds;

    /// <summary>Whether the scheme fixes all batches (the objective is then constant for given rounds).</summary>
    public bool FixedBatches => Scheme == Scheme.FixedBatch;

    /// <summary>Relative tolerance of the inner searches.</summary>
    public double Tolerance { get => _engine.Tolerance; set => _engine.Tolerance = value; }

    private (double Lo, double Hi) BatchRange(int maxBatch) =>
        Scheme == Scheme.FixedBatch ? (Math.Min(32, maxBatch), Math.Min(32, maxBatch)) : (1, maxBatch);

    /// <summary>2 (r^M Phi0 + 2 Gamma) / (eta N), or 2 Phi / (eta N) when M = 0: the part of Gbar no batch changes.</summary>
    public double ConstantTerm(int m, int n)
    {
        var l = _scenario.Learning;
        double delta = m == 0 ? l.TargetInitialGap
            : Math.Pow(ConvergenceBound.Contraction(l), m) * l.PretrainInitialGap + 2.0 * l.Shift.Gap;
        return 2.0 * delta / (l.StepSize * n);
    }

    /// <summary>A0 = (2 / (eta N)) (1 − r^M) L eta0 sigma0² / (2 mu); zero when M = 0.</summary>
    public double ServerCoefficient(int m, int n) =>
        m == 0 ? 0.0 : 2.0 / (_scenario.Learning.StepSize * n) * ConvergenceBound.PretrainNoiseFloor(_scenario.Learning, m);

    public ServerModel Server(int m, int n)
    {
        (double lo, double hi) = BatchRange(_scenario.Server.MaxBatch);
        return ServerModel.Create(_scenario.Server, ServerCoefficient(m, n), lo, hi, Scheme == Scheme.MaxResource);
    }

    /// <summary>Energy and delay left for M e0 + N Σ ek and M t0 + N τ once the downlink is paid.</summary>
    public (double Energy, double Delay) CoupledBudgets(int n) =>
        ((_scenario.Budget.EnergyJ - n * _scenario.Downlink.EnergyJ) * BudgetSafety,
         (_scenario.Budget.DelayS - n * _scenario.Downlink.DelayS) * BudgetSafety);

    /// <summary>Relaxed solve at (M, N); the objective returned is the whole bound Gbar.</summary>
    public RoundSolution SolveRelaxed(int m, int n)
    {
        var server = Server(m, n);
        double constant = ConstantTerm(m, n);
        if (Scheme == Scheme.Separate) return SolveSeparate(m, n, server, constant);
        (double energy, double delay) = CoupledBudgets(n);
        if (FixedBatches)
        {
            var s = _engine.Solve(server, m, n, energy, delay, energyOnly: true);
            if (s.Status != RelaxedStatus.Solved) return RoundSolution.From(s, constant, null);
            double objective = constant + FixedObjective(m, server);
            return RoundSolution.From(s with { Objective = objective - constant, LowerBound = objective - constant }, constant, null);
        }
        return RoundSolution.From(_engine.Solve(server, m, n, energy, delay), constant, null);
    }

    private double FixedObjective(int m, in ServerModel server)
    {
        double v = m > 0 ? server.A / server.Lo : 0;
        foreach (ref readonly var d in _devices.AsSpan()) v += d.A / d.Lo;
        return v;
    }

    /// <summary>Separate scheme: each stage gets half of each budget; the server stage is closed form.</summary>
    private RoundSolution SolveSeparate(int m, int n, ServerModel server, double constant)
    {
        var budget = _scenario.Budget;
        var stage = new ServerStage(0, 0, 0);
        if (m > 0)
        {
            stage = SolveServerStage(server, m, budget.EnergyJ / 2 * BudgetSafety, budget.DelayS / 2 * BudgetSafety);
            if (stage.Batch < server.Lo)
                return RoundSolution.From(RelaxedSolution.Infeasible(stage.Time < server.MinTime ? InfeasibleReason.Delay : InfeasibleReason.Energy,
                    m * server.MinTime, m * server.Energy(server.Lo, server.MinTime)), constant, null);
        }
        double energy = (budget.EnergyJ / 2 - n * _scenario.Downlink.EnergyJ) * BudgetSafety;
        double delay = (budget.DelayS / 2 - n * _scenario.Downlink.DelayS) * BudgetSafety;
        var devices = _engine.Solve(server, 0, n, energy, delay, energyOnly: FixedBatches);
        if (devices.Status != RelaxedStatus.Solved) return RoundSolution.From(devices, constant, null);
        double serverTerm = m > 0 && server.A > 0 ? server.A / stage.Batch : 0;
        if (FixedBatches)
        {
            double fixedObjective = FixedObjective(0, server) + serverTerm;
            devices = devices with { Objective = fixedObjective, LowerBound = fixedObjective };
        }
        else
        {
            devices = devices with { Objective = devices.Objective + serverTerm, LowerBound = devices.LowerBound + serverTerm };
        }
        devices = devices with { ServerBatch = stage.Batch, T0 = stage.Time, Energy = devices.Energy + m * stage.Energy };
        return RoundSolution.From(devices, constant, stage);
    }

    /// <summary>Largest B0 (the bound falls with B0) that fits M rounds into the stage's energy and time.</summary>
    internal static ServerStage SolveServerStage(in ServerModel server, int m, double energy, double delay)
    {
        double t0 = delay / m;
        if (server.Lo == server.Hi) return new ServerStage(t0 >= server.MinTime && m * server.Energy(server.Lo, t0) <= energy ? server.Lo : 0, t0, server.Energy(server.Lo, t0));
        double cap = Math.Min(server.Hi, t0 * server.Fmax / server.C);
        double byEnergy = server.FixedSpeed
            ? energy / (m * server.Kappa * server.C * server.Fmax * server.Fmax)
            : Math.Cbrt(energy * t0 * t0 / (m * server.Kc3));
        double b = Math.Min(cap, byEnergy);
        return new ServerStage(b, t0, server.Energy(Math.Max(b, server.Lo), t0));
    }

    /// <summary>Server stage of the separate scheme: batch, per-round time and energy.</summary>
    internal readonly record struct ServerStage(double Batch, double Time, double Energy);

    /// <summary>Whether some plan with these rounds fits the budgets (smallest batches, least energy).</summary>
    public bool IsFeasible(int m, int n)
    {
        var server = Server(m, n);
        if (Scheme == Scheme.Separate)
        {
            var budget = _scenario.Budget;
            if (m > 0 && SolveServerStage(server, m, budget.EnergyJ / 2 * BudgetSafety, budget.DelayS / 2 * BudgetSafety).Batch < server.Lo)
                return false;
            return _engine.Solve(server, 0, n, (budget.EnergyJ / 2 - n * _scenario.Downlink.EnergyJ) * BudgetSafety,
                (budget.DelayS / 2 - n * _scenario.Downlink.DelayS) * BudgetSafety, energyOnly: true).Status == RelaxedStatus.Solved;
        }
        (double energy, double delay) = CoupledBudgets(n);
        return _engine.Solve(server, m, n, energy, delay, energyOnly: true).Status == RelaxedStatus.Solved;
    }

    /// <summary>The smallest delay and energy budgets that admit one fine-tuning round (M = 0, N = 1) under
    /// this scheme, the energy taken at the scenario's delay budget (or at the smallest one when that is too short).</summary>
    public (double DelayS, double EnergyJ) OneRoundMinimum()
    {
        double share = Scheme == Scheme.Separate ? 2.0 : 1.0;
        double tauMin = 0;
        foreach (ref readonly var d in _devices.AsSpan()) tauMin = Math.Max(tauMin, d.MinTime);
        double minDelay = share * (_scenario.Downlink.DelayS + tauMin);
        double delay = Math.Max(_scenario.Budget.DelayS, minDelay * (1 + 1e-9)) / share - _scenario.Downlink.DelayS;
        var s = _engine.Solve(Server(0, 1), 0, 1, double.MaxValue, delay, energyOnly: true);
        return (minDelay, share * (_scenario.Downlink.EnergyJ + s.Energy));
    }

    /// <summary>The device models (with the scheme's batch bounds).</summary>
    public ReadOnlySpan<DeviceModel> Devices => _devices;

    /// <summary>Minimum energy and delay solve with fixed integer batches; null when it does not fit.</summary>
    public RoundSolution? SolveFixed(int m, int n, int serverBatch, ReadOnlySpan<int> batches)
    {
        var fixedDevices = new DeviceModel[_devices.Length];
        for (int k = 0; k < fixedDevices.Length; k++) fixedDevices[k] = _devices[k] with { Lo = batches[k], Hi = batches[k] };
        var engine = new RoundEngine(fixedDevices) { Tolerance = Tolerance };
        var server = Server(m, n) with { Lo = serverBatch, Hi = serverBatch };
        double constant = ConstantTerm(m, n);
        double objective = constant;
        if (m > 0) objective += server.A / serverBatch;
        for (int k = 0; k < batches.Length; k++) objective += _devices[k].A / batches[k];
        RelaxedSolution s;
        ServerStage? stage = null;
        if (Scheme == Scheme.Separate)
        {
            var budget = _scenario.Budget;
            if (m > 0)
            {
                var st = SolveServerStage(server, m, budget.EnergyJ / 2 * BudgetSafety, budget.DelayS / 2 * BudgetSafety);
                if (st.Batch < serverBatch) return null;
                stage = st;
            }
            s = engine.Solve(server, 0, n, (budget.EnergyJ / 2 - n * _scenario.Downlink.EnergyJ) * BudgetSafety,
                (budget.DelayS / 2 - n * _scenario.Downlink.DelayS) * BudgetSafety, energyOnly: true);
            if (s.Status != RelaxedStatus.Solved) return null;
            if (stage is { } st2) s = s with { ServerBatch = serverBatch, T0 = st2.Time, Energy = s.Energy + m * server.Energy(serverBatch, st2.Time) };
        }
        else
        {
            (double energy, double delay) = CoupledBudgets(n);
            s = engine.Solve(server, m, n, energy, delay, energyOnly: true);
            if (s.Status != RelaxedStatus.Solved) return null;
        }
        return RoundSolution.From(s with { Objective = objective - constant, LowerBound = double.NaN }, constant, stage);
    }
}

/// <summary>A fixed-(M, N) solution with the bound's constant folded in.</summary>
internal sealed record RoundSolution(RelaxedSolution Relaxed, double Bound, double LowerBound, SchemeProblem.ServerStage? SeparateServer)
{
    public bool Feasible => Relaxed.Status == RelaxedStatus.Solved;

    public static RoundSolution From(RelaxedSolution s, double constant, SchemeProblem.ServerStage? stage) =>
        new(s, s.Status == RelaxedStatus.Solved ? constant + s.Objective : double.PositiveInfinity,
            s.Status == RelaxedStatus.Solved ? constant + s.LowerBound : double.PositiveInfinity, stage);
}
