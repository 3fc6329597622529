namespace EdgeLearn.Planning.Internal;

/// <summary>The principal branch W0 of the Lambert W function (w e^w = x, x ≥ −1/e).</summary>
internal static class LambertW
{
    private const double InvE = 0.36787944117144233;

    /// <summary>A Halley step this small (relative) leaves an error near its cube, below the last bit: the iteration ends.</summary>
    private const double HalleyFinalStep = 1e-6;

    /// <summary>Below this y the direct formula 1 + W0((y − 1)/e) loses digits (its argument sits next to the branch
    /// point −1/e, so y's contribution is rounded away); <see cref="OnePlusW0Shifted(double)"/> solves for x directly there.</summary>
    private const double SmallShift = 1e-3;

    /// <summary>
    /// x = 1 + W0((y − 1)/e) for y ≥ 0: the root x ≥ 0 of (x − 1)eˣ + 1 = y (the upload-time multiplier of model.md §5),
    /// to full relative precision also for small y, where the direct formula loses up to all of its digits (at π ≪ ΛK0,
    /// when budgets are so large that time is nearly free). Newton's method on the series of (x − 1)eˣ + 1.
    /// </summary>
    public static double OnePlusW0Shifted(double y)
    {
        if (!(y < SmallShift)) return 1.0 + W0((y - 1.0) / Math.E);
        if (y <= 0.0) return 0.0;
        double p = Math.Sqrt(2.0 * y);
        double x = p * (1.0 + p * (-1.0 / 3.0 + p * (11.0 / 72.0))); // the branch-point series of W0, shifted by 1
        for (int i = 0; i < 8; i++)
        {
            double step = (ShiftedExpSeries(x) - y) / (x * Math.Exp(x));
            x -= step;
            if (Math.Abs(step) <= 1e-16 * x) break;
        }

        return x;
    }

    /// <summary>
    /// As <see cref="OnePlusW0Shifted(double)"/>, started from <paramref name="guess"/> (the root for a nearby y, as a
    /// device's price search moves): Halley's iteration on (x − 1)eˣ + 1 − y, one exponential per step and usually one or
    /// two steps, where W0 from scratch takes two logarithms and two exponentials. Without a usable guess (≤ 0, NaN, or
    /// more than a third off), or for small y, it is the function without a guess.
    /// </summary>
    public static double OnePlusW0Shifted(double y, double guess)
    {
        if (!(guess > 0.0) || !(y >= GuessedShift) || !double.IsFinite(y)) return OnePlusW0Shifted(y);
        double x = guess;
        for (int i = 0; i < GuessedSteps; i++)
        {
            double ex = Math.Exp(x);
            double g = (x - 1.0) * ex + 1.0 - y, slope = x * ex, curvature = (x + 1.0) * ex;
            double dx = g / slope / (1.0 - g * curvature / (2.0 * slope * slope));
            if (!(Math.Abs(dx) <= GuessShare * x)) return OnePlusW0Shifted(y); // too far off: start afresh
            x -= dx;
            if (Math.Abs(dx) <= HalleyFinalStep * x) return x;
        }
        return OnePlusW0Shifted(y);
    }

    /// <summary>Below this y (x below about 0.42) (x − 1)eˣ + 1 − y cancels too many digits to be iterated on.</summary>
    private const double GuessedShift = 0.1;

    /// <summary>Halley steps from a guess before starting afresh.</summary>
    private const int GuessedSteps = 4;

    /// <summary>A guess whose first step is larger than this share of it is not used.</summary>
    private const double GuessShare = 1.0 / 3.0;

    /// <summary>(x − 1)eˣ + 1 = Σ_{n≥2} (n − 1) xⁿ / n!, summed without cancellation for small x ≥ 0.</summary>
    private static double ShiftedExpSeries(double x)
    {
        double power = x * x / 2.0, sum = 0.0; // xⁿ / n! from n = 2
        for (int n = 2; n < 40; n++)
        {
            double term = (n - 1) * power;
            sum += term;
            if (term <= 1e-17 * sum) break;
            power *= x / (n + 1);
        }

        return sum;
    }

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
            // Halley's error cubes each step, with a constant that grows like 1/(w + 1)² near the branch point: after a
            // step this small relative to w + 1 the next one would move w by less than the last bit.
            if (Math.Abs(dw) <= HalleyFinalStep * Math.Abs(wp1)) break;
        }
        return w;
    }
}
