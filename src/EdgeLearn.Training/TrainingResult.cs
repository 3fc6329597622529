using EdgeLearn.Learning;

namespace EdgeLearn.Training;

/// <summary>A finished run: its summary and every round's measurements.</summary>
/// <param name="Summary">The summary (<c>summary.json</c>).</param>
/// <param name="Rounds">Round 0 (the initial model) and then every pre-training and fine-tuning round, in order.</param>
public sealed record TrainingResult(TrainingSummary Summary, IReadOnlyList<RoundRecord> Rounds)
{
    /// <summary>The model's weights after the M pre-training rounds; null when M = 0.</summary>
    public ModelWeights? PretrainedWeights { get; init; }

    /// <summary>The model's weights at the end of the run (after the N fine-tuning rounds).</summary>
    public ModelWeights? FinalWeights { get; init; }
}
