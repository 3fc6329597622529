namespace EdgeLearn.Planning.Internal;

/// <summary>
/// Lower bounds on the relaxed bound at any (M, N) from the prices of pairs already solved, in O(1) per pair and
/// without touching the fleet (model.md §5, "Dual cuts"). A solve at (Ms, Ns) ends with a per-round energy price
/// Λ = λ Ns, device time prices πk summing to Π = ν Ns, and the fleet's part of the dual function,
/// Ψ = Σk min over bk, tck, tuk of (Ak/bk + Λ ek + πk (tck + tuk)), which depends on neither M nor N. At any other
/// (M, N) the prices λ = Λ/N, ν = Π/N and the same πk satisfy the dual's stationarity in τ (Σ πk = N ν), so weak
/// duality gives
/// <code>Gbar(M, N) ≥ C(M, N) + Ψ + D0(M, N; λ M, ν M) − λ E'(N) − ν T'(N)</code>
/// (C the constant term, D0 the server's dual response, E' and T' the budgets left after the downlink). In u = 1/N
/// every such bound is affine for fixed M, so the best bound over all N from a set of cuts is an exact piecewise-linear
/// minimization. Only for schemes whose stages share the budgets and whose batches are free (not separate, not fixed-batch).
/// </summary>
internal sealed class FleetCuts(SchemeProblem problem)
{
    /// <summary>At most this many cuts are kept (the newest replace the oldest): each bound costs O(cuts).</summary>
    public const int Capacity = 48;

    private readonly List<Cut> _cuts = [];
    private int _next;

    /// <summary>Whether cuts apply to this scheme.</summary>
    public static bool Applies(SchemeProblem problem) => problem.Definition.PretrainShare is null && !problem.FixedBatches;

    /// <summary>Keeps the prices of a solved pair with N fine-tuning rounds.</summary>
    public void Add(RoundSolution solution, int n)
    {
        var r = solution.Relaxed;
        if (!solution.Feasible || !double.IsFinite(r.FleetDual) || !(r.Lambda >= 0) || !(r.Nu >= 0)) return;
        var cut = new Cut(r.Lambda * n, r.Nu * n, r.FleetDual);
        if (_cuts.Count < Capacity) _cuts.Add(cut);
        else
        {
            _cuts[_next] = cut;
            _next = (_next + 1) % Capacity;
        }
    }

    /// <summary>A lower bound on the relaxed bound at every (M, N) with M in [<paramref name="first"/>, <paramref name="last"/>]
    /// and N in [1, <paramref name="nMax"/>]: the budgets and server noise weight of M = first, the contraction of M = last
    /// (as <see cref="SchemeProblem.SolveRange"/>), minimized exactly over u = 1/N in [1/nMax, 1], and the u where the
    /// cuts' maximum is lowest (where a new cut would help most). −∞ (and NaN) without cuts.</summary>
    public (double Bound, double U) RangeBound(int first, int last, int nMax)
    {
        var (bound, _, u) = RangeBoundAt(first, last, nMax);
        return (bound, u);
    }

    /// <summary>As <see cref="RangeBound"/>, and the M where a new cut would help most. A range of at most
    /// <see cref="NarrowRange"/> M is bounded M by M (no decoupling of the contraction from the budgets, so much tighter
    /// near the optimum, where W(M) is flat); a wider one as one relaxation, at its first M.</summary>
    public (double Bound, int M, double U) RangeBoundAt(int first, int last, int nMax)
    {
        if (_cuts.Count == 0) return (double.NegativeInfinity, first, double.NaN);
        if (first == 0 && last > 0)
        {
            // M = 0 has another constant term (Φ, not r^M Φ0 + Γ + Γ*): bound it on its own.
            var zero = Single(0, 0, nMax);
            var rest = RangeBoundAt(1, last, nMax);
            return zero.Bound <= rest.Bound ? (zero.Bound, 0, zero.U) : rest;
        }
        if (last > first && last - first < NarrowRange)
        {
            (double Bound, int M, double U) lowest = (double.PositiveInfinity, first, double.NaN);
            for (int m = first; m <= last; m++)
            {
                var (b, u) = Single(m, m, nMax);
                if (b < lowest.Bound) lowest = (b, m, u);
            }
            return lowest;
        }
        var (bound, at) = Single(first, last, nMax);
        return (bound, first, at);
    }

    /// <summary>Ranges this narrow are bounded M by M.</summary>
    public const int NarrowRange = 64;

    private (double Bound, double U) Single(int first, int last, int nMax)
    {
        Span<double> alpha = stackalloc double[Capacity], beta = stackalloc double[Capacity];
        alpha = alpha[.._cuts.Count];
        beta = beta[.._cuts.Count];
        for (int i = 0; i < _cuts.Count; i++) (alpha[i], beta[i]) = Line(_cuts[i], first, last);
        return MinOfMax(alpha, beta, 1.0 / nMax, 1.0);
    }

    /// <summary>The best bound of the cuts at one (M, N) (−∞ without cuts).</summary>
    public double PairBound(int m, int n)
    {
        double best = double.NegativeInfinity;
        foreach (var cut in _cuts)
        {
            var (alpha, beta) = Line(cut, m, m);
            best = Math.Max(best, alpha + beta / n);
        }
        return best;
    }

    /// <summary>The bound of one cut over [first, last] as α + β u, u = 1/N.</summary>
    private (double Alpha, double Beta) Line(Cut cut, int first, int last)
    {
        var scenario = problem.Scenario;
        const double safety = SchemeProblem.BudgetSafety;
        // Terms in u: the constant term (contraction of last), the server's dual response at prices (Λ M u, Π M u) with
        // its weight A0 ∝ u (both scale with u, so its value is u times the value at N = 1), and the budgets.
        double beta = problem.ConstantTerm(last, 1)
            - safety * (cut.Lambda * scenario.Budget.EnergyJ + cut.Pi * scenario.Budget.DelayS);
        if (first > 0) beta += problem.Server(first, 1).DualValue(cut.Lambda * first, cut.Pi * first);
        double alpha = cut.Psi + safety * (cut.Lambda * scenario.Downlink.EnergyJ + cut.Pi * scenario.Downlink.DelayS);
        return (alpha, beta);
    }

    /// <summary>
    /// min over u in [uLo, uHi] of max_i (α_i + β_i u), exactly or from below: the maximum of lines is convex, so it is
    /// lowest at an end (when the rising or the falling lines dominate throughout) or where the highest rising line
    /// crosses the highest falling one; there a convex combination of those two lines with zero slope is a constant
    /// below the maximum everywhere (weak duality of the small LP), which is the bound.
    /// </summary>
    internal static (double Bound, double U) MinOfMax(ReadOnlySpan<double> alpha, ReadOnlySpan<double> beta, double uLo, double uHi)
    {
        // Falling dominates at the top end: the maximum is non-increasing on the interval, lowest at uHi.
        var (rHi, _, fHi, _) = Highest(alpha, beta, uHi);
        if (rHi <= fHi) return (fHi, uHi);
        var (rLo, _, fLo, _) = Highest(alpha, beta, uLo);
        if (rLo >= fLo) return (rLo, uLo); // rising dominates at the bottom end: lowest at uLo
        double lo = uLo, hi = uHi;
        for (int i = 0; i < CrossingBisections && hi - lo > 1e-15 * hi; i++)
        {
            double mid = 0.5 * (lo + hi);
            var (rMid, _, fMid, _) = Highest(alpha, beta, mid);
            if (rMid < fMid) lo = mid; else hi = mid;
        }
        double u = 0.5 * (lo + hi);
        var (_, r, _, f) = Highest(alpha, beta, u);
        // w β_r + (1 − w) β_f = 0 with β_r ≥ 0 > β_f: valid whichever two lines these are, tight when they cross at u.
        double w = -beta[f] / (beta[r] - beta[f]);
        return (w * alpha[r] + (1 - w) * alpha[f], u);
    }

    /// <summary>Bisection steps towards the crossing: the bound is valid after any number, and within 2^-48 of the
    /// interval of exact after these.</summary>
    private const int CrossingBisections = 48;

    /// <summary>The highest rising (β ≥ 0) and the highest falling (β &lt; 0) line at u, with their indices (−1: none).</summary>
    private static (double Rising, int R, double Falling, int F) Highest(ReadOnlySpan<double> alpha, ReadOnlySpan<double> beta, double u)
    {
        double rising = double.NegativeInfinity, falling = double.NegativeInfinity;
        int r = -1, f = -1;
        for (int i = 0; i < alpha.Length; i++)
        {
            double v = alpha[i] + beta[i] * u;
            if (beta[i] >= 0)
            {
                if (v > rising) { rising = v; r = i; }
            }
            else if (v > falling) { falling = v; f = i; }
        }
        return (rising, r, falling, f);
    }

    /// <summary>One solved pair's prices: Λ per round, Π the sum of the device time prices, Ψ the fleet's dual part.</summary>
    private readonly record struct Cut(double Lambda, double Pi, double Psi);
}
