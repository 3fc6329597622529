namespace EdgeLearn.Planning.Internal;

/// <summary>
/// The outer search over the integer rounds (M, N) (model.md §5, "The outer search"). Feasibility falls monotonically in
/// both M and N, so the feasible frontier is found by bisection. For fixed M the relaxed bound is a convex function of
/// 1/N (model.md §5), so it is unimodal in N and <see cref="BestN"/> finds its minimum exactly by a walk from a guess.
/// Over M there is no such structure, so <see cref="GlobalMinimumOverM(int, int, int, int?, int)"/> runs a branch and bound over ranges of M whose
/// lower bounds are certified relaxations of the whole range (<see cref="SchemeProblem.SolveRange"/>). Every (M, N)
/// evaluated is cached and counted.
/// </summary>
internal sealed class RoundSearch(Func<int, int, PairValue> value, Func<int, int, bool> feasible, SearchOptions options,
    Func<int, int, int, PairValue>? range = null, Func<int, int, (double Bound, int M, double U)>? cutBound = null)
{
    private readonly Dictionary<(int M, int N), PairValue> _values = [];
    private readonly Dictionary<(int M, int N), bool> _feasible = [];
    private readonly Dictionary<int, (int N, double Value)> _bestN = [];
    private int _guessN;

    public int PairsEvaluated => _values.Count;

    public int FeasibilityChecks => _feasible.Count;

    /// <summary>Relaxations of a range of M evaluated by the branch and bound (each one N of one range).</summary>
    public int RangeSolves { get; private set; }

    /// <summary>Ranges of M the branch and bound bounded (each by its best N).</summary>
    public int RangesBounded { get; private set; }

    /// <summary>Ranges and single M the branch and bound discarded by the dual cuts, without walking over N.</summary>
    public int DiscardedByCuts { get; private set; }

    public double Value(int m, int n) => Evaluate(m, n).Value;

    public PairValue Evaluate(int m, int n)
    {
        if (!_values.TryGetValue((m, n), out var v))
        {
            v = value(m, n);
            _values[(m, n)] = v;
            if (double.IsFinite(v.Value)) _feasible[(m, n)] = true;
        }
        return v;
    }

    public bool Feasible(int m, int n)
    {
        if (!_feasible.TryGetValue((m, n), out bool f))
        {
            f = feasible(m, n);
            _feasible[(m, n)] = f;
        }
        return f;
    }

    /// <summary>Largest x in [lo, hi] with pred(x) true, given pred(lo) true and pred monotone (true then false).</summary>
    public static int LastTrue(int lo, int hi, Func<int, bool> pred)
    {
        if (pred(hi)) return hi;
        while (hi - lo > 1)
        {
            int mid = lo + (hi - lo) / 2;
            if (pred(mid)) lo = mid; else hi = mid;
        }
        return lo;
    }

    /// <summary>Largest feasible N for M (0 when even N = 1 does not fit).</summary>
    public int MaxFeasibleN(int m, int nMax) => Feasible(m, 1) ? LastTrue(1, nMax, n => Feasible(m, n)) : 0;

    /// <summary>
    /// The best N for a given M and its value (+∞ when no N fits). Exact: the relaxed bound is convex in 1/N for fixed M
    /// (model.md §5), so its only local minimum over the integers is the global one, and the walk from the last M's best
    /// N finds it (up to the solves' tolerance).
    /// </summary>
    public (int N, double Value) BestN(int m, int nMax)
    {
        if (_bestN.TryGetValue(m, out var known)) return known;
        int n = MinimizeFeasible(x => Evaluate(m, x).Value, m, nMax, _guessN);
        var best = n > 0 ? (n, Value(m, n)) : (0, double.PositiveInfinity);
        if (n > 0) _guessN = n;
        _bestN[m] = best;
        return best;
    }

    /// <summary>
    /// Minimizes f(N), unimodal where feasible and +∞ beyond the feasible frontier in N (still unimodal), over [1, nMax]
    /// from a guess, without locating the frontier first; only when the guess lands on a plateau of infeasible N is the
    /// frontier found by bisection. 0 when no N fits.
    /// </summary>
    private int MinimizeFeasible(Func<int, double> f, int m, int nMax, int guess, Func<int, int, int, bool>? bracketed = null)
    {
        int n = MinimizeUnimodal(f, 1, nMax, guess, bracketed);
        if (double.IsFinite(f(n))) return n;
        int nHi = MaxFeasibleN(m, nMax);
        return nHi == 0 ? 0 : MinimizeUnimodal(f, 1, nHi, nHi, bracketed);
    }

    /// <summary>
    /// Minimizes a unimodal f (non-increasing, then non-decreasing; flat only at its minimum, as a convex function of
    /// 1/N is) over the integers [lo, hi]: from the guess (the middle when it is outside) it steps downhill with
    /// doubling steps until f rises, then narrows that bracket. About 2 log2 of the distance from the guess evaluations.
    /// Whenever it holds a bracket a, b, c (b strictly between, f(b) ≤ f(a) and f(b) ≤ f(c)) it asks
    /// <paramref name="bracketed"/>, when given, whether that is enough, and if so returns b at once (not necessarily the
    /// minimum: the caller has bounded the minimum from the bracket).
    /// </summary>
    public static int MinimizeUnimodal(Func<int, double> f, int lo, int hi, int guess, Func<int, int, int, bool>? bracketed = null)
    {
        int x = guess >= lo && guess <= hi ? guess : lo + (hi - lo) / 2;
        double fx = f(x);
        int direction = x < hi && f(x + 1) < fx ? 1 : x > lo && f(x - 1) < fx ? -1 : 0;
        if (direction == 0) return x; // a local minimum of a unimodal function is its minimum
        int previous = x, best = x + direction, step = 2;
        int far;
        while (true)
        {
            int probe = Math.Clamp(best + direction * step, lo, hi);
            if (probe != best && f(probe) < f(best)) { previous = best; best = probe; step *= 2; continue; }
            far = probe; // f rises again at far, or best is the end of the range
            break;
        }
        // f(previous) > f(best) ≤ f(far): the minimum lies between previous and far (best may be far, at the range's end).
        int a = Math.Min(previous, far), c = Math.Max(previous, far), b = best;
        while (c - a > 2)
        {
            if (bracketed is not null && a < b && b < c && double.IsFinite(f(b)) && bracketed(a, b, c)) return b;
            int probe = b - a > c - b ? b - (b - a) / 2 : b + (c - b) / 2;
            if (f(probe) < f(b))
            {
                if (probe < b) c = b; else a = b;
                b = probe;
            }
            else if (probe < b) a = probe;
            else c = probe;
        }
        for (int x2 = a; x2 <= c; x2++) if (f(x2) < f(b)) b = x2;
        return b;
    }

    /// <summary>
    /// The global minimum over M in [<paramref name="mLo"/>, <paramref name="mHi"/>] of W(M) = min over N of the relaxed
    /// bound, by best-first branch and bound from an incumbent. A range of M is bounded below by the certified lower
    /// bound of its range relaxation at that relaxation's best N (also convex in 1/N, so found exactly); a range whose
    /// bound is not below the incumbent by more than the tolerance is discarded, the others are halved, and a single M is
    /// evaluated by <see cref="BestN"/>. Needs the range relaxation given at construction.
    /// </summary>
    /// <returns>The best M found, its N and value, and a lower bound on W over the whole range (every discarded range's
    /// bound and every evaluated M's certified bound, the smallest).</returns>
    public RangeMinimum GlobalMinimumOverM(int mLo, int mHi, int nMax, int incumbentM) => GlobalMinimumOverM(mLo, mHi, nMax, incumbentM, 0);

    /// <summary>As <see cref="GlobalMinimumOverM(int, int, int, int)"/>; without a seed M (null) the incumbent is the
    /// first pair the search solves (with dual cuts every range's first step solves one), and the walks over N start from
    /// <paramref name="guessN"/>. Returns a value of +∞ (and N = 0) when no M in the range admits a round.</summary>
    public RangeMinimum GlobalMinimumOverM(int mLo, int mHi, int nMax, int? seedM, int guessN)
    {
        if (range is null) throw new InvalidOperationException("the branch and bound needs the range relaxation");
        int incumbentM = seedM ?? mLo, incumbentN = 0;
        double incumbent = double.PositiveInfinity, lowest = double.PositiveInfinity;
        if (seedM is { } seed)
        {
            (incumbentN, incumbent) = BestN(seed, nMax);
            lowest = Evaluate(seed, incumbentN).LowerBound;
            guessN = incumbentN;
        }
        // A range enters the queue with a certified bound, or (Certified false) with the value of its relaxation at one N,
        // which only shows that it must be split: it is bounded properly when it comes out and the incumbent has moved.
        var open = new PriorityQueue<(int First, int Last, int N, bool Certified), double>();
        Visit(mLo, mHi, guessN);
        while (open.TryDequeue(out var r, out double bound))
        {
            if (!Improves(bound))
            {
                // A certified range that cannot improve is done. The queue's order does not end the search here: an
                // uncertified entry's priority is a value, not a bound, and may sit behind this one with a lower bound
                // still below the threshold (the incumbent falls as pairs are solved), so every entry is taken out.
                if (r.Certified) { lowest = Math.Min(lowest, bound); continue; }
                Bound(r.First, r.Last, r.N);
                continue;
            }
            int mid = r.First + (r.Last - r.First) / 2;
            Visit(r.First, mid, r.N);
            Visit(mid + 1, r.Last, r.N);
        }
        // The incumbent may be any pair solved on the way (Offer): report its M's exact best N, so that the value is W(M).
        if (double.IsFinite(incumbent) && BestN(incumbentM, nMax) is { N: > 0 } exact && exact.Value <= incumbent)
            (incumbentN, incumbent) = exact;
        return new RangeMinimum(incumbentM, incumbentN, incumbent, Math.Min(lowest, incumbent));

        bool Improves(double bound) => bound < Keep();

        double Keep() => double.IsPositiveInfinity(incumbent) ? incumbent : incumbent - options.Tolerance * Math.Abs(incumbent);

        // guessN: the best N of the enclosing range's relaxation, where the walk over N starts.
        void Visit(int first, int last, int guessN)
        {
            if (first == last)
            {
                if (!_bestN.ContainsKey(first))
                {
                    if (CutDiscards(first, first, incumbent, nMax, ref guessN)) return;

                    // A bracket over N whose convexity bound is at least the incumbent discards this M without its exact
                    // best N (W(first) could not replace the incumbent); otherwise the walk's pairs are cached for BestN.
                    var (single, _, certified) = WalkBound(x => Evaluate(first, x), first, nMax, guessN, incumbent);
                    if (certified && single >= incumbent) { lowest = Math.Min(lowest, single); return; }
                }
                _guessN = guessN;
                var (n, v) = BestN(first, nMax);
                if (n == 0) return;
                lowest = Math.Min(lowest, Evaluate(first, n).LowerBound);
                if (v < incumbent) (incumbentM, incumbentN, incumbent) = (first, n, v);
                return;
            }
            Bound(first, last, guessN);
        }

        // Kelley's cutting planes on the range's relaxation over u = 1/N: while the cuts' bound is below the threshold,
        // solve the pair (M, N) where their maximum is lowest (M the range's first, or in a narrow range the M whose own
        // bound is lowest), which adds the cut tangent there. True when the
        // cuts discard [first, last] (its bound enters the lower bound); false when a solved value reaches below the
        // threshold or the next N was solved already (then the walk over N decides, from the last N tried).
        bool CutDiscards(int first, int last, double threshold, int nMax, ref int guessN)
        {
            if (cutBound is null) return false;
            for (int i = 0; i <= options.CutSolves; i++)
            {
                var (cut, at, u) = cutBound(first, last);
                if (cut >= threshold)
                {
                    DiscardedByCuts++;
                    lowest = Math.Min(lowest, cut);
                    return true;
                }
                if (!double.IsFinite(u) || i == options.CutSolves) return false;
                int n = (int)Math.Clamp(Math.Round(1.0 / u), 1, nMax);
                if (_values.ContainsKey((at, n))) return false;
                guessN = n;
                // The pair (at, n) bounds the range relaxation from above only when at is the range's first M.
                bool below = (at == first ? range!(first, last, n) : Evaluate(at, n)).Value < threshold;
                Offer(at, n);
                if (below) return false;
            }
            return false;
        }

        // Every pair solved on the way is a feasible relaxed point: the best of them is the incumbent, so the threshold
        // falls long before the branch and bound reaches single M.
        void Offer(int m, int n)
        {
            double v = Evaluate(m, n).Value;
            if (v < incumbent) (incumbentM, incumbentN, incumbent) = (m, n, v);
        }

        void Bound(int first, int last, int guessN)
        {
            if (CutDiscards(first, last, Keep(), nMax, ref guessN)) return;

            var (bound, bestN, certified) = RangeBound(first, last, nMax, guessN, Keep());
            if (bestN > 0) Offer(first, bestN);
            if (!certified || Improves(bound)) open.Enqueue((first, last, bestN, certified), bound);
            else lowest = Math.Min(lowest, bound);
        }
    }

    /// <summary>
    /// Among M exactly as good as <paramref name="m"/> (W(M) = <paramref name="value"/> = W(m) in floating point), the
    /// smallest: fewer pre-training rounds for the same bound. Only when W(m − 1) ties already (a plateau where r^M Φ0
    /// no longer changes the bound, as with a server so cheap that any M fits) does it look further, by bisection on
    /// "ties" over [mLo, m − 1]; that assumes W falls onto the plateau, which only decides which of equally good M is
    /// returned. A bound that still falls with M, however slightly, keeps the larger M (at the round limit when it binds).
    /// </summary>
    public int SmallestTiedM(int mLo, int m, int nMax, double value)
    {
        bool Ties(int x) => BestN(x, nMax).Value <= value;
        if (m <= mLo || !Ties(m - 1)) return m;
        if (Ties(mLo)) return mLo;
        int lo = mLo, hi = m - 1; // W(lo) does not tie, W(hi) does
        while (hi - lo > 1)
        {
            int mid = lo + (hi - lo) / 2;
            if (Ties(mid)) hi = mid; else lo = mid;
        }
        return hi;
    }

    /// <summary>A certified lower bound on the relaxed bound over M in [first, last] (first ≥ 1) and every N: the range
    /// relaxation's lower bound at its best N, and that N (+∞ and 0 when not even M = first admits a fine-tuning round).
    /// The walk over N stops early, uncertified, at a value below <paramref name="keep"/>: the range cannot be discarded.</summary>
    /// <remarks>The walk also stops, certified, as soon as it holds a bracket whose convexity bound
    /// (<see cref="BracketBound"/>) is at least <paramref name="keep"/>: the range is then discarded without locating its
    /// relaxation's minimum exactly.</remarks>
    internal (double Bound, int N, bool Certified) RangeBound(int first, int last, int nMax, int guessN, double keep)
    {
        RangesBounded++;
        return WalkBound(n => { RangeSolves++; return range!(first, last, n); }, first, nMax, guessN, keep);
    }

    /// <summary>The walk over N of <see cref="RangeBound"/> for any function convex in 1/N (a range relaxation, or one M's
    /// relaxed bound): its certified lower bound over every N and the N it was taken at, or (uncertified) the first value
    /// below <paramref name="keep"/>.</summary>
    private (double Bound, int N, bool Certified) WalkBound(Func<int, PairValue> solve, int first, int nMax, int guessN, double keep)
    {
        var solves = new Dictionary<int, PairValue>();
        int below = 0;
        double bracketBound = double.NegativeInfinity;
        int bracketN = 0;
        PairValue Solve(int n)
        {
            if (!solves.TryGetValue(n, out var v))
            {
                v = below == 0 ? solve(n) : new PairValue(double.PositiveInfinity, double.NaN, double.NaN);
                solves[n] = v;
                if (below == 0 && v.Value < keep) below = n;
            }
            return v;
        }
        bool Enough(int a, int b, int c)
        {
            if (below > 0) return true; // the range is kept whatever the rest of the walk finds
            double bound = BracketBound(a, Solve(a).Value, b, Solve(b).LowerBound, c, Solve(c).Value);
            if (!(bound >= keep)) return false;
            (bracketBound, bracketN) = (bound, b);
            return true;
        }
        int best = MinimizeFeasible(n => Solve(n).Value, first, nMax, guessN, Enough);
        if (below > 0) return (solves[below].Value, below, false);
        if (bracketN > 0) return (bracketBound, bracketN, true);
        return best == 0 ? (double.PositiveInfinity, 0, true) : (Solve(best).LowerBound, best, true);
    }

    /// <summary>
    /// A lower bound on every value of a function convex in u = 1/N from a bracket a &lt; b &lt; c (integers N) whose
    /// middle is no higher than its ends: <paramref name="lowerB"/> a certified lower bound at b, <paramref name="valueA"/>
    /// and <paramref name="valueC"/> values (upper bounds) at the ends. Between b and one end the function lies above the
    /// line through b and the other end extended (convexity), which is lowest at that end; beyond an end it is at least
    /// the value there, which is at least the middle's. So min f ≥ f(b) − max((f(c) − f(b)) |u_a − u_b| / |u_c − u_b|,
    /// (f(a) − f(b)) |u_c − u_b| / |u_a − u_b|), evaluated with the lower bound at b and the values at the ends (model.md
    /// §5, "The outer search").
    /// </summary>
    internal static double BracketBound(int a, double valueA, int b, double lowerB, int c, double valueC)
    {
        double ua = 1.0 / a, ub = 1.0 / b, uc = 1.0 / c;
        double left = (valueC - lowerB) * Math.Abs(ua - ub) / Math.Abs(uc - ub);
        double right = (valueA - lowerB) * Math.Abs(uc - ub) / Math.Abs(ua - ub);
        return lowerB - Math.Max(Math.Max(left, right), 0.0);
    }

    /// <summary>
    /// Minimizes a quasiconvex f over the integers [lo, hi] by bisection on the sign of its slope
    /// (the envelope-theorem slope of the relaxation, one solve per point), then a local sweep of values.
    /// </summary>
    public int MinimizeBySlope(Func<int, double> f, Func<int, double> slope, int lo, int hi)
    {
        if (hi - lo + 1 <= options.ExhaustiveWidth) return Minimize(f, lo, hi);
        int arg;
        if (!(slope(lo) < 0)) arg = lo;
        else if (slope(hi) < 0) arg = hi;
        else
        {
            int a = lo, b = hi; // slope(a) < 0 ≤ slope(b)
            while (b - a > 1)
            {
                int mid = a + (b - a) / 2;
                if (slope(mid) < 0) a = mid; else b = mid;
            }
            arg = f(a) <= f(b) ? a : b;
        }
        int best = arg;
        for (int x = Math.Max(lo, arg - options.LocalSweep); x <= Math.Min(hi, arg + options.LocalSweep); x++)
            if (f(x) < f(best)) best = x;
        return best;
    }

    /// <summary>Minimizes f over the integers [lo, hi]: coarse geometric grid, golden section, local sweep.</summary>
    public int Minimize(Func<int, double> f, int lo, int hi)
    {
        if (hi - lo + 1 <= options.ExhaustiveWidth)
        {
            int bestX = lo;
            for (int x = lo + 1; x <= hi; x++) if (f(x) < f(bestX)) bestX = x;
            return bestX;
        }
        // Coarse grid, denser near lo (geometric in x − lo + 1), always holding both ends.
        var grid = new SortedSet<int> { lo, hi };
        double span = hi - lo + 1;
        for (int i = 1; i < options.GridPoints - 1; i++)
            grid.Add(lo - 1 + (int)Math.Round(Math.Pow(span, i / (double)(options.GridPoints - 1))));
        var points = grid.Where(x => x >= lo && x <= hi).ToArray();
        int best = 0;
        for (int i = 1; i < points.Length; i++) if (f(points[i]) < f(points[best])) best = i;
        int a = points[Math.Max(best - 1, 0)], b = points[Math.Min(best + 1, points.Length - 1)];
        // Golden section on the integers of [a, b].
        const double InvPhi = 0.6180339887498949;
        while (b - a > options.ExhaustiveWidth)
        {
            int c = b - (int)Math.Round((b - a) * InvPhi), d = a + (int)Math.Round((b - a) * InvPhi);
            if (c >= d) { c = a + (b - a) / 2; d = c + 1; }
            if (f(c) <= f(d)) b = d; else a = c;
        }
        int arg = a;
        for (int x = a + 1; x <= b; x++) if (f(x) < f(arg)) arg = x;
        // Local sweep around the result (guards against plateaus and integer effects).
        for (int x = Math.Max(lo, arg - options.LocalSweep); x <= Math.Min(hi, arg + options.LocalSweep); x++)
            if (f(x) < f(arg)) arg = x;
        return arg;
    }
}

/// <summary>The relaxed bound at one (M, N), its slopes in N and M, and its certified lower bound (the value when not given).</summary>
internal readonly record struct PairValue(double Value, double SlopeN, double SlopeM, double? Lower = null)
{
    /// <summary>The certified lower bound of the relaxation (the dual function's value).</summary>
    public double LowerBound => Lower ?? Value;
}

/// <summary>The result of <see cref="RoundSearch.GlobalMinimumOverM(int, int, int, int?, int)"/>.</summary>
/// <param name="M">The best M.</param>
/// <param name="N">Its best N.</param>
/// <param name="Value">W(M), the relaxed bound there.</param>
/// <param name="LowerBound">A certified lower bound on W over the whole range of M searched.</param>
internal readonly record struct RangeMinimum(int M, int N, double Value, double LowerBound);

/// <summary>Tuning of the outer search.</summary>
/// <param name="GridPoints">Points of the coarse grid of <see cref="RoundSearch.Minimize"/>.</param>
/// <param name="ExhaustiveWidth">Ranges this narrow are enumerated.</param>
/// <param name="LocalSweep">Half-width of the final sweeps.</param>
/// <param name="Tolerance">Relative tolerance of the branch and bound: a range is kept only when its lower bound is
/// below the incumbent by more than this share (the solves' own tolerance, so that rounding noise cannot keep a range open).</param>
/// <param name="CutSolves">Pairs the branch and bound may solve per range to tighten its dual cuts before it walks over N.</param>
internal sealed record SearchOptions(int GridPoints = 17, int ExhaustiveWidth = 8, int LocalSweep = 3, double Tolerance = 1e-9, int CutSolves = 3);
