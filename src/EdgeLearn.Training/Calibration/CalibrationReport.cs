using EdgeLearn.Scenarios;

namespace EdgeLearn.Training.Calibration;

/// <summary>Compute one measurement spent.</summary>
/// <param name="Seconds">Wall-clock seconds.</param>
/// <param name="SampleGradients">Per-sample forward and backward passes.</param>
/// <param name="SampleForwards">Per-sample forward-only passes (loss evaluations, embeddings).</param>
public sealed record ComputeSpent(double Seconds, long SampleGradients, long SampleForwards);

/// <summary>One fitted constant of the bound with how it was measured.</summary>
/// <param name="Name">Short name, e.g. <c>smoothness</c>.</param>
/// <param name="Symbol">model.md symbol, e.g. <c>L</c>.</param>
/// <param name="Field">Scenario JSON path it is written to, e.g. <c>learning.smoothness</c>.</param>
/// <param name="Value">The value written to the scenario.</param>
/// <param name="Spread">Standard deviation over the repeats (0 for one repeat).</param>
/// <param name="Repeats">Each repeat's value.</param>
/// <param name="Method">How it was estimated, in one sentence.</param>
/// <param name="Compute">The compute of the measurement it came from (shared measurements are counted once per constant).</param>
public sealed record CalibratedConstant(
    string Name, string Symbol, string Field, double Value, double Spread, IReadOnlyList<double> Repeats, string Method, ComputeSpent Compute);

/// <summary>The path of a pilot a checkpoint lies on.</summary>
public enum PilotPath
{
    /// <summary>SGD on the pilot's general data from w0: pre-training.</summary>
    General,

    /// <summary>SGD on all task data from the end of <see cref="General"/>: fine-tuning a pre-trained model.</summary>
    TaskFromPretrained,

    /// <summary>SGD on all task data from w0: fine-tuning from scratch.</summary>
    TaskFromScratch,
}

/// <summary>What was measured at one checkpoint of one pilot.</summary>
/// <param name="Repeat">Repeat index, from 0.</param>
/// <param name="Path">The path the checkpoint lies on.</param>
/// <param name="Step">SGD steps taken on the path before the checkpoint.</param>
/// <param name="LearningRate">Step size the pilot used after this checkpoint.</param>
/// <param name="GeneralLoss">F0(w) on the pilot's general data.</param>
/// <param name="HoldoutLoss">Loss on the held-out general data.</param>
/// <param name="TaskLoss">F(w) on all task data.</param>
/// <param name="GeneralGradientNorm">Unbiased |∇F0(w)|² (pre-training path only; null elsewhere).</param>
/// <param name="GeneralGradientNormStdErr">Its standard error (pre-training path only).</param>
/// <param name="TaskGradientNorm">Unbiased |∇F(w)|².</param>
/// <param name="GeneralVariance">tr Σ0(w), per-sample gradient variance on the general data (pre-training path only).</param>
/// <param name="TaskVariance">tr Σ(w) on the task data.</param>
/// <param name="GeneralCurvedVariance">tr(H0 Σ0)(w): the gradient noise weighted by the curvature of F0 (pre-training path only).</param>
/// <param name="TaskCurvedVariance">tr(H Σ)(w) on the task data.</param>
/// <param name="GeneralCurvature">Largest curvature of F0 found at w.</param>
/// <param name="TaskCurvature">Largest curvature of F found at w.</param>
public sealed record CheckpointRecord(
    int Repeat, PilotPath Path, int Step, double LearningRate, double GeneralLoss, double HoldoutLoss, double TaskLoss,
    double? GeneralGradientNorm, double? GeneralGradientNormStdErr, double TaskGradientNorm, double? GeneralVariance, double TaskVariance,
    double? GeneralCurvedVariance, double TaskCurvedVariance,
    double GeneralCurvature, double TaskCurvature);

/// <summary>The debiased Wasserstein distance between general and task data and the G that maps it to the shift gap.</summary>
/// <param name="Space"><c>features</c> (the pilot network's last hidden layer) or <c>pixels</c>.</param>
/// <param name="Raw">W1 between general and task samples.</param>
/// <param name="RawSpread">Its spread over repeats.</param>
/// <param name="Floor">W1 between two disjoint general samples (the finite-sample floor).</param>
/// <param name="FloorSpread">Its spread.</param>
/// <param name="Debiased">Raw − floor, the part that is shift.</param>
/// <param name="Spread">Spread of raw − floor over repeats.</param>
/// <param name="Significant">Whether the debiased W1 exceeds twice its spread; G is only defined then.</param>
/// <param name="DataLipschitz">G = Gamma / W1 when <paramref name="Significant"/>, else 0.</param>
/// <param name="Samples">Samples per set of each transport solve.</param>
/// <param name="Repeats">Repeats.</param>
public sealed record ShiftMeasurement(
    string Space, double Raw, double RawSpread, double Floor, double FloorSpread, double Debiased, double Spread,
    bool Significant, double DataLipschitz, int Samples, int Repeats);

/// <summary>Everything a calibration measured (<c>edgelearn calibrate --report FILE</c>).</summary>
public sealed record CalibrationReport
{
    /// <summary>Base dataset.</summary>
    public required string Dataset { get; init; }

    /// <summary>Architecture, e.g. <c>mlp 784-128-10</c>.</summary>
    public required string Model { get; init; }

    /// <summary>Trainable parameters.</summary>
    public required int ParameterCount { get; init; }

    /// <summary>S written to <c>model.uploadBits</c>: parameters × 32.</summary>
    public required double UploadBits { get; init; }

    /// <summary>Task-data rotation, degrees.</summary>
    public required double RotateDeg { get; init; }

    /// <summary>Fraction of task images inverted.</summary>
    public required double InvertFraction { get; init; }

    /// <summary>Task pixel noise.</summary>
    public required double NoiseStd { get; init; }

    /// <summary>Device split.</summary>
    public required string Split { get; init; }

    /// <summary>Seed of the calibration (and of the data it was given).</summary>
    public required int Seed { get; init; }

    /// <summary>Pilots run.</summary>
    public required int Repeats { get; init; }

    /// <summary>General images the pilots trained on.</summary>
    public required int PilotSamples { get; init; }

    /// <summary>General images held out of the pilots.</summary>
    public required int HoldoutSamples { get; init; }

    /// <summary>Task images (all devices).</summary>
    public required int TaskSamples { get; init; }

    /// <summary>SGD steps per pilot.</summary>
    public required int PilotSteps { get; init; }

    /// <summary>Minibatch of the pilots (the option's, at most the pilot's general data).</summary>
    public required int PilotBatch { get; init; }

    /// <summary>Steps at which the checkpoints were measured.</summary>
    public required IReadOnlyList<int> CheckpointSteps { get; init; }

    /// <summary>The fitted constants, in the order of model.md §4.</summary>
    public required IReadOnlyList<CalibratedConstant> Constants { get; init; }

    /// <summary>model.md §9's own estimates where a tighter estimator was written (raw variances, smallest PL ratio).</summary>
    public required IReadOnlyList<CalibratedConstant> Diagnostics { get; init; }

    /// <summary>The debiased W1 and G.</summary>
    public required ShiftMeasurement Shift { get; init; }

    /// <summary>Every checkpoint of every pilot.</summary>
    public required IReadOnlyList<CheckpointRecord> Checkpoints { get; init; }

    /// <summary>Compute of the pilots' SGD steps (shared by every constant).</summary>
    public required ComputeSpent Pilot { get; init; }

    /// <summary>Everything together.</summary>
    public required ComputeSpent Total { get; init; }

    /// <summary>What produced this result, so it can be repeated exactly (tool version, command line, options, scenario,
    /// plan, data and seeds; <see cref="Training.Provenance"/>); null unless the caller records it.</summary>
    public Provenance? Provenance { get; init; }
}

/// <summary>The outcome of a calibration: the fitted learning constants, the model size and the report.</summary>
/// <param name="Learning">The <c>learning</c> section to write into the scenario.</param>
/// <param name="UploadBits">The model's upload size S (parameters × 32).</param>
/// <param name="Report">How every constant was measured.</param>
public sealed record CalibrationResult(LearningSpec Learning, double UploadBits, CalibrationReport Report)
{
    /// <summary>The scenario with its <c>learning</c> section and <c>model.uploadBits</c> replaced by the calibrated ones.</summary>
    /// <param name="scenario">The scenario to calibrate (its devices set the task data that was measured).</param>
    /// <returns>The calibrated scenario.</returns>
    public Scenario Apply(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario with { Learning = Learning, Model = scenario.Model with { UploadBits = UploadBits } };
    }
}
