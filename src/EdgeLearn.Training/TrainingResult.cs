namespace EdgeLearn.Training;

/// <summary>A finished run: its summary and every round's measurements.</summary>
/// <param name="Summary">The summary (<c>summary.json</c>).</param>
/// <param name="Rounds">Round 0 (the initial model) and then every pre-training and fine-tuning round, in order.</param>
public sealed record TrainingResult(TrainingSummary Summary, IReadOnlyList<RoundRecord> Rounds);
