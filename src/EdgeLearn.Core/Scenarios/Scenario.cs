
namespace EdgeLearn.Scenarios;

/// <summary>
/// A two-stage edge-learning deployment: one edge server holding general data, K devices holding
/// task data behind wireless uplinks, the budgets and the learning constants of the bound.
/// Field names follow <c>docs/formats.md</c>; symbols follow <c>docs/model.md</c> §1.
/// All values are SI (Hz, W, J, s, bits).
/// </summary>
public sealed record Scenario
{
    /// <summary>Human-readable name of the scenario.</summary>
    public required string Name { get; init; }

    /// <summary>The edge server that pre-trains on general data.</summary>
    public required ServerSpec Server { get; init; }

    /// <summary>The K edge devices that fine-tune by federated learning (K ≥ 1).</summary>
    public required IReadOnlyList<DeviceSpec> Devices { get; init; }

    /// <summary>Uplink channel constants.</summary>
    public required ChannelSpec Channel { get; init; }

    /// <summary>Per-round downlink broadcast costs; zero by default.</summary>
    public DownlinkSpec Downlink { get; init; } = new();

    /// <summary>Model upload size.</summary>
    public required ModelSpec Model { get; init; }

    /// <summary>Energy and delay budgets of the whole two-stage training.</summary>
    public required BudgetSpec Budget { get; init; }

    /// <summary>Search limits on the numbers of rounds; 5000/5000 by default.</summary>
    public LimitsSpec Limits { get; init; } = new();

    /// <summary>Constants of the convergence bound (model.md §4).</summary>
    public required LearningSpec Learning { get; init; }

    /// <summary>
    /// Value equality over every field, comparing <see cref="Devices"/> element by element
    /// (a compiler-generated record would compare the list by reference).
    /// </summary>
    /// <param name="other">The scenario to compare with; <c>null</c> is never equal.</param>
    /// <returns><c>true</c> when every field, and every device in order, is equal.</returns>
    public bool Equals(Scenario? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Name == other.Name
                && Equals(Server, other.Server)
                && DevicesEqual(Devices, other.Devices)
                && Equals(Channel, other.Channel)
                && Equals(Downlink, other.Downlink)
                && Equals(Model, other.Model)
                && Equals(Budget, other.Budget)
                && Equals(Limits, other.Limits)
                && Equals(Learning, other.Learning)));

    /// <summary>A hash consistent with <see cref="Equals(Scenario?)"/>.</summary>
    /// <returns>The combined hash of every field and every device.</returns>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        hash.Add(Server);
        if (Devices is not null)
        {
            foreach (var device in Devices)
            {
                hash.Add(device);
            }
        }

        hash.Add(Channel);
        hash.Add(Downlink);
        hash.Add(Model);
        hash.Add(Budget);
        hash.Add(Limits);
        hash.Add(Learning);
        return hash.ToHashCode();
    }

    private static bool DevicesEqual(IReadOnlyList<DeviceSpec>? a, IReadOnlyList<DeviceSpec>? b) =>
        ReferenceEquals(a, b) || (a is not null && b is not null && a.SequenceEqual(b));
}

/// <summary>The edge server (model.md §1: f0max, kappa0, c0, B0max).</summary>
public sealed record ServerSpec
{
    /// <summary>f0max: largest CPU frequency, cycles/s (&gt; 0).</summary>
    public required double MaxFrequencyHz { get; init; }

    /// <summary>kappa0: effective switched capacitance (&gt; 0); energy per cycle is kappa f².</summary>
    public required double Kappa { get; init; }

    /// <summary>c0: CPU cycles to process one training sample (&gt; 0).</summary>
    public required double CyclesPerSample { get; init; }

    /// <summary>B0max: largest pre-training batch (≥ 1).</summary>
    public required int MaxBatch { get; init; }
}

/// <summary>One edge device (model.md §1: fkmax, kappak, ck, Pkmax, Wk, hk, Dk, bkmax).</summary>
public sealed record DeviceSpec
{
    /// <summary>Unique device identifier.</summary>
    public required string Id { get; init; }

    /// <summary>fkmax: largest CPU frequency, cycles/s (&gt; 0).</summary>
    public required double MaxFrequencyHz { get; init; }

    /// <summary>kappak: effective switched capacitance (&gt; 0).</summary>
    public required double Kappa { get; init; }

    /// <summary>ck: CPU cycles per training sample (&gt; 0).</summary>
    public required double CyclesPerSample { get; init; }

    /// <summary>Pkmax: largest transmit power, W (&gt; 0).</summary>
    public required double MaxPowerW { get; init; }

    /// <summary>Wk: uplink bandwidth, Hz (&gt; 0, FDMA, fixed).</summary>
    public required double BandwidthHz { get; init; }

    /// <summary>hk: uplink channel power gain, linear (&gt; 0).</summary>
    public required double ChannelGain { get; init; }

    /// <summary>Dk: number of local task samples (≥ 1); sets the aggregation weight rho_k.</summary>
    public required int DatasetSize { get; init; }

    /// <summary>bkmax: largest local batch (≥ 1).</summary>
    public required int MaxBatch { get; init; }
}

/// <summary>Uplink channel (model.md §1: N0).</summary>
public sealed record ChannelSpec
{
    /// <summary>N0: noise power spectral density, W/Hz (&gt; 0).</summary>
    public required double NoisePsdWPerHz { get; init; }
}

/// <summary>Per-round downlink broadcast (model.md §1: tdl, edl).</summary>
public sealed record DownlinkSpec
{
    /// <summary>tdl: broadcast delay per fine-tuning round, s (≥ 0, default 0).</summary>
    public double DelayS { get; init; }

    /// <summary>edl: server broadcast energy per fine-tuning round, J (≥ 0, default 0).</summary>
    public double EnergyJ { get; init; }
}

/// <summary>The trained model as far as communication is concerned (model.md §1: S).</summary>
public sealed record ModelSpec
{
    /// <summary>S: bits each device uploads per fine-tuning round (&gt; 0).</summary>
    public required double UploadBits { get; init; }
}

/// <summary>Budgets of the whole two-stage training (model.md §1: Emax, Tmax).</summary>
public sealed record BudgetSpec
{
    /// <summary>Emax: overall system energy budget, J (&gt; 0).</summary>
    public required double EnergyJ { get; init; }

    /// <summary>Tmax: total training-delay budget, s (&gt; 0).</summary>
    public required double DelayS { get; init; }
}

/// <summary>Limits of the outer search over rounds (model.md §5: Mmax, Nmax).</summary>
public sealed record LimitsSpec
{
    /// <summary>Mmax: most pre-training rounds considered (≥ 0, default 5000).</summary>
    public int MaxPretrainRounds { get; init; } = 5000;

    /// <summary>Nmax: most fine-tuning rounds considered (≥ 1, default 5000).</summary>
    public int MaxFinetuneRounds { get; init; } = 5000;
}

/// <summary>Constants of the convergence bound (model.md §4).</summary>
public sealed record LearningSpec
{
    /// <summary>L: smoothness constant of F0 and F (&gt; 0).</summary>
    public required double Smoothness { get; init; }

    /// <summary>eta: fine-tuning step size (0 &lt; eta ≤ 1/L).</summary>
    public required double StepSize { get; init; }

    /// <summary>eta0: pre-training step size (0 &lt; eta0 ≤ 1/L).</summary>
    public required double PretrainStepSize { get; init; }

    /// <summary>mu: Polyak-Lojasiewicz constant of F0 (0 &lt; mu ≤ L).</summary>
    public required double PlConstant { get; init; }

    /// <summary>sigma²: per-sample gradient variance on task data (≥ 0).</summary>
    public required double GradientVariance { get; init; }

    /// <summary>sigma0²: per-sample gradient variance on general data (≥ 0).</summary>
    public required double PretrainGradientVariance { get; init; }

    /// <summary>Phi0 = F0(w0) − F0*: initial gap of the general loss (≥ 0).</summary>
    public required double PretrainInitialGap { get; init; }

    /// <summary>Phi = F(w0) − F*: initial gap of the target loss, learning from scratch (≥ 0).</summary>
    public required double TargetInitialGap { get; init; }

    /// <summary>Distribution shift between general and task data (A4).</summary>
    public required ShiftSpec Shift { get; init; }
}

/// <summary>Distribution shift (model.md A4): the shift gap Gamma, measured on the loss's scale or as G · W1(P0, P).</summary>
public sealed record ShiftSpec
{
    /// <summary>W1(P0, P): Wasserstein-1 distance between general and task data (≥ 0).</summary>
    public required double Wasserstein { get; init; }

    /// <summary>G: Lipschitz constant of the per-sample loss in the sample (≥ 0).</summary>
    public required double DataLipschitz { get; init; }

    /// <summary>Gamma measured directly on the loss's scale (<c>learning.shift.gap</c>, optional, ≥ 0), for example by
    /// calibration; when present it is the shift gap and W1 · G only documents how distance in data maps to loss.</summary>
    public double? MeasuredGap { get; init; }

    /// <summary>Gamma*, an upper estimate of F0* − F* (<c>learning.shift.optimumGap</c>, optional, finite); when absent
    /// Lemma 2's worst case Gamma is used. Calibration writes F0*est − F*est, which is 0 when both optima are
    /// lower-estimated by the same value (a true F* at or above its estimate keeps the bound valid).</summary>
    public double? OptimumGap { get; init; }

    /// <summary>Gamma, the shift gap of Lemma 2: <see cref="MeasuredGap"/> when present, else G · W1.</summary>
    public double Gap => MeasuredGap ?? (Wasserstein * DataLipschitz);

    /// <summary>What Lemma 2 adds to the pre-trained gap: Gamma + Gamma*, that is 2 Gamma unless <see cref="OptimumGap"/> is given.</summary>
    public double TransferPenalty => Gap + (OptimumGap ?? Gap);
}
