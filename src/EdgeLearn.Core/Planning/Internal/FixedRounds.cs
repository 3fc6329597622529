namespace EdgeLearn.Planning.Internal;

/// <summary>
/// One fixed-(M, N) solve in progress: the devices and the server, the rounds, the delay budget, the range
/// of the fine-tuning deadline τ, and the sums over the fleet that the searches need at given prices.
/// The device time prices πk live in the engine's <see cref="SolverWarmStart"/>; what the solve counts goes to its
/// <see cref="SearchTally"/>.
/// </summary>
internal sealed class FixedRounds
{
    /// <summary>τmin sits this far (relatively) above the slowest device's shortest round, where its time price is infinite.</summary>
    private const double DeadlineFloorMargin = 1e-12;

    /// <summary>Fleets this large sum their devices in parallel.</summary>
    private const int ParallelThreshold = 4096;

    /// <summary>Fixed chunk count of the parallel sums, so that results do not depend on the core count.</summary>
    private const int Chunks = 8;

    /// <summary>A device's price search stops at this share of the solve's tolerance, so that the deadline search above it can reach its own.</summary>
    private const double DevicePriceToleranceShare = 0.1;

    /// <summary>The predictor moves a price by at most this much in log (a factor e⁴) per step.</summary>
    private const double PredictorLogStepCap = 4.0;

    private readonly DeviceModel[] _devices;

    // Device price evaluations and cap hits of the current deadline-price sum, added to by the chunks of a parallel sum.
    private long _priceEvaluations;
    private long _priceCapsHit;

    public FixedRounds(DeviceModel[] devices, SolverWarmStart warm, double tolerance, SolverLimits limits, SearchTally tally,
        in ServerModel server, int m, int n, double delayBudget, bool energyOnly)
    {
        _devices = devices;
        Warm = warm;
        Tolerance = tolerance;
        Limits = limits;
        Tally = tally;
        Server = server;
        M = m;
        N = n;
        DelayBudget = delayBudget;
        EnergyOnly = energyOnly;
        double tauMin = 0;
        foreach (ref readonly var d in devices.AsSpan()) tauMin = Math.Max(tauMin, d.MinTime);
        TauLo = tauMin * (1 + DeadlineFloorMargin);
        TauHi = m > 0 ? (delayBudget - m * server.MinTime) / n : delayBudget / n;
    }

    public ReadOnlySpan<DeviceModel> Devices => _devices;

    public SolverWarmStart Warm { get; }

    public double Tolerance { get; }

    public SolverLimits Limits { get; }

    public SearchTally Tally { get; }

    public ServerModel Server { get; }

    /// <summary>M, pre-training rounds (0: no server stage in this solve).</summary>
    public int M { get; }

    /// <summary>N, fine-tuning rounds.</summary>
    public int N { get; }

    /// <summary>Time for M t0 + N τ, s.</summary>
    public double DelayBudget { get; }

    /// <summary>Minimize energy alone (objective weights treated as zero).</summary>
    public bool EnergyOnly { get; }

    /// <summary>The shortest deadline every device can meet.</summary>
    public double TauLo { get; }

    /// <summary>The longest deadline the delay budget allows (the server at its shortest round).</summary>
    public double TauHi { get; }

    /// <summary>Largest possible objective (every batch at its smallest): sets the scale of λ.</summary>
    public double ObjectiveCeiling
    {
        get
        {
            double v = M > 0 && Server.A > 0 ? Server.A / Server.Lo : 0;
            foreach (ref readonly var d in _devices.AsSpan()) if (d.A > 0) v += d.A / d.Lo;
            return v > 0 ? v : 1.0;
        }
    }

    /// <summary>The device as this solve sees it (no objective in energy-only solves).</summary>
    public DeviceModel Device(int k) => EnergyOnly ? _devices[k].WithoutObjective() : _devices[k];

    /// <summary>Minimizes objective + λ·energy under the delay budget (λ fixed); leaves the devices' π in the warm start.</summary>
    public PriceResponse Respond(double lambda, ref int evaluations)
    {
        double tau;
        if (M == 0)
        {
            tau = TauHi;
            DeadlinePriceSum(lambda, tau, ref evaluations);
        }
        else
        {
            tau = DeadlineSearch.Balance(this, lambda, ref evaluations);
            Warm.DeadlineFraction = (tau - TauLo) / (TauHi - TauLo);
        }
        return StateAt(lambda, tau);
    }

    private PriceResponse StateAt(double lambda, double tau)
    {
        double energy = N * SumOverDevices(new EnergySum(this, lambda * N)).First;
        double t0 = 0, batch = 0;
        if (M > 0)
        {
            t0 = (DelayBudget - N * tau) / M;
            batch = Server.Respond(lambda * M, t0, out _);
            energy += M * Server.Energy(batch, t0);
        }
        return new PriceResponse(tau, t0, batch, energy);
    }

    /// <summary>Σk πk(τ); also leaves πk in the warm start.</summary>
    public double DeadlinePriceSum(double lambda, double tau, ref int evaluations) =>
        DeadlinePriceSum(lambda, tau, ref evaluations, out _);

    /// <summary>Σk πk(τ) and its derivative Σk dπk/dτ (≤ 0).</summary>
    public double DeadlinePriceSum(double lambda, double tau, ref int evaluations, out double slope)
    {
        // Within one energy price, start each device's Newton search from the first-order prediction
        // π + (τ − τprev) dπ/dτ (taken multiplicatively, so it stays positive).
        double lambdaDevice = lambda * N;
        double step = Warm.PricesEnergyPrice == lambdaDevice && double.IsFinite(Warm.PricesDeadline) ? tau - Warm.PricesDeadline : 0.0;
        var sums = Pass(lambdaDevice, tau, step, 0.0, withEnergy: false, ref evaluations);
        slope = sums.PricesByDeadline;
        return sums.Prices;
    }

    /// <summary>
    /// Solves every device's time price at (λ, τ), each started from the first-order prediction of the last joint
    /// pass (in τ and in Λ = λ N), and sums what the joint Newton step of <see cref="JointPriceSearch"/> needs:
    /// Σ πk, Σ ek and their derivatives in τ and in Λ.
    /// </summary>
    public FleetSlopes JointPass(double lambda, double tau, ref int evaluations)
    {
        double lambdaDevice = lambda * N;
        bool predict = Warm.EnergySlopesValid && double.IsFinite(Warm.PricesDeadline) && double.IsFinite(Warm.PricesEnergyPrice);
        double tauStep = predict ? tau - Warm.PricesDeadline : 0.0;
        double lambdaStep = predict ? lambdaDevice - Warm.PricesEnergyPrice : 0.0;
        return Pass(lambdaDevice, tau, tauStep, lambdaStep, withEnergy: true, ref evaluations);
    }

    /// <summary>One pass over the fleet at (Λ, τ), from prices predicted by the given steps; records where the warm
    /// start's prices (and, with <paramref name="withEnergy"/>, their slopes in Λ) now stand.</summary>
    private FleetSlopes Pass(double lambdaDevice, double tau, double tauStep, double lambdaStep, bool withEnergy, ref int evaluations)
    {
        _priceEvaluations = 0;
        _priceCapsHit = 0;
        var sums = SumOverDevices<DevicePrices, FleetSlopes>(new DevicePrices(this, lambdaDevice, tau, tauStep, lambdaStep, withEnergy));
        Warm.PricesDeadline = tau;
        Warm.PricesEnergyPrice = lambdaDevice;
        Warm.EnergySlopesValid = withEnergy;
        evaluations += (int)Math.Min(int.MaxValue / 2, _priceEvaluations);
        Tally.DeviceCapsHit += _priceCapsHit;
        return sums;
    }

    /// <summary>
    /// Σ over devices of a per-device term. Large fleets are cut into a fixed number of contiguous
    /// chunks run in parallel and summed in chunk order, so the result does not depend on the
    /// machine's core count or on scheduling.
    /// </summary>
    private Pair SumOverDevices<TTerm>(TTerm term) where TTerm : struct, IDeviceTerm<Pair> =>
        SumOverDevices<TTerm, Pair>(term);

    private TSum SumOverDevices<TTerm, TSum>(TTerm term) where TTerm : struct, IDeviceTerm<TSum> where TSum : struct, ISums<TSum>
    {
        int k = _devices.Length;
        if (k < ParallelThreshold) return term.Sum(0, k);
        var sums = new TSum[Chunks];
        Parallel.For(0, Chunks, c => sums[c] = term.Sum((int)((long)k * c / Chunks), (int)((long)k * (c + 1) / Chunks)));
        var total = default(TSum);
        for (int c = 0; c < Chunks; c++) total = TSum.Add(total, sums[c]);
        return total;
    }

    /// <summary>Two sums carried together.</summary>
    private readonly record struct Pair(double First, double Second) : ISums<Pair>
    {
        public static Pair Add(Pair a, Pair b) => new(a.First + b.First, a.Second + b.Second);
    }

    /// <summary>Σ of a per-device term over devices [from, to).</summary>
    private interface IDeviceTerm<TSum>
    {
        TSum Sum(int from, int to);
    }

    /// <summary>Solves every device's price at (Λ, τ) from its first-order prediction and sums the prices and their
    /// slopes (with <c>withEnergy</c>, also the energies and theirs).</summary>
    private readonly struct DevicePrices(FixedRounds rounds, double lambdaDevice, double tau, double tauStep, double lambdaStep, bool withEnergy)
        : IDeviceTerm<FleetSlopes>
    {
        public FleetSlopes Sum(int from, int to)
        {
            var pi = rounds.Warm.TimePrices;
            var byDeadline = rounds.Warm.TimePriceSlopes;
            var byEnergyPrice = rounds.Warm.TimePriceEnergySlopes;
            var exponents = rounds.Warm.UploadExponents;
            double tolerance = rounds.Tolerance * DevicePriceToleranceShare;
            int maxIterations = rounds.Limits.DevicePriceIterations;
            long evaluations = 0, capped = 0;
            double prices = 0, pricesByDeadline = 0, pricesByEnergyPrice = 0, energy = 0, energyByDeadline = 0, energyByEnergyPrice = 0;
            for (int k = from; k < to; k++)
            {
                var d = rounds.Device(k);
                double step = tauStep * byDeadline[k];
                if (lambdaStep != 0.0) step += lambdaStep * byEnergyPrice[k];
                if (step != 0.0 && pi[k] > 0.0)
                    pi[k] *= Math.Exp(Math.Clamp(step / pi[k], -PredictorLogStepCap, PredictorLogStepCap));
                int spent = d.SolveDeadline(lambdaDevice, tau, ref pi[k], ref exponents[k], tolerance, maxIterations, withEnergy, out var s);
                evaluations += spent;
                if (spent > maxIterations) capped++;
                byDeadline[k] = s.PriceByDeadline;
                byEnergyPrice[k] = s.PriceByEnergyPrice;
                prices += pi[k];
                pricesByDeadline += s.PriceByDeadline;
                pricesByEnergyPrice += s.PriceByEnergyPrice;
                energy += s.Energy;
                energyByDeadline += s.EnergyByDeadline;
                energyByEnergyPrice += s.EnergyByEnergyPrice;
            }
            Interlocked.Add(ref rounds._priceEvaluations, evaluations);
            if (capped > 0) Interlocked.Add(ref rounds._priceCapsHit, capped);
            return new FleetSlopes(prices, pricesByDeadline, pricesByEnergyPrice, energy, energyByDeadline, energyByEnergyPrice);
        }
    }

    /// <summary>Energy of one round per device at energy price Λ and the warm start's time prices.</summary>
    private readonly struct EnergySum(FixedRounds rounds, double lambdaDevice) : IDeviceTerm<Pair>
    {
        public Pair Sum(int from, int to)
        {
            var pi = rounds.Warm.TimePrices;
            var exponents = rounds.Warm.UploadExponents;
            double energy = 0;
            for (int k = from; k < to; k++)
            {
                var d = rounds.Device(k);
                d.Respond(lambdaDevice, pi[k], exponents[k], out double b, out double tc, out double tu);
                energy += d.Energy(b, tc, tu);
            }
            return new Pair(energy, 0);
        }
    }
}

/// <summary>Sums that can be added chunk by chunk.</summary>
internal interface ISums<TSelf> where TSelf : struct, ISums<TSelf>
{
    static abstract TSelf Add(TSelf a, TSelf b);
}

/// <summary>Fleet sums of one pass at (Λ, τ): Σ πk, Σ ek (one round, J; 0 unless asked for) and their derivatives in τ and in Λ.</summary>
internal readonly record struct FleetSlopes(double Prices, double PricesByDeadline, double PricesByEnergyPrice,
    double Energy, double EnergyByDeadline, double EnergyByEnergyPrice) : ISums<FleetSlopes>
{
    public static FleetSlopes Add(FleetSlopes a, FleetSlopes b) => new(a.Prices + b.Prices, a.PricesByDeadline + b.PricesByDeadline,
        a.PricesByEnergyPrice + b.PricesByEnergyPrice, a.Energy + b.Energy, a.EnergyByDeadline + b.EnergyByDeadline,
        a.EnergyByEnergyPrice + b.EnergyByEnergyPrice);
}
