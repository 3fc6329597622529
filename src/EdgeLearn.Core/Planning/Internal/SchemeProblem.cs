using EdgeLearn.Bound;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Planning.Internal;

/// <summary>
/// The fixed-(M, N) problem of one scheme (model.md §5–§6): which variables are free, how the
/// budgets are shared between the stages, and the objective's constants for given rounds.
/// </summary>
internal sealed class SchemeProblem
{
    /// <summary>Share of each budget the solves use, so that re-checked plans stay strictly inside the budgets.</summary>
    public const double BudgetSafety = 1.0 - 1e-10;

    private readonly Scenario _scenario;
    private readonly RoundEngine _engine;
    private readonly DeviceModel[] _devices;
    private readonly double[] _weights;

    // The separate scheme's fine-tuning stages by N (and whether only energy counts), and their feasibility.
    private readonly Dictionary<(int N, bool EnergyOnly), RelaxedSolution> _finetuneStages = [];
    private readonly Dictionary<int, bool> _finetuneFeasible = [];

    // Reused by SolveWithBounds and SolveFixed (single-threaded, like the engine).
    private DeviceModel[]? _bounded;
    private RoundEngine? _boundedEngine;
    private double[]? _fixedBatches;

    public SchemeProblem(Scenario scenario, Scheme scheme)
    {
        _scenario = scenario;
        Scheme = scheme;
        Definition = scheme.Definition();
        _weights = ConvergenceBound.Weights(scenario.Devices);
        bool fixedSpeed = Definition.FullSpeedAndPower;
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

    /// <summary>What the scheme fixes; every difference between schemes below comes from here.</summary>
    public SchemeDefinition Definition { get; }

    /// <summary>The share of each budget the pre-training stage gets when the stages cannot trade budget; null when they share.</summary>
    private double? PretrainShare => Definition.PretrainShare;

    public Scenario Scenario => _scenario;

    /// <summary>Largest M this scheme may use.</summary>
    public int MaxPretrainRounds => Definition.Pretraining ? _scenario.Limits.MaxPretrainRounds : 0;

    /// <summary>Largest N this scheme may use.</summary>
    public int MaxFinetuneRounds => Definition.FinetuneRounds is { } n ? Math.Min(n, _scenario.Limits.MaxFinetuneRounds) : _scenario.Limits.MaxFinetuneRounds;

    /// <summary>Whether the scheme fixes all batches (the objective is then constant for given rounds).</summary>
    public bool FixedBatches => Definition.FixedBatch is not null;

    /// <summary>Relative tolerance of the inner searches.</summary>
    public double Tolerance { get => _engine.Tolerance; set => _engine.Tolerance = value; }

    /// <summary>Iteration caps of the inner searches.</summary>
    public SolverLimits Limits { get => _engine.Limits; set => _engine.Limits = value; }

    /// <summary>Solves so far (searches, feasibility checks and rounding included) in which a search hit its iteration cap.</summary>
    public int NotConvergedSolves { get; private set; }

    /// <summary>Counts <paramref name="s"/> when one of its searches hit its cap.</summary>
    private RelaxedSolution Track(RelaxedSolution s)
    {
        if (!s.Converged) NotConvergedSolves++;
        return s;
    }

    private (double Lo, double Hi) BatchRange(int maxBatch) =>
        Definition.FixedBatch is { } b ? (Math.Min(b, maxBatch), Math.Min(b, maxBatch)) : (1, maxBatch);

    /// <summary>2 (r^M Phi0 + 2 Gamma) / (eta N), or 2 Phi / (eta N) when M = 0: the part of Gbar no batch changes.</summary>
    public double ConstantTerm(int m, int n)
    {
        var l = _scenario.Learning;
        double delta = m == 0 ? l.TargetInitialGap
            : Math.Pow(ConvergenceBound.Contraction(l), m) * l.PretrainInitialGap + l.Shift.TransferPenalty;
        return 2.0 * delta / (l.StepSize * n);
    }

    /// <summary>A0 = (2 / (eta N)) (1 − r^M) L eta0 sigma0² / (2 mu); zero when M = 0.</summary>
    public double ServerCoefficient(int m, int n) =>
        m == 0 ? 0.0 : 2.0 / (_scenario.Learning.StepSize * n) * ConvergenceBound.PretrainNoiseFloor(_scenario.Learning, m);

    public ServerModel Server(int m, int n)
    {
        (double lo, double hi) = BatchRange(_scenario.Server.MaxBatch);
        return ServerModel.Create(_scenario.Server, ServerCoefficient(m, n), lo, hi, Definition.FullSpeedAndPower);
    }

    /// <summary>Energy and delay left for M e0 + N Σ ek and M t0 + N τ once the downlink is paid.</summary>
    public (double Energy, double Delay) CoupledBudgets(int n) =>
        ((_scenario.Budget.EnergyJ - n * _scenario.Downlink.EnergyJ) * BudgetSafety,
         (_scenario.Budget.DelayS - n * _scenario.Downlink.DelayS) * BudgetSafety);

    /// <summary>Relaxed solve at (M, N); the objective returned is the whole bound Gbar.</summary>
    /// <param name="m">M.</param>
    /// <param name="n">N.</param>
    /// <param name="withPoint">Whether the solution keeps every device's batch and times (the search needs only the
    /// bound, its certificate and the prices, unless it takes envelope slopes; at K = 100,000 the point is 2.4 MB).</param>
    public RoundSolution SolveRelaxed(int m, int n, bool withPoint = true) =>
        SolveCore(m, n, _engine, Server(m, n), FixedBatches, ConstantTerm(m, n), withPoint);

    /// <summary>
    /// A relaxation of every (M, N) with M in [<paramref name="mFirst"/>, <paramref name="mLast"/>] (1 ≤ mFirst ≤ mLast) and
    /// this N: the budgets of M = mFirst rounds (fewer rounds leave more of both budgets to each round), the server's noise
    /// weight (1 − r^M) of mFirst (it grows with M) and the contraction r^M Φ0 of mLast (it falls with M). Every point
    /// feasible at some M in the range is feasible here with the same per-round variables and a bound no lower, so the
    /// solve's certified lower bound bounds Gbar from below over the whole range (model.md §5, "The outer search").
    /// </summary>
    public RoundSolution SolveRange(int mFirst, int mLast, int n) =>
        SolveCore(mFirst, n, _engine, Server(mFirst, n), FixedBatches, ConstantTerm(mLast, n));

    /// <summary>Relaxed solve at (M, N) with every batch confined to the given bounds (used for rounding).</summary>
    /// <remarks>Each call starts from where the relaxed search's engine stands (the rounding's boxes sit next to its last
    /// solve, so its prices are a close start), never from the bounded solve before; the device models and the engine are
    /// reused between calls (an integer rounding makes about log2 K of them, and at K = 100,000 each copy of the fleet is
    /// 10 MB).</remarks>
    public RoundSolution SolveWithBounds(int m, int n, ReadOnlySpan<double> lo, ReadOnlySpan<double> hi, double serverLo, double serverHi)
    {
        _bounded ??= new DeviceModel[_devices.Length];
        bool allFixed = m == 0 || serverLo == serverHi;
        for (int k = 0; k < _bounded.Length; k++)
        {
            _bounded[k] = _devices[k] with { Lo = lo[k], Hi = hi[k] };
            allFixed &= lo[k] == hi[k];
        }
        _boundedEngine ??= new RoundEngine(_bounded);
        _boundedEngine.WarmStartFrom(_engine);
        _boundedEngine.Tolerance = Tolerance;
        _boundedEngine.Limits = Limits;
        return SolveCore(m, n, _boundedEngine, Server(m, n) with { Lo = serverLo, Hi = serverHi }, allFixed, ConstantTerm(m, n));
    }

    /// <summary>Least-energy times for fixed integer batches; null when they do not fit the budgets.</summary>
    public RoundSolution? SolveFixed(int m, int n, int serverBatch, ReadOnlySpan<int> batches)
    {
        _fixedBatches ??= new double[batches.Length];
        for (int k = 0; k < _fixedBatches.Length; k++) _fixedBatches[k] = batches[k];
        var s = SolveWithBounds(m, n, _fixedBatches, _fixedBatches, serverBatch, serverBatch);
        return s.Feasible ? s : null;
    }

    /// <summary>
    /// One fixed-(M, N) solve with the given device models and server. Coupled schemes share one energy
    /// and one delay budget between the stages; a scheme with a pretraining share (separate: half) gives each stage
    /// its own part of each, so its server stage is solved in closed form and its devices alone. With every batch fixed the
    /// objective is constant and only the least-energy times are computed.
    /// </summary>
    private RoundSolution SolveCore(int m, int n, RoundEngine engine, ServerModel server, bool fixedBatches, double constant, bool withPoint = true)
    {
        var budget = _scenario.Budget;
        ServerStage? stage = null;
        RelaxedSolution s;
        if (PretrainShare is { } share)
        {
            if (m > 0)
            {
                var st = SolveServerStage(server, m, budget.EnergyJ * share * BudgetSafety, budget.DelayS * share * BudgetSafety);
                if (st.Batch < server.Lo)
                    return RoundSolution.From(RelaxedSolution.Infeasible(st.Time < server.MinTime ? InfeasibleReason.Delay : InfeasibleReason.Energy), constant, null);
                stage = st;
            }
            s = FinetuneStage(engine, n, fixedBatches);
            if (s.Status != RelaxedStatus.Solved) return RoundSolution.From(s, constant, null);
            if (stage is { } st2)
            {
                double serverTerm = server.A > 0 ? server.A / st2.Batch : 0;
                s = s with
                {
                    Objective = s.Objective + serverTerm, LowerBound = s.LowerBound + serverTerm,
                    ServerBatch = st2.Batch, T0 = st2.Time, Energy = s.Energy + m * st2.Energy,
                };
            }
        }
        else
        {
            (double energy, double delay) = CoupledBudgets(n);
            s = Track(engine.Solve(server, m, n, energy, delay, energyOnly: fixedBatches, withPoint));
            if (s.Status != RelaxedStatus.Solved) return RoundSolution.From(s, constant, null);
        }
        if (fixedBatches)
        {
            double objective = m > 0 ? server.A / server.Lo : 0;
            foreach (ref readonly var d in engine.Devices) objective += d.A / d.Lo;
            s = s with { Objective = objective, LowerBound = objective };
        }
        return RoundSolution.From(s, constant, stage);
    }

    /// <summary>
    /// The fine-tuning stage of a scheme whose stages have budgets of their own (separate): its devices alone with N
    /// rounds in their share, which depends on N but not on M. The search solves many M with the same N, so the
    /// search engine's stages are kept (at most <see cref="FinetuneStageCacheSize"/>, then forgotten all at once);
    /// bounded solves (rounding) are not.
    /// </summary>
    private RelaxedSolution FinetuneStage(RoundEngine engine, int n, bool energyOnly)
    {
        if (engine == _engine && _finetuneStages.TryGetValue((n, energyOnly), out var known)) return known;
        var budget = _scenario.Budget;
        double share = 1 - PretrainShare!.Value;
        var s = Track(engine.Solve(ServerModel.WithoutObjective(Server(0, n)), 0, n, (budget.EnergyJ * share - n * _scenario.Downlink.EnergyJ) * BudgetSafety,
            (budget.DelayS * share - n * _scenario.Downlink.DelayS) * BudgetSafety, energyOnly));
        if (engine == _engine)
        {
            if (_finetuneStages.Count >= FinetuneStageCacheSize) _finetuneStages.Clear();
            _finetuneStages[(n, energyOnly)] = s;
        }
        return s;
    }

    /// <summary>Fine-tuning stages kept for reuse: each holds three K-long arrays (2.4 MB at K = 100,000).</summary>
    private const int FinetuneStageCacheSize = 32;

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

    /// <summary>
    /// Slopes of the relaxed optimal bound in the rounds, treated as continuous, by the envelope theorem:
    /// ∂V/∂N = −C/N − (A0/B0)/N + λ (Σk ek + edl) + ν (τ + tdl) and
    /// ∂V/∂M = ∂C/∂M + (∂A0/∂M)/B0 + λ e0 + ν t0, with the solution's prices λ and ν.
    /// The outer search bisects on their signs. Infeasible points slope up (+∞): feasibility falls with M and N.
    /// </summary>
    public (double N, double M) Slopes(int m, int n, RoundSolution s)
    {
        if (!s.Feasible) return (double.PositiveInfinity, double.PositiveInfinity);
        var r = s.Relaxed;
        var l = _scenario.Learning;
        bool prices = !FixedBatches;
        double lambda = prices ? r.Lambda : 0, nu = prices ? r.Nu : 0;
        double constant = ConstantTerm(m, n);
        var server = Server(m, n);
        double serverTerm = m > 0 && server.A > 0 ? server.A / r.ServerBatch : 0;
        double deviceEnergy = 0;
        for (int k = 0; k < _devices.Length; k++) deviceEnergy += _devices[k].Energy(r.Batches[k], r.ComputeTimes[k], r.UploadTimes[k]);
        double dN = -constant / n - serverTerm / n + lambda * (deviceEnergy + _scenario.Downlink.EnergyJ) + nu * (r.Tau + _scenario.Downlink.DelayS);

        // In M ≥ 1 (M = 0 is another formula for Delta and is compared separately).
        double mm = Math.Max(m, 1);
        double lnR = Math.Log(ConvergenceBound.Contraction(l)), rM = Math.Pow(ConvergenceBound.Contraction(l), mm);
        double dConstant = 2.0 * lnR * rM * l.PretrainInitialGap / (l.StepSize * n);
        double dCoefficient = -2.0 / (l.StepSize * n) * lnR * rM * l.Smoothness * l.PretrainStepSize * l.PretrainGradientVariance / (2.0 * l.PlConstant);
        double dM;
        if (m == 0) dM = double.NaN;
        else if (PretrainShare is { } share)
        {
            // The server stage is closed form: difference its part of the bound over neighbouring M.
            double Stage(int mi)
            {
                var sv = Server(mi, n);
                var st = SolveServerStage(sv, mi, _scenario.Budget.EnergyJ * share * BudgetSafety, _scenario.Budget.DelayS * share * BudgetSafety);
                return ConstantTerm(mi, n) + (st.Batch >= sv.Lo ? sv.A / st.Batch : double.PositiveInfinity);
            }
            int below = Math.Max(1, m - 1);
            dM = (Stage(m + 1) - Stage(below)) / (m + 1 - below);
        }
        else
        {
            double batch = r.ServerBatch > 0 ? r.ServerBatch : server.Lo;
            dM = dConstant + dCoefficient / batch + lambda * server.Energy(batch, r.T0) + nu * r.T0;
        }
        return (dN, dM);
    }

    /// <summary>Whether some plan with these rounds fits the budgets (smallest batches, least energy).</summary>
    public bool IsFeasible(int m, int n)
    {
        var server = Server(m, n);
        if (PretrainShare is { } share)
        {
            var budget = _scenario.Budget;
            if (m > 0 && SolveServerStage(server, m, budget.EnergyJ * share * BudgetSafety, budget.DelayS * share * BudgetSafety).Batch < server.Lo)
                return false;
            if (!_finetuneFeasible.TryGetValue(n, out bool fits))
            {
                fits = Track(_engine.Solve(server, 0, n, (budget.EnergyJ * (1 - share) - n * _scenario.Downlink.EnergyJ) * BudgetSafety,
                    (budget.DelayS * (1 - share) - n * _scenario.Downlink.DelayS) * BudgetSafety, energyOnly: true, withPoint: false)).Status == RelaxedStatus.Solved;
                _finetuneFeasible[n] = fits;
            }
            return fits;
        }
        (double energy, double delay) = CoupledBudgets(n);
        return Track(_engine.Solve(server, m, n, energy, delay, energyOnly: true, withPoint: false)).Status == RelaxedStatus.Solved;
    }

    /// <summary>The smallest delay and energy budgets that admit one fine-tuning round (M = 0, N = 1) under
    /// this scheme, the energy taken at the scenario's delay budget (or at the smallest one when that is too short).</summary>
    public (double DelayS, double EnergyJ) OneRoundMinimum()
    {
        double share = PretrainShare is { } pretrain ? 1 / (1 - pretrain) : 1.0;
        double tauMin = 0;
        foreach (ref readonly var d in _devices.AsSpan()) tauMin = Math.Max(tauMin, d.MinTime);
        double minDelay = share * (_scenario.Downlink.DelayS + tauMin);
        double delay = Math.Max(_scenario.Budget.DelayS, minDelay * (1 + 1e-9)) / share - _scenario.Downlink.DelayS;
        var s = _engine.Solve(Server(0, 1), 0, 1, double.MaxValue, delay, energyOnly: true);
        return (minDelay, share * (_scenario.Downlink.EnergyJ + s.Energy));
    }

    /// <summary>The device models (with the scheme's batch bounds).</summary>
    public ReadOnlySpan<DeviceModel> Devices => _devices;
}

/// <summary>A fixed-(M, N) solution with the bound's constant folded in.</summary>
internal sealed record RoundSolution(RelaxedSolution Relaxed, double Bound, double LowerBound, SchemeProblem.ServerStage? SeparateServer)
{
    public bool Feasible => Relaxed.Status == RelaxedStatus.Solved;

    /// <summary>False when a search of this solve hit its iteration cap.</summary>
    public bool Converged => Relaxed.Converged;

    public static RoundSolution From(RelaxedSolution s, double constant, SchemeProblem.ServerStage? stage) =>
        new(s, s.Status == RelaxedStatus.Solved ? constant + s.Objective : double.PositiveInfinity,
            s.Status == RelaxedStatus.Solved ? constant + s.LowerBound : double.PositiveInfinity, stage);
}
