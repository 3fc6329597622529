using EdgeLearn.Scenarios;

namespace EdgeLearn.Planning.Internal;

/// <summary>
/// The server's pre-training subproblem per round in time variables (model.md §5): with per-round
/// time t0 and energy price Λ0 (= λ M) it minimizes A0/B0 + Λ0 kappa0 c0³ B0³ / t0² over the batch.
/// </summary>
internal readonly record struct ServerModel
{
    /// <summary>A0, the server batch's weight in the bound (times the objective scale; 0 in energy-only solves).</summary>
    public double A { get; init; }

    /// <summary>κ0, the server's effective switched capacitance.</summary>
    public double Kappa { get; init; }

    /// <summary>κ0 c0³: e0 = κ0 c0³ B0³ / t0².</summary>
    public double Kc3 { get; init; }

    /// <summary>c0, CPU cycles per sample.</summary>
    public double C { get; init; }

    /// <summary>f0,max, the highest CPU frequency (Hz).</summary>
    public double Fmax { get; init; }

    /// <summary>Smallest batch this solve allows.</summary>
    public double Lo { get; init; }

    /// <summary>Largest batch this solve allows.</summary>
    public double Hi { get; init; }

    /// <summary>Whether the scheme fixes f0 = f0,max (max-resource).</summary>
    public bool FixedSpeed { get; init; }

    public static ServerModel Create(ServerSpec s, double a, double lo, double hi, bool fixedSpeed) => new()
    {
        A = a,
        Kappa = s.Kappa,
        Kc3 = s.Kappa * s.CyclesPerSample * s.CyclesPerSample * s.CyclesPerSample,
        C = s.CyclesPerSample,
        Fmax = s.MaxFrequencyHz,
        Lo = lo,
        Hi = hi,
        FixedSpeed = fixedSpeed,
    };

    /// <summary>The same server with a zero objective weight (for energy-only solves).</summary>
    public static ServerModel WithoutObjective(in ServerModel s) => s with { A = 0.0 };

    /// <summary>Shortest round time: smallest batch at full speed.</summary>
    public double MinTime => Lo * C / Fmax;

    /// <summary>Energy of a round with batch B and round time t0 (the slowest frequency meeting t0).</summary>
    public double Energy(double b, double t0) =>
        FixedSpeed ? Kappa * C * b * Fmax * Fmax : Kc3 * b * b * b / (t0 * t0);

    /// <summary>Best batch for a round of length t0 ≥ MinTime and energy price Λ0, and the time price
    /// ν = −∂S/∂t0 of the value S(t0) = A/B + Λ0 e0(B, t0) (its envelope derivative).</summary>
    public double Respond(double lambda, double t0, out double timePrice)
    {
        // t0 ≥ MinTime up to rounding: the cap never falls below the smallest batch.
        double cap = Math.Max(Lo, Math.Min(Hi, t0 * Fmax / C));
        if (FixedSpeed)
        {
            double eps = lambda * Kappa * C * Fmax * Fmax; // energy price per sample
            double bFree = A <= 0.0 ? Lo : eps <= 0.0 ? Hi : Math.Clamp(Math.Sqrt(A / eps), Lo, Hi);
            if (bFree <= cap || cap >= Hi) { timePrice = 0.0; return Math.Min(bFree, cap); }
            double b = Math.Max(cap, Lo);
            timePrice = Math.Max(0.0, (A / (b * b) - eps) * Fmax / C);
            return b;
        }
        double bStar = A <= 0.0 ? Lo : lambda <= 0.0 ? double.PositiveInfinity : Math.Sqrt(Math.Sqrt(A * t0 * t0 / (3.0 * lambda * Kc3)));
        if (bStar > cap && cap < Hi)
        {
            // Frequency cap binds: B = f0max t0 / c0 and S(t0) = A c0 / (f0max t0) + Λ0 kappa0 f0max³ t0.
            double b = Math.Max(cap, Lo);
            timePrice = Math.Max(0.0, A * C / (Fmax * t0 * t0) - lambda * Kappa * Fmax * Fmax * Fmax);
            return b;
        }
        double batch = Math.Clamp(bStar, Lo, cap);
        timePrice = 2.0 * lambda * Kc3 * batch * batch * batch / (t0 * t0 * t0);
        return batch;
    }

    /// <summary>The round time at which the full-speed batch reaches its preferred largest size: the
    /// server's value S(t0) has a kink there (its time price jumps), and beyond it, at zero energy price,
    /// more time is worth nothing.</summary>
    public double KinkTime(double lambda)
    {
        double top = Hi;
        if (FixedSpeed)
        {
            double eps = lambda * Kappa * C * Fmax * Fmax;
            top = A <= 0.0 ? Lo : eps <= 0.0 ? Hi : Math.Clamp(Math.Sqrt(A / eps), Lo, Hi);
        }
        else if (A <= 0.0) top = Lo;
        return top * C / Fmax;
    }

    /// <summary>Dual response: min over B and t0 of A/B + Λ0 e0 + ν t0, returned as its value.</summary>
    public double DualValue(double lambda, double nu)
    {
        double beta, theta = C / Fmax;
        if (FixedSpeed) beta = lambda * Kappa * C * Fmax * Fmax + nu * theta;
        else if (nu <= 0.0) beta = 0.0; // time is free: energy per sample → 0
        else
        {
            if (lambda > 0.0) theta = Math.Max(theta, Math.Cbrt(2.0 * lambda * Kc3 / nu));
            beta = lambda * Kc3 / (theta * theta) + nu * theta;
        }
        double b = A <= 0.0 ? Lo : beta <= 0.0 ? Hi : Math.Clamp(Math.Sqrt(A / beta), Lo, Hi);
        return (A > 0.0 ? A / b : 0.0) + beta * b;
    }
}
