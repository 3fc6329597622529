namespace EdgeLearn.Planning.Internal;

/// <summary>
/// The middle search of a fixed-(M, N) solve: at a given energy price λ, the common fine-tuning deadline τ
/// at which the server's time price balances the devices' (model.md §5). More time for the devices is less
/// for the server, so the balance Φ'(τ) = (N/M) ν0(t0(τ)) − Σk πk(τ) increases in τ and its zero is the best
/// split of the delay budget.
/// </summary>
internal static class DeadlineSearch
{
    /// <summary>The balance is evaluated this far (relatively) either side of the server's kink.</summary>
    private const double KinkOffset = 1e-13;

    /// <summary>Where Newton's step leaves the bracket, regula falsi is used, but every this many steps bisection
    /// instead: regula falsi can stall with one end fixed.</summary>
    private const int BisectEvery = 3;

    /// <summary>The search ends when the bracket is narrower than this share of the tolerance (relative to τ).</summary>
    private const double BracketToleranceShare = 0.01;

    /// <summary>Relative step of the central difference of the server's log-price in t0.</summary>
    private const double ServerDifferenceStep = 1e-6;

    /// <summary>
    /// The deadline τ in [TauLo, TauHi] where the balance crosses zero: Newton's method from the
    /// previous solve's relative position (the devices' dπ/dτ come with their prices, the server's
    /// is differenced), safeguarded by the bracket it builds and by regula falsi. Leaves the devices'
    /// prices at the chosen τ in the warm start.
    /// </summary>
    public static double Balance(FixedRounds rounds, double lambda, ref int evaluations)
    {
        var g = new BalanceFunction(rounds, lambda);
        return Find(rounds, ref g, ref evaluations); // every exit settles, which counts g's evaluations
    }

    private static double Find(FixedRounds rounds, ref BalanceFunction g, ref int evaluations)
    {
        double tauLo = rounds.TauLo, tauHi = rounds.TauHi;
        var server = rounds.Server;
        int m = rounds.M, n = rounds.N;
        double fraction = rounds.Warm.DeadlineFraction;
        double lo = tauLo, hi = tauHi, fLo = double.NaN, fHi = double.NaN;
        bool loEvaluated = false, hiEvaluated = false;
        // The server's value has a kink where its full-speed batch reaches its largest size: there its
        // time price jumps, and the balance may change sign across the kink without a root.
        double kink = server.KinkTime(g.Lambda * m);
        double tauKink = (rounds.DelayBudget - m * kink) / n;
        // Beyond the kink more time is worth nothing to a full-speed server or at zero energy price:
        // then, with the kink at or past the top, the devices take all the time.
        bool worthless = server.FixedSpeed || g.Lambda * m <= 0;
        if (tauKink >= tauHi && worthless) return Settle(rounds, tauHi, ref g, ref evaluations);
        if (tauKink > tauLo && tauKink < tauHi)
        {
            double below = tauKink * (1 - KinkOffset), above = tauKink * (1 + KinkOffset);
            double fBelow = g.Evaluate(below, out _), fAbove = g.Evaluate(above, out _);
            if (fBelow < 0 && fAbove >= 0) return Settle(rounds, tauKink, ref g, ref evaluations);
            if (fAbove < 0) { lo = above; fLo = fAbove; loEvaluated = true; }
            else { hi = below; fHi = fBelow; hiEvaluated = true; }
        }
        double tau = fraction > 0 && fraction < 1 ? tauLo + fraction * (tauHi - tauLo) : 0.5 * (tauLo + tauHi);
        if (!(tau > lo && tau < hi)) tau = 0.5 * (lo + hi);
        double tolerance = rounds.Tolerance;
        bool converged = false;
        for (int i = 0; i < rounds.Limits.DeadlineIterations; i++)
        {
            double f = g.Evaluate(tau, out double slope);
            if (f >= 0) { hi = tau; fHi = f; hiEvaluated = true; } else { lo = tau; fLo = f; loEvaluated = true; }
            if (Math.Abs(f) <= tolerance || hi - lo <= BracketToleranceShare * tolerance * hi) { converged = true; break; }
            double next = slope > 0 && double.IsFinite(slope) && double.IsFinite(f) ? tau - f / slope : double.NaN;
            if (!(next > lo && next < hi))
            {
                if (!hiEvaluated)
                {
                    // The root may sit at the top end: the server wants no more time.
                    if (g.Evaluate(tauHi, out _) <= 0) { tau = tauHi; converged = true; break; }
                    next = double.IsFinite(next) ? 0.5 * (tau + tauHi) : 0.5 * (lo + hi);
                }
                else if (!loEvaluated)
                {
                    // Or at the bottom: the devices are as fast as they go.
                    if (g.Evaluate(tauLo, out _) >= 0) { tau = tauLo; converged = true; break; }
                    next = double.IsFinite(next) ? 0.5 * (tau + tauLo) : 0.5 * (lo + hi);
                }
                else
                {
                    next = double.IsFinite(fLo) && double.IsFinite(fHi) ? (lo * fHi - hi * fLo) / (fHi - fLo) : 0.5 * (lo + hi);
                    if (!(next > lo && next < hi) || i % BisectEvery == BisectEvery - 1) next = 0.5 * (lo + hi);
                }
            }
            tau = next;
        }
        if (!converged) rounds.Tally.SearchCapsHit++;
        if (hiEvaluated && Math.Abs(fHi) <= tolerance) tau = Math.Min(tau, hi);
        return Settle(rounds, tau, ref g, ref evaluations);
    }

    /// <summary>Counts the search's evaluations and refreshes π at the chosen τ (the last evaluation may have been elsewhere).</summary>
    private static double Settle(FixedRounds rounds, double tau, ref BalanceFunction g, ref int evaluations)
    {
        evaluations += g.Evaluations;
        rounds.DeadlinePriceSum(g.Lambda, tau, ref evaluations);
        return tau;
    }

    /// <summary>Φ'(τ) as the log-ratio of the server's and the devices' time prices: increasing in τ; zero at the best deadline.</summary>
    private struct BalanceFunction(FixedRounds rounds, double lambda)
    {
        public int Evaluations;

        public readonly double Lambda => lambda;

        /// <summary>Log-ratio of the server's and the devices' time prices (increasing in τ) and its slope.</summary>
        public double Evaluate(double tau, out double slope)
        {
            rounds.Tally.DeadlineIterations++;
            double sumPi = rounds.DeadlinePriceSum(lambda, tau, ref Evaluations, out double dSumPi);
            double ratio = (double)rounds.N / rounds.M;
            double t0 = (rounds.DelayBudget - rounds.N * tau) / rounds.M;
            double serverPrice = ServerPrice(t0);
            // The server is O(1): difference its log-price in t0 (dt0/dτ = −N/M).
            double h = ServerDifferenceStep * t0;
            double minTime = rounds.Server.MinTime;
            double dLogServer = (Math.Log(ServerPrice(t0 + h)) - Math.Log(ServerPrice(Math.Max(t0 - h, minTime)))) /
                                (t0 + h - Math.Max(t0 - h, minTime));
            slope = -ratio * dLogServer - dSumPi / sumPi;
            return Math.Log(ratio * serverPrice) - Math.Log(sumPi);
        }

        private readonly double ServerPrice(double t0)
        {
            rounds.Server.Respond(lambda * rounds.M, t0, out double price);
            return price;
        }
    }
}
