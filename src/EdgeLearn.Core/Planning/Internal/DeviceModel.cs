using EdgeLearn.Costs;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Planning.Internal;

/// <summary>
/// One device's fine-tuning subproblem in the time variables of model.md §5, with the constants
/// that the solver needs precomputed. With an energy price Λ (per round, = λ N) and a time price π
/// on tck + tuk the device minimizes A/b + Λ ek + π (tck + tuk) in closed form.
/// </summary>
internal readonly record struct DeviceModel
{
    /// <summary>Ak = L η σ² ρk², the device's weight in the bound (times the objective scale; 0 in energy-only solves).</summary>
    public double A { get; init; }

    /// <summary>κk, the effective switched capacitance.</summary>
    public double Kappa { get; init; }

    /// <summary>κk ck³, the compute energy's coefficient in time variables: e = κk ck³ b³ / tc².</summary>
    public double Kc3 { get; init; }

    /// <summary>ck, CPU cycles per sample.</summary>
    public double C { get; init; }

    /// <summary>fk,max, the highest CPU frequency (Hz).</summary>
    public double Fmax { get; init; }

    /// <summary>Smallest batch this solve allows.</summary>
    public double Lo { get; init; }

    /// <summary>Largest batch this solve allows.</summary>
    public double Hi { get; init; }

    /// <summary>N0 Wk / hk: the upload power for upload time t is p(t) = K0 (2^(S/(Wk t)) − 1).</summary>
    public double K0 { get; init; }

    /// <summary>S ln 2 / Wk (s): the exponent's numerator of p(t) in base e.</summary>
    public double ALn2 { get; init; }

    /// <summary>S / rk(Pk,max), the fastest upload (s).</summary>
    public double TuMin { get; init; }

    /// <summary>Pk,max, the largest transmit power (W).</summary>
    public double Pmax { get; init; }

    /// <summary>Whether the scheme fixes f = fk,max and p = Pk,max (max-resource).</summary>
    public bool FixedSpeed { get; init; }

    /// <summary>The y = π / (Λ K0) from which the best upload runs at full power (tu = TuMin): (x − 1)eˣ + 1 at
    /// x = S ln 2 / (W TuMin). Above it no Lambert W is needed.</summary>
    public double FullPowerShift { get; init; }

    public static DeviceModel Create(DeviceSpec d, double noisePsd, double uploadBits, double a, double lo, double hi, bool fixedSpeed)
    {
        double rateMax = CostModel.UplinkRateBps(d.MaxPowerW, d.BandwidthHz, d.ChannelGain, noisePsd);
        double xFull = uploadBits * Math.Log(2.0) / d.BandwidthHz / (uploadBits / rateMax);
        return new DeviceModel
        {
            A = a,
            Kappa = d.Kappa,
            Kc3 = d.Kappa * d.CyclesPerSample * d.CyclesPerSample * d.CyclesPerSample,
            C = d.CyclesPerSample,
            Fmax = d.MaxFrequencyHz,
            Lo = lo,
            Hi = hi,
            K0 = noisePsd * d.BandwidthHz / d.ChannelGain,
            ALn2 = uploadBits * Math.Log(2.0) / d.BandwidthHz,
            TuMin = uploadBits / rateMax,
            Pmax = d.MaxPowerW,
            FixedSpeed = fixedSpeed,
            FullPowerShift = (xFull - 1.0) * Math.Exp(xFull) + 1.0,
        };
    }

    /// <summary>The same device with a zero objective weight (for energy-only solves).</summary>
    public DeviceModel WithoutObjective() => this with { A = 0.0 };

    /// <summary>The shortest round time of this device: smallest batch at full speed and power.</summary>
    public double MinTime => Lo * C / Fmax + TuMin;

    /// <summary>Upload energy g(t) = t K0 (2^(S/(W t)) − 1) of an upload that takes t seconds.</summary>
    public double UploadEnergy(double tu) => double.IsPositiveInfinity(tu) ? K0 * ALn2 : tu * K0 * double.ExpM1(ALn2 / tu);

    /// <summary>Upload power for an upload time t.</summary>
    public double UploadPower(double tu) => K0 * double.ExpM1(ALn2 / tu);

    /// <summary>Energy of one round with batch b, compute time tc and upload time tu.</summary>
    public double Energy(double b, double tc, double tu) =>
        FixedSpeed ? Kappa * C * b * Fmax * Fmax + Pmax * TuMin : Kc3 * b * b * b / (tc * tc) + UploadEnergy(tu);

    /// <summary>Minimizer of A/b + Λ e + π (tc + tu) over the box (the device's dual response).</summary>
    public void Respond(double lambda, double pi, out double b, out double tc, out double tu) =>
        Respond(lambda, pi, 0.0, out b, out tc, out tu);

    /// <summary>As <see cref="Respond(double, double, out double, out double, out double)"/>, with the upload exponent
    /// x of a nearby response as a start for its Lambert W (0: none).</summary>
    public void Respond(double lambda, double pi, double exponentGuess, out double b, out double tc, out double tu)
    {
        if (FixedSpeed)
        {
            double beta = lambda * Kappa * C * Fmax * Fmax + pi * C / Fmax;
            b = ClampBatch(beta);
            tc = b * C / Fmax;
            tu = TuMin;
            return;
        }
        if (pi <= 0.0)
        {
            // Time is free: compute and upload as slowly as possible (energy-only limit).
            b = A > 0.0 ? Hi : Lo;
            if (lambda > 0.0) { tc = double.PositiveInfinity; tu = double.PositiveInfinity; }
            else { tc = b * C / Fmax; tu = TuMin; }
            return;
        }
        double theta = C / Fmax; // seconds per sample
        if (lambda > 0.0) theta = Math.Max(theta, Math.Cbrt(2.0 * lambda * Kc3 / pi));
        double betaFree = lambda * Kc3 / (theta * theta) + pi * theta;
        b = ClampBatch(betaFree);
        tc = theta * b;
        tu = OptimalUploadTime(lambda, pi, exponentGuess);
    }

    /// <summary>Minimizer of Λ g(t) + π t over t ≥ TuMin: with x = S ln2 / (W t), (x − 1) e^x + 1 = π / (Λ K0).</summary>
    /// <param name="lambda">Λ.</param>
    /// <param name="pi">π.</param>
    /// <param name="exponentGuess">x of a nearby response, as a start for the Lambert W (0: none).</param>
    public double OptimalUploadTime(double lambda, double pi, double exponentGuess = 0.0)
    {
        if (lambda <= 0.0) return TuMin;
        double x = UploadExponent(pi / (lambda * K0), exponentGuess);
        if (!(x > 0.0)) return double.PositiveInfinity;
        return Math.Max(TuMin, ALn2 / x);
    }

    /// <summary>x = S ln 2 / (W tu) of the best upload at y = π / (Λ K0): the root of (x − 1)eˣ + 1 = y, or +∞ where the
    /// upload runs at full power anyway (y ≥ <see cref="FullPowerShift"/>; tu = TuMin).</summary>
    private double UploadExponent(double y, double guess) =>
        y >= FullPowerShift ? double.PositiveInfinity : LambertW.OnePlusW0Shifted(y, guess);

    /// <summary>
    /// A device whose response runs at full speed with the fastest upload and its batch at a bound keeps
    /// the same round time over a whole interval of time prices; this is the top of that interval
    /// (+∞ at the smallest batch, where the device is at its shortest round time), or π itself when the
    /// response at π is not of that kind. The certificate lifts prices within it to balance the server's.
    /// </summary>
    public double FlatTop(double lambda, double pi)
    {
        // A device whose price search ends just short of its smallest batch (within a few 1e-9, as at the bottom of the
        // deadline range) is as good as flat: the dual value is taken exactly at the lifted price, so the bound stays
        // valid, and it loosens by at most the lift times the device's excess compute time (1e-6 of it).
        const double SmallestBatchShare = 1e-6;
        Respond(lambda, pi, out double b, out double tc, out double tu);
        double theta = C / Fmax;
        // Tolerances only decide which prices to try: the dual bound is valid for any π ≥ 0.
        if (tu > TuMin * (1 + 1e-9) || tc > theta * b * (1 + 1e-9)) return pi;
        if (b <= Lo * (1 + SmallestBatchShare)) return double.PositiveInfinity;
        if (A <= 0.0 || b < Hi * (1 - 1e-9)) return pi;
        double energyPerSample = FixedSpeed ? lambda * Kappa * C * Fmax * Fmax : lambda * Kc3 / (theta * theta);
        return Math.Max(pi, (A / (Hi * Hi) - energyPerSample) / theta); // β(π) = energy per sample + π θ ≤ A / Hi²
    }

    /// <summary>Batch minimizing A/b + beta b on [Lo, Hi].</summary>
    private double ClampBatch(double beta)
    {
        if (A <= 0.0) return Lo;
        if (beta <= 0.0) return Hi;
        return Math.Clamp(Math.Sqrt(A / beta), Lo, Hi);
    }

    /// <summary>Value of the dual response: A/b + Λ e + π (tc + tu).</summary>
    public double DualValue(double lambda, double pi)
    {
        Respond(lambda, pi, out double b, out double tc, out double tu);
        return DualValue(lambda, pi, b, tc, tu);
    }

    /// <summary>Value of the dual response given the response (b, tc, tu) at (Λ, π) itself.</summary>
    public double DualValue(double lambda, double pi, double b, double tc, double tu)
    {
        double value = A > 0.0 ? A / b : 0.0;
        if (FixedSpeed) return value + lambda * Energy(b, tc, tu) + pi * (tc + tu);
        if (pi <= 0.0) return lambda > 0.0 ? value + lambda * K0 * ALn2 : value;
        return value + lambda * Energy(b, tc, tu) + pi * (tc + tu);
    }

    /// <summary>
    /// The time price π ≥ 0 at which the device's response just meets the round deadline τ
    /// (tc + tu ≤ τ, with equality when π &gt; 0). Uses <paramref name="pi"/> as warm start.
    /// Requires τ ≥ <see cref="MinTime"/>.
    /// </summary>
    public int SolveDeadline(double lambda, double tau, ref double pi, double tolerance = 1e-13) =>
        SolveDeadline(lambda, tau, ref pi, tolerance, SolverLimits.Default.DevicePriceIterations, out _);

    /// <summary>As <see cref="SolveDeadline(double, double, ref double, double)"/>, also giving dπ/dτ at the
    /// solution (≤ 0; 0 where the price is flat or zero), for Newton steps on the common deadline. Stops after
    /// <paramref name="maxIterations"/> steps, and then returns more than <paramref name="maxIterations"/> evaluations.</summary>
    public int SolveDeadline(double lambda, double tau, ref double pi, double tolerance, int maxIterations, out double dPiDTau)
    {
        double exponent = 0.0;
        int spent = SolveDeadline(lambda, tau, ref pi, ref exponent, tolerance, maxIterations, withEnergy: false, out var slopes);
        dPiDTau = slopes.PriceByDeadline;
        return spent;
    }

    /// <summary>As <see cref="SolveDeadline(double, double, ref double, double, int, out double)"/>, with the response's
    /// sensitivities at the solution: how π and the round's energy move with the deadline τ and the energy price Λ
    /// (the energy's only with <paramref name="withEnergy"/>; for the joint Newton step of <see cref="JointPriceSearch"/>).
    /// <paramref name="exponent"/> carries the upload exponent x from one search to the next (a start for its Lambert W;
    /// 0: none).</summary>
    public int SolveDeadline(double lambda, double tau, ref double pi, ref double exponent, double tolerance, int maxIterations,
        bool withEnergy, out DeadlineSlopes slopes)
    {
        slopes = default;
        if (FixedSpeed || lambda <= 0.0)
        {
            // Fixed per-sample time: b ≤ (τ − TuMin) fmax / c; closed form.
            double perSample = C / Fmax;
            double energyPerSample = FixedSpeed ? lambda * Kappa * C * Fmax * Fmax : 0.0;
            double bFree = A <= 0.0 ? Lo : energyPerSample <= 0.0 ? Hi : Math.Clamp(Math.Sqrt(A / energyPerSample), Lo, Hi);
            double bCap = (tau - TuMin) / perSample;
            if (bFree <= bCap) { pi = 0.0; return 0; }
            double b = Math.Max(bCap, Lo);
            pi = A > 0.0 ? Math.Max(0.0, (A / (b * b) - energyPerSample) / perSample) : 0.0;
            if (pi > 0.0 && bCap > Lo) slopes = slopes with { PriceByDeadline = -2.0 * A / (b * b * b * perSample * perSample) };
            return 0;
        }
        // Λ > 0: time(π) falls strictly from ∞ (π → 0) to MinTime (π → ∞). Solve h(u) = ln τ − ln time(e^u) = 0,
        // increasing in u = ln π, by Newton's method with the analytic derivative, safeguarded by a bracket.
        double u = pi > 0.0 && double.IsFinite(pi) ? Math.Log(pi) : Math.Log(lambda * (Kc3 / (tau * tau * tau) + K0 / tau) + 1e-300);
        double logTau = Math.Log(tau);
        double uLo = double.NegativeInfinity, uHi = double.PositiveInfinity;
        int evaluations = 0;
        var at = default(ResponseSlopes);
        for (; evaluations < maxIterations; evaluations++)
        {
            double p = Math.Exp(u);
            at = Slopes(lambda, p, withEnergy, ref exponent);
            double time = at.Time, slope = at.TimeByPrice; // slope = d time / d π ≤ 0
            double h = logTau - Math.Log(time);
            if (h >= 0) uHi = Math.Min(uHi, u); else uLo = Math.Max(uLo, u);
            if (Math.Abs(h) <= tolerance) break; // within tolerance either side: the budgets keep a 1e-10 margin
            double dh = -p * slope / time; // dh/du ≥ 0
            double next = dh > 0 ? u - h / dh : double.NaN;
            if (!(next > uLo && next < uHi))
            {
                // Newton left the bracket (or has no slope): bisect, or expand while one side is open.
                next = double.IsInfinity(uLo) ? Math.Min(u, uHi) - 2.0 - (evaluations & 7)
                     : double.IsInfinity(uHi) ? Math.Max(u, uLo) + 2.0 + (evaluations & 7)
                     : 0.5 * (uLo + uHi);
            }
            if (Math.Abs(next - u) <= 1e-15 * (1.0 + Math.Abs(u))) break;
            u = next;
        }
        pi = Math.Exp(u);
        slopes = DeadlineSlopes.At(at);
        return evaluations + 1;
    }

    /// <summary>Round time tc + tu of the response to (Λ, π) and its partial derivatives in π and Λ; with
    /// <paramref name="withEnergy"/> also the round's energy and its partial derivatives (Λ &gt; 0, π &gt; 0).</summary>
    /// <param name="lambda">Λ.</param>
    /// <param name="pi">π.</param>
    /// <param name="withEnergy">Whether to compute the energy and its derivatives.</param>
    /// <param name="exponent">In: x of a nearby response (0: none); out: x of this one (unchanged at full power).</param>
    public ResponseSlopes Slopes(double lambda, double pi, bool withEnergy, ref double exponent)
    {
        double theta = C / Fmax, dThetaPi = 0.0, dThetaLambda = 0.0;
        double free = Math.Cbrt(2.0 * lambda * Kc3 / pi);
        if (free > theta) { theta = free; dThetaPi = -theta / (3.0 * pi); dThetaLambda = theta / (3.0 * lambda); }
        double beta = lambda * Kc3 / (theta * theta) + pi * theta;
        double b, dBPi = 0.0, dBLambda = 0.0;
        if (A <= 0.0) b = Lo;
        else
        {
            double raw = Math.Sqrt(A / beta);
            if (raw <= Lo) b = Lo;
            else if (raw >= Hi) b = Hi;
            else
            {
                // dβ/dπ = θ and dβ/dΛ = κc³ / θ² by the envelope theorem; b = √(A / β).
                b = raw;
                dBPi = -b * theta / (2.0 * beta);
                dBLambda = -b * Kc3 / (theta * theta * 2.0 * beta);
            }
        }
        double y = pi / (lambda * K0);
        double x = UploadExponent(y, exponent);
        if (double.IsFinite(x)) exponent = x;
        double tu, dTuPi = 0.0, dTuLambda = 0.0;
        if (x > 0.0 && ALn2 / x > TuMin)
        {
            tu = ALn2 / x;
            double dTuDy = -ALn2 / (x * x) / (x * Math.Exp(x)); // dx/dy = 1 / (x e^x)
            dTuPi = dTuDy / (lambda * K0); // dy/dπ = 1 / (Λ K0)
            dTuLambda = -dTuDy * y / lambda; // dy/dΛ = −y / Λ
        }
        else tu = x > 0.0 ? TuMin : double.PositiveInfinity;
        var slopes = new ResponseSlopes
        {
            Time = theta * b + tu,
            TimeByPrice = dThetaPi * b + theta * dBPi + dTuPi,
            TimeByEnergyPrice = dThetaLambda * b + theta * dBLambda + dTuLambda,
        };
        if (!withEnergy) return slopes;
        // e = κc³ b / θ² + tu K0 (e^(a/tu) − 1), a = S ln 2 / W.
        double compute = Kc3 * b / (theta * theta);
        double ratio = ALn2 / tu, grown = double.ExpM1(ratio);
        double upload = tu * K0 * grown;
        double dUpload = K0 * (grown - ratio * (grown + 1.0)); // d(upload)/d tu
        return slopes with
        {
            Energy = compute + upload,
            EnergyByPrice = Kc3 * (dBPi / (theta * theta) - 2.0 * b * dThetaPi / (theta * theta * theta)) + dUpload * dTuPi,
            EnergyByEnergyPrice = Kc3 * (dBLambda / (theta * theta) - 2.0 * b * dThetaLambda / (theta * theta * theta)) + dUpload * dTuLambda,
        };
    }
}

/// <summary>A device's round time and energy at prices (Λ, π), and their partial derivatives in π and in Λ.</summary>
internal readonly record struct ResponseSlopes
{
    public double Time { get; init; }
    public double TimeByPrice { get; init; }
    public double TimeByEnergyPrice { get; init; }
    public double Energy { get; init; }
    public double EnergyByPrice { get; init; }
    public double EnergyByEnergyPrice { get; init; }
}

/// <summary>
/// How a device's time price π(Λ, τ), set so that its round just meets the deadline τ, and its round energy e move
/// with τ and with the energy price Λ (implicit derivatives of time(Λ, π) = τ; zero where π is flat or closed form).
/// </summary>
internal readonly record struct DeadlineSlopes
{
    public double PriceByDeadline { get; init; }
    public double PriceByEnergyPrice { get; init; }
    public double Energy { get; init; }
    public double EnergyByDeadline { get; init; }
    public double EnergyByEnergyPrice { get; init; }

    /// <summary>From the partials at the solution: dπ/dτ = 1 / ∂t/∂π, dπ/dΛ = −(∂t/∂Λ) / (∂t/∂π), de = ∂e + ∂e/∂π dπ.</summary>
    public static DeadlineSlopes At(in ResponseSlopes r)
    {
        if (!(r.TimeByPrice < 0.0)) return new DeadlineSlopes { Energy = r.Energy, EnergyByEnergyPrice = r.EnergyByEnergyPrice };
        double byDeadline = 1.0 / r.TimeByPrice, byEnergyPrice = -r.TimeByEnergyPrice / r.TimeByPrice;
        return new DeadlineSlopes
        {
            PriceByDeadline = byDeadline,
            PriceByEnergyPrice = byEnergyPrice,
            Energy = r.Energy,
            EnergyByDeadline = r.EnergyByPrice * byDeadline,
            EnergyByEnergyPrice = r.EnergyByEnergyPrice + r.EnergyByPrice * byEnergyPrice,
        };
    }
}
