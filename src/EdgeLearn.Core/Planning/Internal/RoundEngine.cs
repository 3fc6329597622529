namespace EdgeLearn.Planning.Internal;

/// <summary>
/// Solves the relaxed fixed-(M, N) problem of model.md §5 in time variables by nested dual searches:
/// an outer search on the energy price λ, a middle search on the common fine-tuning deadline τ
/// (where the devices' time prices balance the server's), and per device a closed-form response
/// to (λ, π) with π found so that the device just meets τ. Work per iteration is O(K).
/// The dual function at the final prices gives a certified lower bound.
/// </summary>
internal sealed class RoundEngine
{
    private readonly DeviceModel[] _devices;
    private readonly double[] _pi;
    private readonly double[] _piSaved;
    private double _lambdaWarm = double.NaN;
    private double _tauFraction = double.NaN;

    public RoundEngine(DeviceModel[] devices)
    {
        _devices = devices;
        _pi = new double[devices.Length];
        _piSaved = new double[devices.Length];
    }

    public ReadOnlySpan<DeviceModel> Devices => _devices;

    /// <summary>Device time prices of the last solution.</summary>
    public ReadOnlySpan<double> TimePrices => _pi;

    public long TauIterations;
    public long LambdaIterations;
    public long PiEvaluations;

    /// <summary>Relative tolerance on the energy budget and on the deadline balance.</summary>
    public double Tolerance { get; set; } = 1e-11;

    /// <summary>Solves min A0/B0 + Σ Ak/bk under the energy and delay budgets of the stage(s).</summary>
    /// <param name="server">Server model (ignored when <paramref name="pretrainRounds"/> is 0).</param>
    /// <param name="pretrainRounds">M (0: no server stage in this solve).</param>
    /// <param name="finetuneRounds">N ≥ 1.</param>
    /// <param name="energyBudget">Energy for M e0 + N Σ ek, J.</param>
    /// <param name="delayBudget">Time for M t0 + N τ, s.</param>
    /// <param name="energyOnly">Minimize energy alone (objective weights treated as zero).</param>
    public RelaxedSolution Solve(in ServerModel server, int pretrainRounds, int finetuneRounds,
        double energyBudget, double delayBudget, bool energyOnly = false)
    {
        var ctx = new Context(this, server, pretrainRounds, finetuneRounds, delayBudget, energyOnly);
        int evaluations = 0;
        if (!(energyBudget > 0) || !(delayBudget > 0) || ctx.TauLo > ctx.TauHi)
            return RelaxedSolution.Infeasible(InfeasibleReason.Delay, ctx.MinDelay, double.NaN);

        if (energyOnly)
        {
            var state = ctx.Inner(1.0, ref evaluations);
            return state.Energy <= energyBudget
                ? ctx.Finish(state, 1.0, energyBudget, evaluations, dual: false)
                : RelaxedSolution.Infeasible(InfeasibleReason.Energy, ctx.MinDelay, state.Energy);
        }

        var free = ctx.Inner(0.0, ref evaluations);
        if (free.Energy <= energyBudget)
            return ctx.Finish(free, 0.0, energyBudget, evaluations, dual: true);

        // Energy is needed at least Emin (batches at their smallest, times all used).
        var minState = new Context(this, ServerModel.WithoutObjective(server), pretrainRounds, finetuneRounds, delayBudget, true)
            .Inner(1.0, ref evaluations);
        if (minState.Energy > energyBudget)
            return RelaxedSolution.Infeasible(InfeasibleReason.Energy, ctx.MinDelay, minState.Energy);

        // λ > 0: E(λ) falls with λ; find E(λ) = budget on u = ln λ (f(u) = ln budget − ln E increasing).
        // At λ = 0 ties between time allocations are broken towards speed, so E(0+) can be below E(0):
        // below λ = lambdaFloor (a 1e-14 share of the largest objective per joule) the budget counts as slack.
        double lambdaScale = ctx.ObjectiveCeiling / energyBudget;
        double uFloor = Math.Log(1e-14 * lambdaScale);
        var f = new EnergySlack(ctx, energyBudget);
        double u = double.IsFinite(_lambdaWarm) && _lambdaWarm > 0 ? Math.Max(Math.Log(_lambdaWarm), uFloor) : Math.Log(lambdaScale);
        double fu = f.Evaluate(u);
        double step = 1.0, uLo = u, fLo = fu, uHi = u, fHi = fu;
        while (fLo >= 0 && uLo > uFloor) { uHi = uLo; fHi = fLo; uLo = Math.Max(uFloor, uLo - step); step *= 2; fLo = f.Evaluate(uLo); }
        if (fLo >= 0) uHi = uLo; // feasible at the floor: the energy budget does not bind
        for (int i = 0; fHi < 0 && i < 200; i++) { uLo = uHi; fLo = fHi; uHi += step; step *= 2; fHi = f.Evaluate(uHi); }
        if (fHi > Tolerance && fLo < 0)
            uHi = Roots.IllinoisUpper(ref f, uLo, fLo, uHi, fHi, 1e-14 * (1 + Math.Abs(uHi)), Tolerance, ref evaluations);
        double lambda = Math.Exp(uHi);
        _lambdaWarm = lambda;
        var final = ctx.Inner(lambda, ref evaluations);
        evaluations += f.Evaluations;
        return ctx.Finish(final, lambda, energyBudget, evaluations, dual: true);
    }

    private struct EnergySlack(Context ctx, double budget) : IScalarFunction
    {
        public int Evaluations;

        public double Evaluate(double u)
        {
            var s = ctx.Inner(Math.Exp(u), ref Evaluations);
            ctx.Engine.LambdaIterations++;
            return Math.Log(budget) - Math.Log(s.Energy);
        }
    }

    /// <summary>State of the inner solve at one λ.</summary>
    internal readonly record struct InnerState(double Tau, double T0, double ServerBatch, double Energy);

    /// <summary>One fixed-(M, N) solve: the server, the budgets and the deadline bounds.</summary>
    private sealed class Context
    {
        private readonly RoundEngine _engine;
        private readonly ServerModel _server;
        private readonly int _m, _n;
        private readonly double _delayBudget;
        private readonly bool _energyOnly;

        public Context(RoundEngine engine, in ServerModel server, int m, int n, double delayBudget, bool energyOnly)
        {
            _engine = engine;
            _server = server;
            _m = m;
            _n = n;
            _delayBudget = delayBudget;
            _energyOnly = energyOnly;
            double tauMin = 0;
            foreach (ref readonly var d in engine._devices.AsSpan()) tauMin = Math.Max(tauMin, d.MinTime);
            TauLo = tauMin * (1 + 1e-12);
            TauHi = m > 0 ? (delayBudget - m * server.MinTime) / n : delayBudget / n;
            MinDelay = n * tauMin + m * (m > 0 ? server.MinTime : 0);
        }

        public RoundEngine Engine => _engine;

        /// <summary>Largest possible objective (every batch at its smallest): sets the scale of λ.</summary>
        public double ObjectiveCeiling
        {
            get
            {
                double v = _m > 0 && _server.A > 0 ? _server.A / _server.Lo : 0;
                foreach (ref readonly var d in _engine._devices.AsSpan()) if (d.A > 0) v += d.A / d.Lo;
                return v > 0 ? v : 1.0;
            }
        }

        public double TauLo { get; }
        public double TauHi { get; }
        public double MinDelay { get; }

        /// <summary>Minimizes objective + λ·energy under the delay budget (λ fixed); fills the engine's π.</summary>
        public InnerState Inner(double lambda, ref int evaluations)
        {
            double tau;
            if (_m == 0)
            {
                tau = TauHi;
                DeadlineBalance(lambda, tau, ref evaluations);
            }
            else
            {
                var g = new Balance(this, lambda);
                tau = BalancedDeadline(ref g, ref evaluations);
                _engine._tauFraction = (tau - TauLo) / (TauHi - TauLo);
                evaluations += g.Evaluations;
            }
            return StateAt(lambda, tau);
        }

        /// <summary>The deadline τ in [TauLo, TauHi] where the balance g crosses zero: a bracket grown
        /// geometrically around the previous solve's relative position, then Illinois.</summary>
        private double BalancedDeadline(ref Balance g, ref int evaluations)
        {
            double width = TauHi - TauLo;
            double fraction = _engine._tauFraction;
            double lo = TauLo, hi = TauHi, fLo = double.NaN, fHi = double.NaN;
            if (fraction > 0 && fraction < 1)
            {
                double x = TauLo + fraction * width, fx = g.Evaluate(x), step = 1e-3 * width;
                if (fx < 0)
                {
                    lo = x; fLo = fx;
                    while (true)
                    {
                        double y = Math.Min(TauHi, x + step);
                        double fy = g.Evaluate(y);
                        if (fy >= 0 || y >= TauHi) { hi = y; fHi = fy; break; }
                        lo = y; fLo = fy; x = y; step *= 8;
                    }
                }
                else
                {
                    hi = x; fHi = fx;
                    while (true)
                    {
                        double y = Math.Max(TauLo, x - step);
                        double fy = g.Evaluate(y);
                        if (fy < 0 || y <= TauLo) { lo = y; fLo = fy; break; }
                        hi = y; fHi = fy; x = y; step *= 8;
                    }
                }
            }
            else
            {
                fHi = g.Evaluate(TauHi);
                if (fHi > 0) fLo = g.Evaluate(TauLo);
            }
            double tau;
            if (fHi <= 0 && hi >= TauHi) tau = TauHi;       // the server wants no more time: devices take it all
            else if (fLo >= 0 && lo <= TauLo) tau = TauLo;  // devices are at their fastest
            else tau = Roots.IllinoisUpper(ref g, lo, fLo, hi, fHi, _engine.Tolerance * TauHi, _engine.Tolerance, ref evaluations, 120);
            evaluations += g.Evaluations;
            // The last evaluation may have been elsewhere: refresh π at the chosen τ.
            DeadlineBalance(g.Lambda, tau, ref evaluations);
            return tau;
        }

        private InnerState StateAt(double lambda, double tau)
        {
            double energy = 0;
            var devices = _engine._devices;
            var pi = _engine._pi;
            double lambdaDevice = lambda * _n;
            for (int k = 0; k < devices.Length; k++)
            {
                ref readonly var d = ref devices[k];
                var dk = _energyOnly ? d.WithoutObjective() : d;
                dk.Respond(lambdaDevice, pi[k], out double b, out double tc, out double tu);
                energy += dk.Energy(b, tc, tu);
            }
            energy *= _n;
            double t0 = 0, batch = 0;
            if (_m > 0)
            {
                t0 = (_delayBudget - _n * tau) / _m;
                batch = _server.Respond(lambda * _m, t0, out _);
                energy += _m * _server.Energy(batch, t0);
            }
            return new InnerState(tau, t0, batch, energy);
        }

        /// <summary>Σk πk(τ); also leaves πk in the engine.</summary>
        public double DeadlineBalance(double lambda, double tau, ref int evaluations)
        {
            var devices = _engine._devices;
            var pi = _engine._pi;
            double lambdaDevice = lambda * _n, sum = 0;
            for (int k = 0; k < devices.Length; k++)
            {
                var d = _energyOnly ? devices[k].WithoutObjective() : devices[k];
                int e = d.SolveDeadline(lambdaDevice, tau, ref pi[k], _engine.Tolerance * 0.1);
                evaluations += e;
                _engine.PiEvaluations += e;
                sum += pi[k];
            }
            return sum;
        }

        /// <summary>Φ'(τ) = (N/M) ν0(t0(τ)) − Σ πk(τ): increasing in τ; zero at the best deadline.</summary>
        private struct Balance(Context ctx, double lambda) : IScalarFunction
        {
            public int Evaluations;

            public readonly double Lambda => lambda;

            public double Evaluate(double tau)
            {
                double sumPi = ctx.DeadlineBalance(lambda, tau, ref Evaluations);
                double t0 = (ctx._delayBudget - ctx._n * tau) / ctx._m;
                ctx._server.Respond(lambda * ctx._m, t0, out double serverPrice);
                ctx.Engine.TauIterations++;
                // Log-ratio of the server's and the devices' time prices: increasing in τ, well scaled.
                return Math.Log((double)ctx._n / ctx._m * serverPrice) - Math.Log(sumPi);
            }
        }

        public RelaxedSolution Finish(InnerState state, double lambda, double energyBudget, int evaluations, bool dual)
        {
            var devices = _engine._devices;
            var pi = _engine._pi;
            int k = devices.Length;
            var b = new double[k];
            var tc = new double[k];
            var tu = new double[k];
            double objective = 0, sumPi = 0;
            double lambdaDevice = lambda * _n;
            for (int i = 0; i < k; i++)
            {
                var d = _energyOnly ? devices[i].WithoutObjective() : devices[i];
                d.Respond(lambdaDevice, pi[i], out b[i], out tc[i], out tu[i]);
                if (double.IsPositiveInfinity(tc[i])) { tc[i] = b[i] * d.C / d.Fmax; tu[i] = d.TuMin; }
                objective += d.A > 0 ? d.A / b[i] : 0;
                sumPi += pi[i];
            }
            if (dual && _m > 0)
            {
                // The deadline search balances Σπ against the server's time price; where devices run flat
                // out their prices are an interval, so lift them within it until the balance holds exactly.
                _server.Respond(lambda * _m, state.T0, out double serverPrice);
                double deficit = (double)_n / _m * serverPrice - sumPi;
                for (int i = 0; i < k && deficit > 0; i++)
                {
                    double lift = Math.Min(devices[i].FlatTop(lambdaDevice, pi[i]) - pi[i], deficit);
                    if (lift <= 0) continue;
                    pi[i] += lift;
                    sumPi += lift;
                    deficit -= lift;
                }
            }
            double dualDevices = 0;
            if (dual)
                for (int i = 0; i < k; i++) dualDevices += devices[i].DualValue(lambdaDevice, pi[i]);
            double serverObjective = _m > 0 && _server.A > 0 ? _server.A / state.ServerBatch : 0;
            objective += serverObjective;
            double lower = double.NaN;
            if (dual)
            {
                double nu = sumPi / _n;
                double dualServer = _m > 0 ? _server.DualValue(lambda * _m, nu * _m) : 0;
                lower = dualDevices + dualServer - lambda * energyBudget - nu * _delayBudget;
            }
            return new RelaxedSolution(RelaxedStatus.Solved, objective, Math.Min(lower, objective), lambda, sumPi / _n,
                state.Tau, state.T0, state.ServerBatch, b, tc, tu, state.Energy, evaluations, InfeasibleReason.None,
                MinDelay, double.NaN);
        }
    }
}

/// <summary>Outcome of a relaxed fixed-(M, N) solve.</summary>
internal enum RelaxedStatus { Solved, Infeasible }

/// <summary>Which budget makes a fixed-(M, N) problem infeasible.</summary>
internal enum InfeasibleReason { None, Delay, Energy }

/// <summary>Relaxed solution: continuous batches and the times of every activity.</summary>
internal sealed record RelaxedSolution(
    RelaxedStatus Status, double Objective, double LowerBound, double Lambda, double Nu, double Tau, double T0,
    double ServerBatch, double[] Batches, double[] ComputeTimes, double[] UploadTimes, double Energy,
    int Evaluations, InfeasibleReason Reason, double MinDelay, double MinEnergy)
{
    public static RelaxedSolution Infeasible(InfeasibleReason reason, double minDelay, double minEnergy) =>
        new(RelaxedStatus.Infeasible, double.PositiveInfinity, double.PositiveInfinity, double.NaN, double.NaN, double.NaN,
            double.NaN, double.NaN, [], [], [], double.NaN, 0, reason, minDelay, minEnergy);
}
