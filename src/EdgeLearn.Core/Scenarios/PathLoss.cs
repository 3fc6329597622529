namespace EdgeLearn.Scenarios;

/// <summary>
/// The large-scale path-loss model of the default scenario (model.md §7):
/// PL(d) = 128.1 + 37.6 log10(d / 1 km) dB and h = 10^(−PL/10).
/// </summary>
public static class PathLoss
{
    /// <summary>Path loss at a distance, in dB.</summary>
    /// <param name="distanceM">Distance between device and server, metres (&gt; 0).</param>
    /// <returns>PL(d) = 128.1 + 37.6 log10(d / 1000) dB.</returns>
    /// <remarks>The 3GPP urban macro-cell model used in model.md §7.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="distanceM"/> is not a positive finite number.</exception>
    public static double LossDb(double distanceM)
    {
        if (!(distanceM > 0) || double.IsPositiveInfinity(distanceM))
        {
            throw new ArgumentOutOfRangeException(nameof(distanceM), distanceM, "The distance must be a positive finite number of metres.");
        }

        return 128.1 + (37.6 * Math.Log10(distanceM / 1000.0));
    }

    /// <summary>Linear channel power gain at a distance.</summary>
    /// <param name="distanceM">Distance between device and server, metres (&gt; 0).</param>
    /// <returns>h = 10^(−PL(d)/10), dimensionless.</returns>
    public static double Gain(double distanceM) => Math.Pow(10.0, -LossDb(distanceM) / 10.0);

    /// <summary>A linear power gain expressed in dB.</summary>
    /// <param name="gain">Linear gain (&gt; 0).</param>
    /// <returns>10 log10(gain) dB (negative for a loss).</returns>
    public static double ToDb(double gain) => 10.0 * Math.Log10(gain);
}
