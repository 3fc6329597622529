using System.Runtime.CompilerServices;

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
    private readonly double[] _piSlope;   // dπk/dτ at the last solve, for a first-order predictor
    private double _piTau = double.NaN;    // the τ and device energy price Λ those prices were solved for
    private double _piLambda = double.NaN;
    private double _lambdaWarm = double.NaN;
    private double _tauFraction = double.NaN;
    private int _priceIterations;
    private int _deadlineIterations;

    public RoundEngine(DeviceModel[] devices)
    {
        _devices = devices;
        _pi = new double[devices.Length];
        _piSlope = new double[devices.Length];
    }

    public ReadOnlySpan<DeviceModel> Devices => _devices;

    /// <summary>Device time prices of the last solution.</summary>
    public ReadOnlySpan<double> TimePrices => _pi;

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
        _priceIterations = 0;
        _deadlineIterations = 0;
        if (!(energyBudget > 0) || !(delayBudget > 0) || ctx.TauLo > ctx.TauHi)
            return RelaxedSolution.Infeasible(InfeasibleReason.Delay);

        if (energyOnly)
        {
            var state = ctx.Inner(1.0, ref evaluations);
            return state.Energy <= energyBudget
                ? ctx.Finish(state, 1.0, energyBudget, evaluations, dual: false)
                : RelaxedSolution.Infeasible(InfeasibleReason.Energy);
        }

        var free = ctx.Inner(0.0, ref evaluations);
        if (free.Energy <= energyBudget)
            return ctx.Finish(free, 0.0, energyBudget, evaluations, dual: true);

        // Energy is needed at least Emin (batches at their smallest, times all used).
        var minState = new Context(this, ServerModel.WithoutObjective(server), pretrainRounds, finetuneRounds, delayBudget, true)
            .Inner(1.0, ref evaluations);
        if (minState.Energy > energyBudget)
            return RelaxedSolution.Infeasible(InfeasibleReason.Energy);

        // λ > 0: E(λ) falls with λ; find E(λ) = budget on u = ln λ (f(u) = ln budget − ln E increasing).
        // At λ = 0 ties between time allocations are broken towards speed, so E(0+) can be below E(0):
        // below λ = lambdaFloor (a 1e-14 share of the largest objective per joule) the budget counts as slack.
        double lambdaScale = ctx.ObjectiveCeiling / energyBudget;
        double uFloor = Math.Log(1e-14 * lambdaScale);
        var f = new EnergySlack(ctx, energyBudget);
        bool warm = double.IsFinite(_lambdaWarm) && _lambdaWarm > 0;
        double u = warm ? Math.Max(Math.Log(_lambdaWarm), uFloor) : Math.Log(lambdaScale);
        double fu = f.Evaluate(u);
        // A warm start from a neighbouring (M, N) is usually within a few per cent: bracket tightly, then widen.
        double step = warm ? 0.05 : 1.0, uLo = u, fLo = fu, uHi = u, fHi = fu;
        while (fLo >= 0 && uLo > uFloor) { uHi = uLo; fHi = fLo; uLo = Math.Max(uFloor, uLo - step); step *= 4; fLo = f.Evaluate(uLo); }
        if (fLo >= 0) uHi = uLo; // feasible at the floor: the energy budget does not bind
        for (int i = 0; fHi < 0 && i < 200; i++) { uLo = uHi; fLo = fHi; uHi += step; step *= 4; fHi = f.Evaluate(uHi); }
        if (fHi > Tolerance && fLo < 0)
            uHi = Roots.IllinoisUpper(ref f, uLo, fLo, uHi, fHi, 1e-14 * (1 + Math.Abs(uHi)), Tolerance, ref evaluations);
        double lambda = Math.Exp(uHi);
        _lambdaWarm = lambda;
        // The engine's prices belong to the last evaluation: reuse it when that was the chosen λ.
        var final = f.LastU == uHi ? f.LastState : ctx.Inner(lambda, ref evaluations);
        evaluations += f.Evaluations;
        return ctx.Finish(final, lambda, energyBudget, evaluations, dual: true);
    }

    private struct EnergySlack(Context ctx, double budget) : IScalarFunction
    {
        public int Evaluations;

        /// <summary>The last u evaluated and the inner state it left (the engine's prices are its).</summary>
        public double LastU = double.NaN;

        public InnerState LastState;

        public double Evaluate(double u)
        {
            ctx.Engine._priceIterations++;
            var s = ctx.Inner(Math.Exp(u), ref Evaluations);
            LastU = u;
            LastState = s;
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

        /// <summary>
        /// The deadline τ in [TauLo, TauHi] where the balance g crosses zero: Newton's method from the
        /// previous solve's relative position (the devices' dπ/dτ come with their prices, the server's
        /// is differenced), safeguarded by the bracket it builds and by regula falsi.
        /// </summary>
        private double BalancedDeadline(ref Balance g, ref int evaluations)
        {
            double fraction = _engine._tauFraction;
            double lo = TauLo, hi = TauHi, fLo = double.NaN, fHi = double.NaN;
            bool loEvaluated = false, hiEvaluated = false;
            // The server's value has a kink where its full-speed batch reaches its largest size: there its
            // time price jumps, and the balance may change sign across the kink without a root.
            double kink = _server.KinkTime(g.Lambda * _m);
            double tauKink = (_delayBudget - _m * kink) / _n;
            // Beyond the kink more time is worth nothing to a full-speed server or at zero energy price:
            // then, with the kink at or past the top, the devices take all the time.
            bool worthless = _server.FixedSpeed || g.Lambda * _m <= 0;
            if (tauKink >= TauHi && worthless) return Settle(TauHi, ref g, ref evaluations);
            if (tauKink > TauLo && tauKink < TauHi)
            {
                double below = tauKink * (1 - 1e-13), above = tauKink * (1 + 1e-13);
                double fBelow = g.Evaluate(below, out _), fAbove = g.Evaluate(above, out _);
                if (fBelow < 0 && fAbove >= 0) return Settle(tauKink, ref g, ref evaluations);
                if (fAbove < 0) { lo = above; fLo = fAbove; loEvaluated = true; }
                else { hi = below; fHi = fBelow; hiEvaluated = true; }
            }
            double tau = fraction > 0 && fraction < 1 ? TauLo + fraction * (TauHi - TauLo) : 0.5 * (TauLo + TauHi);
            if (!(tau > lo && tau < hi)) tau = 0.5 * (lo + hi);
            double tolerance = _engine.Tolerance;
            for (int i = 0; i < 100; i++)
            {
                double f = g.Evaluate(tau, out double slope);
                if (f >= 0) { hi = tau; fHi = f; hiEvaluated = true; } else { lo = tau; fLo = f; loEvaluated = true; }
                if (Math.Abs(f) <= tolerance || hi - lo <= 0.01 * tolerance * hi) break;
                double next = slope > 0 && double.IsFinite(slope) && double.IsFinite(f) ? tau - f / slope : double.NaN;
                if (!(next > lo && next < hi))
                {
                    if (!hiEvaluated)
                    {
                        // The root may sit at the top end: the server wants no more time.
                        if (g.Evaluate(TauHi, out _) <= 0) { tau = TauHi; break; }
                        next = double.IsFinite(next) ? 0.5 * (tau + TauHi) : 0.5 * (lo + hi);
                    }
                    else if (!loEvaluated)
                    {
                        // Or at the bottom: the devices are as fast as they go.
                        if (g.Evaluate(TauLo, out _) >= 0) { tau = TauLo; break; }
                        next = double.IsFinite(next) ? 0.5 * (tau + TauLo) : 0.5 * (lo + hi);
                    }
                    else
                    {
                        next = double.IsFinite(fLo) && double.IsFinite(fHi) ? (lo * fHi - hi * fLo) / (fHi - fLo) : 0.5 * (lo + hi);
                        if (!(next > lo && next < hi) || i % 3 == 2) next = 0.5 * (lo + hi); // regula falsi can stall
                    }
                }
                tau = next;
            }
            if (hiEvaluated && Math.Abs(fHi) <= tolerance) tau = Math.Min(tau, hi);
            return Settle(tau, ref g, ref evaluations);
        }

        /// <summary>Counts the search's evaluations and refreshes π at the chosen τ (the last evaluation may have been elsewhere).</summary>
        private double Settle(double tau, ref Balance g, ref int evaluations)
        {
            evaluations += g.Evaluations;
            DeadlineBalance(g.Lambda, tau, ref evaluations);
            return tau;
        }

        private InnerState StateAt(double lambda, double tau)
        {
            double energy = _n * SumOverDevices(new EnergySum(this, lambda * _n)).First;
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
        public double DeadlineBalance(double lambda, double tau, ref int evaluations) =>
            DeadlineBalance(lambda, tau, ref evaluations, out _);

        /// <summary>Σk πk(τ) and its derivative Σk dπk/dτ (≤ 0).</summary>
        public double DeadlineBalance(double lambda, double tau, ref int evaluations, out double slope)
        {
            // Within one energy price, start each device's Newton search from the first-order prediction
            // π + (τ − τprev) dπ/dτ (taken multiplicatively, so it stays positive).
            double lambdaDevice = lambda * _n;
            double step = _engine._piLambda == lambdaDevice && double.IsFinite(_engine._piTau) ? tau - _engine._piTau : 0.0;
            var work = new DeadlinePrices(this, lambdaDevice, tau, step);
            var sum = SumOverDevices(work);
            _engine._piTau = tau;
            _engine._piLambda = lambdaDevice;
            evaluations += (int)Math.Min(int.MaxValue / 2, work.Evaluations.Value);
            slope = sum.Second;
            return sum.First;
        }

        /// <summary>
        /// Σ over devices of a per-device term. Large fleets are cut into a fixed number of contiguous
        /// chunks run in parallel and summed in chunk order, so the result does not depend on the
        /// machine's core count or on scheduling.
        /// </summary>
        private Pair SumOverDevices<TTerm>(TTerm term) where TTerm : struct, IDeviceTerm
        {
            int k = _engine._devices.Length;
            if (k < ParallelThreshold) return term.Sum(0, k);
            var sums = new Pair[Chunks];
            Parallel.For(0, Chunks, c => sums[c] = term.Sum((int)((long)k * c / Chunks), (int)((long)k * (c + 1) / Chunks)));
            var total = default(Pair);
            for (int c = 0; c < Chunks; c++) total = new Pair(total.First + sums[c].First, total.Second + sums[c].Second);
            return total;
        }

        /// <summary>Two sums carried together.</summary>
        private readonly record struct Pair(double First, double Second);

        private const int ParallelThreshold = 4096;
        private const int Chunks = 8;

        /// <summary>Σ of a per-device term over devices [from, to).</summary>
        private interface IDeviceTerm
        {
            Pair Sum(int from, int to);
        }

        /// <summary>Energy of one round per device at energy price Λ and the engine's time prices.</summary>
        private readonly struct EnergySum(Context ctx, double lambdaDevice) : IDeviceTerm
        {
            public Pair Sum(int from, int to)
            {
                var devices = ctx._engine._devices;
                var pi = ctx._engine._pi;
                double energy = 0;
                for (int k = from; k < to; k++)
                {
                    var d = ctx._energyOnly ? devices[k].WithoutObjective() : devices[k];
                    d.Respond(lambdaDevice, pi[k], out double b, out double tc, out double tu);
                    energy += d.Energy(b, tc, tu);
                }
                return new Pair(energy, 0);
            }
        }

        /// <summary>Solves every device's time price for the deadline τ; sums the prices.</summary>
        private readonly struct DeadlinePrices(Context ctx, double lambdaDevice, double tau, double tauStep) : IDeviceTerm
        {
            public StrongBox<long> Evaluations { get; } = new(0);

            public Pair Sum(int from, int to)
            {
                var devices = ctx._engine._devices;
                var pi = ctx._engine._pi;
                var predictorSlope = ctx._engine._piSlope;
                double tolerance = ctx._engine.Tolerance * 0.1, sum = 0, slope = 0;
                long evaluations = 0;
                for (int k = from; k < to; k++)
                {
                    var d = ctx._energyOnly ? devices[k].WithoutObjective() : devices[k];
                    if (tauStep != 0.0 && pi[k] > 0.0 && predictorSlope[k] < 0.0)
                        pi[k] *= Math.Exp(Math.Clamp(tauStep * predictorSlope[k] / pi[k], -4.0, 4.0));
                    evaluations += d.SolveDeadline(lambdaDevice, tau, ref pi[k], tolerance, out double dPi);
                    predictorSlope[k] = dPi;
                    sum += pi[k];
                    slope += dPi;
                }
                Interlocked.Add(ref Evaluations.Value, evaluations);
                return new Pair(sum, slope);
            }
        }

        /// <summary>Φ'(τ) = (N/M) ν0(t0(τ)) − Σ πk(τ): increasing in τ; zero at the best deadline.</summary>
        private struct Balance(Context ctx, double lambda) : IScalarFunction
        {
            public int Evaluations;

            public readonly double Lambda => lambda;

            public double Evaluate(double tau) => Evaluate(tau, out _);

            /// <summary>Log-ratio of the server's and the devices' time prices (increasing in τ) and its slope.</summary>
            public double Evaluate(double tau, out double slope)
            {
                ctx.Engine._deadlineIterations++;
                double sumPi = ctx.DeadlineBalance(lambda, tau, ref Evaluations, out double dSumPi);
                double ratio = (double)ctx._n / ctx._m;
                double t0 = (ctx._delayBudget - ctx._n * tau) / ctx._m;
                double serverPrice = ServerPrice(t0);
                // The server is O(1): difference its log-price in t0 (dt0/dτ = −N/M).
                double h = 1e-6 * t0;
                double dLogServer = (Math.Log(ServerPrice(t0 + h)) - Math.Log(ServerPrice(Math.Max(t0 - h, ctx._server.MinTime)))) /
                                    (t0 + h - Math.Max(t0 - h, ctx._server.MinTime));
                slope = -ratio * dLogServer - dSumPi / sumPi;
                return Math.Log(ratio * serverPrice) - Math.Log(sumPi);
            }

            private readonly double ServerPrice(double t0)
            {
                ctx._server.Respond(lambda * ctx._m, t0, out double price);
                return price;
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
                _engine._priceIterations, _engine._deadlineIterations);
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
    int Evaluations, InfeasibleReason Reason, int PriceIterations = 0, int DeadlineIterations = 0)
{
    public static RelaxedSolution Infeasible(InfeasibleReason reason) =>
        new(RelaxedStatus.Infeasible, double.PositiveInfinity, double.PositiveInfinity, double.NaN, double.NaN, double.NaN,
            double.NaN, double.NaN, [], [], [], double.NaN, 0, reason);
}
