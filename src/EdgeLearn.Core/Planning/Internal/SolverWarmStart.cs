namespace EdgeLearn.Planning.Internal;

/// <summary>
/// What one fixed-(M, N) solve leaves for the next. The outer search solves neighbouring (M, N) one after
/// another, and their prices differ by a few per cent: starting from the last answer saves most iterations.
/// <para>
/// Owned by one <see cref="RoundEngine"/> and overwritten by every solve, so an engine (and the
/// <see cref="SchemeProblem"/> and <see cref="RoundSolver"/> holding it) must not be used from two threads at
/// once. The state decides only where the searches start: every search still runs to its tolerance, so
/// results agree to that tolerance whatever came before (bit for bit only for the same sequence of solves).
/// </para>
/// </summary>
internal sealed class SolverWarmStart
{
    public SolverWarmStart(int devices)
    {
        TimePrices = new double[devices];
        TimePriceSlopes = new double[devices];
        TimePriceEnergySlopes = new double[devices];
        UploadExponents = new double[devices];
    }

    /// <summary>
    /// πk, each device's time price at the last deadline solved. Also the working prices of the solve in
    /// progress: the certificate reads (and lifts) them at the end.
    /// </summary>
    public double[] TimePrices { get; }

    /// <summary>dπk/dτ at the last deadline solved: the next deadline's prices are predicted to first order.</summary>
    public double[] TimePriceSlopes { get; }

    /// <summary>dπk/dΛ at the last joint step (<see cref="JointPriceSearch"/>); valid only while <see cref="EnergySlopesValid"/>.</summary>
    public double[] TimePriceEnergySlopes { get; }

    /// <summary>Each device's upload exponent x at its last response (a start for the next Lambert W; 0: none yet).</summary>
    public double[] UploadExponents { get; }

    /// <summary>Whether <see cref="TimePriceEnergySlopes"/> belong to the prices in <see cref="TimePrices"/>.</summary>
    public bool EnergySlopesValid { get; set; }

    /// <summary>The deadline τ the prices were solved for (NaN before the first).</summary>
    public double PricesDeadline { get; set; } = double.NaN;

    /// <summary>The device energy price Λ = λ N the prices were solved for (NaN before the first).</summary>
    public double PricesEnergyPrice { get; set; } = double.NaN;

    /// <summary>λ at which the last energy-price search ended (NaN before the first: a cold start).</summary>
    public double EnergyPrice { get; set; } = double.NaN;

    /// <summary>Where the last balanced deadline sat in its range, (τ − τmin) / (τmax − τmin) (NaN before the first).</summary>
    public double DeadlineFraction { get; set; } = double.NaN;

    /// <summary>Starts from another warm start's state (of the same fleet size): a bounded solve next to a relaxed one.</summary>
    public void CopyFrom(SolverWarmStart other)
    {
        other.TimePrices.CopyTo(TimePrices, 0);
        other.TimePriceSlopes.CopyTo(TimePriceSlopes, 0);
        other.TimePriceEnergySlopes.CopyTo(TimePriceEnergySlopes, 0);
        other.UploadExponents.CopyTo(UploadExponents, 0);
        (PricesDeadline, PricesEnergyPrice, EnergyPrice, DeadlineFraction, EnergySlopesValid) =
            (other.PricesDeadline, other.PricesEnergyPrice, other.EnergyPrice, other.DeadlineFraction, other.EnergySlopesValid);
    }

    /// <summary>Back to the state of a new warm start (a cold start), keeping the arrays.</summary>
    public void Reset()
    {
        Array.Clear(TimePrices);
        Array.Clear(TimePriceSlopes);
        Array.Clear(TimePriceEnergySlopes);
        Array.Clear(UploadExponents);
        EnergySlopesValid = false;
        PricesDeadline = PricesEnergyPrice = EnergyPrice = DeadlineFraction = double.NaN;
    }
}
