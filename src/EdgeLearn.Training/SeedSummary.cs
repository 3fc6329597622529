namespace EdgeLearn.Training;

/// <summary>The mean and sample standard deviation of one figure over runs.</summary>
/// <param name="Mean">Mean over the runs.</param>
/// <param name="Std">Sample standard deviation (n − 1 denominator); 0 for one run.</param>
public readonly record struct MeanStd(double Mean, double Std)
{
    /// <summary>Mean and standard deviation of <paramref name="values"/> (at least one).</summary>
    /// <param name="values">The values.</param>
    /// <returns>The summary.</returns>
    public static MeanStd Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(values.Count, 1);
        double mean = values.Average();
        double ss = values.Sum(v => (v - mean) * (v - mean));
        return new MeanStd(mean, values.Count > 1 ? Math.Sqrt(ss / (values.Count - 1)) : 0);
    }
}

/// <summary>
/// One plan run under several seeds (<c>train --seeds</c>): the mean ± standard deviation of the measured figures,
/// written as <c>DIR/summary.json</c> (formats.md, "Multi-seed summary") next to one <c>seed-S</c> folder per run.
/// </summary>
public sealed record SeedSummary
{
    /// <summary>Scheme of the plan.</summary>
    public required string Scheme { get; init; }

    /// <summary>Base dataset.</summary>
    public required string Dataset { get; init; }

    /// <summary>The seeds, in run order.</summary>
    public required IReadOnlyList<int> Seeds { get; init; }

    /// <summary>M of the plan (the same for every seed).</summary>
    public required int PretrainRounds { get; init; }

    /// <summary>N of the plan.</summary>
    public required int FinetuneRounds { get; init; }

    /// <summary>The plan's bound Gbar.</summary>
    public required double PredictedBound { get; init; }

    /// <summary>Final test accuracy over the seeds.</summary>
    public required MeanStd FinalTestAccuracy { get; init; }

    /// <summary>Measured average |∇F|² over the fine-tuning rounds, over the seeds.</summary>
    public required MeanStd AverageSquaredGradientNorm { get; init; }

    /// <summary>Measured over predicted bound, over the seeds.</summary>
    public required MeanStd BoundRatio { get; init; }

    /// <summary>Runs in which the bound held.</summary>
    public required int BoundHeldRuns { get; init; }

    /// <summary>Simulated delay, s, over the seeds.</summary>
    public required MeanStd DelayS { get; init; }

    /// <summary>Simulated energy, J, over the seeds.</summary>
    public required MeanStd EnergyJ { get; init; }

    /// <summary>Wall-clock time of all runs together, s.</summary>
    public required double WallClockS { get; init; }

    /// <summary>What produced this result, so it can be repeated exactly (tool version, command line, options, scenario,
    /// plan, data and seeds; <see cref="Training.Provenance"/>); null unless the caller records it.</summary>
    public Provenance? Provenance { get; init; }

    /// <summary>Summarizes runs of the same plan under different seeds.</summary>
    /// <param name="runs">The runs' summaries (at least one, the same scheme and rounds).</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentException">No runs, or runs of different schemes or rounds.</exception>
    public static SeedSummary From(IReadOnlyList<TrainingSummary> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("At least one run is needed.", nameof(runs));
        }

        TrainingSummary first = runs[0];
        if (runs.Any(r => r.Scheme != first.Scheme || r.PretrainRounds != first.PretrainRounds || r.FinetuneRounds != first.FinetuneRounds))
        {
            throw new ArgumentException("Every run must be of the same plan (scheme and rounds).", nameof(runs));
        }

        return new SeedSummary
        {
            Scheme = first.Scheme,
            Dataset = first.Dataset,
            Seeds = runs.Select(r => r.Seed).ToArray(),
            PretrainRounds = first.PretrainRounds,
            FinetuneRounds = first.FinetuneRounds,
            PredictedBound = first.PredictedBound,
            FinalTestAccuracy = MeanStd.Of(runs.Select(r => r.FinalTestAccuracy).ToArray()),
            AverageSquaredGradientNorm = MeanStd.Of(runs.Select(r => r.AverageSquaredGradientNorm).ToArray()),
            BoundRatio = MeanStd.Of(runs.Select(r => r.BoundRatio).ToArray()),
            BoundHeldRuns = runs.Count(r => r.BoundHeld),
            DelayS = MeanStd.Of(runs.Select(r => r.DelayS).ToArray()),
            EnergyJ = MeanStd.Of(runs.Select(r => r.EnergyJ).ToArray()),
            WallClockS = runs.Sum(r => r.WallClockS),
        };
    }
}
