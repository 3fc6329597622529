namespace EdgeLearn.Learning.Tests;

/// <summary>The one place that states how close floating-point results must be.</summary>
internal static class Tolerance
{
    /// <summary>Relative tolerance of a float GEMM entry against a double reference, scaled by Σ|a||b|.</summary>
    public const double Gemm = 1e-5;

    /// <summary>Largest accepted ‖analytic − numeric‖ / ‖analytic + numeric‖ in gradient checks.</summary>
    public const double GradientCheck = 2e-3;

    /// <summary>Whether |actual − expected| ≤ relative·scale + absolute.</summary>
    public static bool IsClose(double expected, double actual, double scale, double relative, double absolute)
        => Math.Abs(actual - expected) <= (relative * scale) + absolute;

    /// <summary>Asserts |actual − expected| ≤ relative·scale + absolute.</summary>
    public static void Close(double expected, double actual, double scale, double relative, double absolute, string what)
    {
        double error = Math.Abs(actual - expected);
        double allowed = (relative * scale) + absolute;
        Assert.True(error <= allowed, $"{what}: expected {expected:R}, actual {actual:R}, error {error:E3} > allowed {allowed:E3}.");
    }

    /// <summary>Relative error ‖a − b‖ / max(‖a + b‖, tiny) of two vectors.</summary>
    public static double RelativeError(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double diff = 0, sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            sum += (a[i] + b[i]) * (a[i] + b[i]);
        }

        return Math.Sqrt(diff) / Math.Max(Math.Sqrt(sum), 1e-12);
    }
}
