using System.Globalization;

namespace EdgeLearn.Scenarios;

/// <summary>A closed range of physically meaningful values of one scenario field, with what it means.</summary>
/// <param name="Min">Smallest accepted value.</param>
/// <param name="Max">Largest accepted value.</param>
/// <param name="Meaning">Unit and range in words, e.g. "Hz: 1 kHz to 1 THz".</param>
public readonly record struct ValueRange(double Min, double Max, string Meaning)
{
    /// <summary>Whether the value lies in the range.</summary>
    /// <param name="value">The value.</param>
    /// <returns>True for Min ≤ value ≤ Max.</returns>
    public bool Contains(double value) => value >= Min && value <= Max;

    /// <summary>The rule in words: "must be between 1000 and 1E+12 (Hz: 1 kHz to 1 THz)".</summary>
    public string Rule => string.Create(CultureInfo.InvariantCulture, $"must be between {Min:G4} and {Max:G4} ({Meaning})");
}

/// <summary>
/// The ranges <see cref="ScenarioValidator"/> accepts beyond sign and finiteness (docs/formats.md, "Ranges"). They are
/// generous bounds on what is physical for edge learning, chosen so that every value inside them gives the planner
/// finite numbers in double precision: a channel gain of 1e300 or a cycle count of 1e-300 describes no device, and
/// would only produce overflowing rates or NaN energies.
/// </summary>
public static class ScenarioRanges
{
    /// <summary>CPU frequencies fmax (server and devices).</summary>
    public static ValueRange FrequencyHz { get; } = new(1e3, 1e12, "Hz: 1 kHz to 1 THz");

    /// <summary>Effective switched capacitance κ (energy κ c B f² per round).</summary>
    public static ValueRange Kappa { get; } = new(1e-40, 1e-20, "effective capacitance; chips measure about 1e-28");

    /// <summary>CPU cycles per sample c.</summary>
    public static ValueRange CyclesPerSample { get; } = new(1, 1e15, "cycles per sample");

    /// <summary>Batch limits and local dataset sizes (whole numbers).</summary>
    public static ValueRange Samples { get; } = new(1, 1e8, "samples: at least 1, at most 100 million");

    /// <summary>Transmit power limit Pmax.</summary>
    public static ValueRange PowerW { get; } = new(1e-6, 1e3, "W: 1 microwatt to 1 kW");

    /// <summary>Uplink bandwidth.</summary>
    public static ValueRange BandwidthHz { get; } = new(1e2, 1e11, "Hz: 100 Hz to 100 GHz");

    /// <summary>Channel power gain h (a path loss cannot amplify).</summary>
    public static ValueRange ChannelGain { get; } = new(1e-20, 1, "power gain: 1e-20 (200 dB path loss) to 1");

    /// <summary>Noise power spectral density N0.</summary>
    public static ValueRange NoisePsdWPerHz { get; } = new(1e-24, 1e-12, "W/Hz: thermal noise is about 4e-21");

    /// <summary>Model upload size S.</summary>
    public static ValueRange UploadBits { get; } = new(1, 1e13, "bits: up to 1.25 TB");

    /// <summary>Energy budget Emax.</summary>
    public static ValueRange EnergyBudgetJ { get; } = new(1e-12, 1e9, "J: 1 pJ to 1 GJ");

    /// <summary>Delay budget Tmax.</summary>
    public static ValueRange DelayBudgetS { get; } = new(1e-12, 1e9, "s: 1 ps to about 32 years");

    /// <summary>Downlink delay and energy per round (zero allowed).</summary>
    public static ValueRange DownlinkCost { get; } = new(0, 1e6, "per round: zero to 1e6");

    /// <summary>Round limits Mmax and Nmax (whole numbers).</summary>
    public static ValueRange Rounds { get; } = new(0, 1e6, "rounds: at most 1 million");

    /// <summary>Smoothness L.</summary>
    public static ValueRange Smoothness { get; } = new(1e-9, 1e9, "1e-9 to 1e9");

    /// <summary>Variances, initial gaps and the shift gap (zero allowed).</summary>
    public static ValueRange LossScale { get; } = new(0, 1e12, "zero to 1e12");

    /// <summary>Wasserstein distance W1 and its Lipschitz constant G (zero allowed).</summary>
    public static ValueRange Shift { get; } = new(0, 1e9, "zero to 1e9");

    /// <summary>The smallest accepted eta L and eta0 L (step sizes relative to 1/L; at most 1 by the step-size rule): with
    /// gaps up to 1e12 the bound's 2 Delta / (eta N) then stays below about 1e31.</summary>
    public const double MinStepSizeTimesSmoothness = 1e-9;

    /// <summary>The smallest accepted mu eta0: pre-training's contraction 1 − mu eta0 must differ from 1 in double
    /// precision (a smaller product rounds it to 1, as if pre-training did nothing), and the noise floor
    /// L eta0 sigma0² / (2 mu) stays finite.</summary>
    public const double MinPlTimesPretrainStepSize = 1e-15;

    /// <summary>The optimum gap Gamma* (either sign; Lemma 2 also needs Gamma + Gamma* ≥ 0).</summary>
    public static ValueRange OptimumGap { get; } = new(-1e12, 1e12, "-1e12 to 1e12");
}
