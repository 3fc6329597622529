namespace EdgeLearn.Planning.Internal;

/// <summary>
/// The outer search over the integer rounds (M, N) (model.md §5, "Integers and the outer search").
/// Feasibility falls monotonically in both M and N, so the feasible frontier is found by bisection;
/// inside it the best N for a given M, and the best M, are found by bisection on the sign of the
/// relaxation's slope (one solve gives the bound and, through its prices, its slopes in M and N)
/// followed by a sweep of the neighbourhood; a coarse grid with golden section serves where the
/// slope is not informative. Every (M, N) evaluated is cached and counted.
/// </summary>
internal sealed class RoundSearch(Func<int, int, PairValue> value, Func<int, int, bool> feasible, SearchOptions options)
{
    private readonly Dictionary<(int M, int N), PairValue> _values = [];
    private readonly Dictionary<(int M, int N), bool> _feasible = [];

    public int PairsEvaluated => _values.Count;

    public int FeasibilityChecks => _feasible.Count;

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

    /// <summary>The best N for a given M and its value (+∞ when no N fits).</summary>
    public (int N, double Value) BestN(int m, int nMax)
    {
        int nHi = MaxFeasibleN(m, nMax);
        if (nHi == 0) return (0, double.PositiveInfinity);
        int n = MinimizeBySlope(x => Evaluate(m, x).Value, x => Evaluate(m, x).SlopeN, 1, nHi);
        return (n, Value(m, n));
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

/// <summary>The relaxed bound at one (M, N) and its slopes in N and M.</summary>
internal readonly record struct PairValue(double Value, double SlopeN, double SlopeM);

/// <summary>Tuning of the outer search.</summary>
internal sealed record SearchOptions(int GridPoints = 17, int ExhaustiveWidth = 8, int LocalSweep = 3);
