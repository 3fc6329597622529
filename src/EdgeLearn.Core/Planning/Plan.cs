namespace EdgeLearn.Planning;

/// <summary>
/// A two-stage training plan: rounds, batches, frequencies and powers, with what the cost model and
/// the bound predict for it. Serialized as the plan JSON of <c>docs/formats.md</c>.
/// </summary>
public sealed record Plan
{
    /// <summary>The scheme that produced the plan.</summary>
    public required Scheme Scheme { get; init; }

    /// <summary>M, pre-training rounds (≥ 0).</summary>
    public required int PretrainRounds { get; init; }

    /// <summary>N, fine-tuning rounds (≥ 1).</summary>
    public required int FinetuneRounds { get; init; }

    /// <summary>Server batch and frequency (present with M = 0 too, then unused).</summary>
    public required ServerAllocation Server { get; init; }

    /// <summary>Per-device batch, frequency and power, in scenario order.</summary>
    public required IReadOnlyList<DeviceAllocation> Devices { get; init; }

    /// <summary>Predicted totals, bound and certificate.</summary>
    public required PlanPrediction Predicted { get; init; }
}

/// <summary>The server's pre-training allocation.</summary>
/// <param name="Batch">B0, samples per round.</param>
/// <param name="FrequencyHz">f0, cycles/s.</param>
public sealed record ServerAllocation(int Batch, double FrequencyHz);

/// <summary>One device's fine-tuning allocation.</summary>
/// <param name="Id">Device id from the scenario.</param>
/// <param name="Batch">bk, samples per round.</param>
/// <param name="FrequencyHz">fk, cycles/s.</param>
/// <param name="PowerW">pk, W.</param>
public sealed record DeviceAllocation(string Id, int Batch, double FrequencyHz, double PowerW);

/// <summary>What the planner predicts for a plan.</summary>
/// <param name="DelayS">T = M t0 + N tFT, s.</param>
/// <param name="EnergyJ">E = M e0 + N eFT, J.</param>
/// <param name="Bound">Gbar of the integer plan.</param>
/// <param name="LowerBound">Certified lower bound of the relaxation at the plan's (M, N); for schemes
/// with fixed batches it equals the bound.</param>
/// <param name="Gap">(Bound − LowerBound) / Bound.</param>
public sealed record PlanPrediction(double DelayS, double EnergyJ, double Bound, double LowerBound, double Gap);
