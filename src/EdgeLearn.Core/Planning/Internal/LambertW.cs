namespace EdgeLearn.Planning.Internal;

/// <summary>The principal branch W0 of the Lambert W function (w e^w = x, x ≥ −1/e).</summary>
internal static class LambertW
{
    private const double InvE = 0.36787944117144233;

    /// <summary>W0(x) by Halley's iteration from a branch-point or asymptotic start; relative accuracy ~1e-15.</summary>
    public static double W0(double x)
    {
        if (x == 0.0) return 0.0;
        if (x <= -InvE) return -1.0;
        double w;
        if (x < -0.25)
        {
            double p = Math.Sqrt(2.0 * (Math.E * x + 1.0));
            w = -1.0 + p * (1.0 + p * (-1.0 / 3.0 + p * (11.0 / 72.0)));
        }
        else if (x < 3.0)
        {
            w = Math.Log(1.0 + x) * (1.0 - Math.Log(1.0 + Math.Log(1.0 + x)) / (2.0 + Math.Log(1.0 + x)));
        }
        else
        {
            double l = Math.Log(x);
            double ll = Math.Log(l);
            w = l - ll + ll / l;
        }
        for (int i = 0; i < 32; i++)
        {
            double ew = Math.Exp(w);
            double f = w * ew - x;
            double wp1 = w + 1.0;
            if (wp1 == 0.0) break;
            double dw = f / (ew * wp1 - (w + 2.0) * f / (2.0 * wp1));
            w -= dw;
            if (Math.Abs(dw) <= 1e-15 * (1.0 + Math.Abs(w))) break;
        }
        return w;
    }
}
