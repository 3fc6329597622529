namespace EdgeLearn.Planning.Internal;

/// <summary>A scalar function evaluated by the root finders (a struct, so calls do not allocate).</summary>
internal interface IScalarFunction
{
    double Evaluate(double x);
}

/// <summary>Root finding for monotone increasing scalar functions.</summary>
internal static class Roots
{
    /// <summary>
    /// Illinois regula falsi on a bracket [lo, hi] with f(lo) &lt; 0 ≤ f(hi) of an increasing f.
    /// Stops when the bracket is narrower than <paramref name="xTol"/> or when 0 ≤ f ≤ <paramref name="fTol"/>.
    /// Returns the upper end (the side with f ≥ 0) and counts evaluations into <paramref name="evaluations"/>;
    /// <paramref name="converged"/> is false when it stopped after <paramref name="maxIterations"/> instead.
    /// </summary>
    public static double IllinoisUpper<TF>(ref TF f, double lo, double fLo, double hi, double fHi,
        double xTol, double fTol, ref int evaluations, out bool converged, int maxIterations = 200) where TF : struct, IScalarFunction
    {
        int side = 0;
        converged = !(hi - lo > xTol);
        for (int i = 0; i < maxIterations && !converged; i++)
        {
            double x = double.IsFinite(fLo) && double.IsFinite(fHi) && fHi != fLo
                ? (lo * fHi - hi * fLo) / (fHi - fLo)
                : 0.5 * (lo + hi);
            if (!(x > lo && x < hi)) x = 0.5 * (lo + hi);
            double fx = f.Evaluate(x);
            evaluations++;
            if (fx >= 0)
            {
                hi = x; fHi = fx;
                if (fx <= fTol) { converged = true; break; }
                if (side == 1) fLo *= 0.5;
                side = 1;
            }
            else
            {
                lo = x; fLo = fx;
                if (side == -1) fHi *= 0.5;
                side = -1;
            }
            converged |= !(hi - lo > xTol);
        }
        return hi;
    }
}
