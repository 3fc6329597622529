namespace EdgeLearn.Training;

/// <summary>
/// The outcome of one run, serialized as <c>DIR/summary.json</c> (formats.md, "Training summary"; the names of the
/// first twelve properties are a contract; the rest are added freely).
/// </summary>
public sealed record TrainingSummary
{
    /// <summary>Scheme of the plan that was run, e.g. <c>joint</c>.</summary>
    public required string Scheme { get; init; }

    /// <summary>Base dataset, e.g. <c>mnist</c>.</summary>
    public required string Dataset { get; init; }

    /// <summary>Seed of the run.</summary>
    public required int Seed { get; init; }

    /// <summary>M, pre-training rounds run.</summary>
    public required int PretrainRounds { get; init; }

    /// <summary>N, fine-tuning rounds run.</summary>
    public required int FinetuneRounds { get; init; }

    /// <summary>Accuracy of the final model on the task test set, in [0, 1].</summary>
    public required double FinalTestAccuracy { get; init; }

    /// <summary>Mean over the N fine-tuning rounds of an unbiased estimate of |∇F(w_{M+n−1})|², F the target loss over all
    /// the devices' task data: the left-hand side of the Theorem (model.md §4).</summary>
    public required double AverageSquaredGradientNorm { get; init; }


    /// <summary>The plan's bound Gbar (model.md §4) for the scenario's learning constants.</summary>
    public required double PredictedBound { get; init; }

    /// <summary>Simulated total delay T of the run, s.</summary>
    public required double DelayS { get; init; }

    /// <summary>Simulated total energy E of the run, J.</summary>
    public required double EnergyJ { get; init; }

    /// <summary>Device deadline misses over the run (0 for a static channel).</summary>
    public required int DeadlineMisses { get; init; }

    /// <summary>Wall-clock time of the run (training and measurements), s.</summary>
    public required double WallClockS { get; init; }

    /// <summary>Standard error of <see cref="AverageSquaredGradientNorm"/> (the rounds' samples are independent).</summary>
    public required double AverageSquaredGradientNormStdErr { get; init; }

    /// <summary>Measured over predicted bound: <see cref="AverageSquaredGradientNorm"/> / <see cref="PredictedBound"/>.</summary>
    public required double BoundRatio { get; init; }

    /// <summary>Whether the bound held: <see cref="AverageSquaredGradientNorm"/> ≤ <see cref="PredictedBound"/>.</summary>
    public required bool BoundHeld { get; init; }

    /// <summary>Simulated over predicted delay (1 on a static channel).</summary>
    public required double DelayRatio { get; init; }

    /// <summary>Simulated over predicted energy (1 on a static channel).</summary>
    public required double EnergyRatio { get; init; }

    /// <summary>Mean loss of the final model on the task test set, nats.</summary>
    public required double FinalTestLoss { get; init; }

    /// <summary>Test accuracy of the untrained model.</summary>
    public required double InitialTestAccuracy { get; init; }

    /// <summary>Test accuracy at the end of pre-training (null when M = 0).</summary>
    public double? PretrainTestAccuracy { get; init; }

    /// <summary>Unbiased estimate of |∇F|² at the final model (can dip slightly below 0 near a stationary point).</summary>
    public required double FinalSquaredGradientNorm { get; init; }

    /// <summary>Standard error of <see cref="FinalSquaredGradientNorm"/>.</summary>
    public double FinalSquaredGradientNormStdErr { get; init; }

    /// <summary>Delay the planner predicts for the plan (static channel), s.</summary>
    public required double PredictedDelayS { get; init; }

    /// <summary>Energy the planner predicts for the plan (static channel), J.</summary>
    public required double PredictedEnergyJ { get; init; }

    /// <summary>The scenario's delay budget Tmax, s.</summary>
    public required double BudgetDelayS { get; init; }

    /// <summary>The scenario's energy budget Emax, J.</summary>
    public required double BudgetEnergyJ { get; init; }

    /// <summary>B0 of the plan.</summary>
    public required int PretrainBatch { get; init; }

    /// <summary>bk of the plan, in device order.</summary>
    public required IReadOnlyList<int> DeviceBatches { get; init; }

    /// <summary>SGD step size of pre-training: the scenario's eta0 (<c>learning.pretrainStepSize</c>), as in the bound.</summary>
    public required double PretrainLearningRate { get; init; }

    /// <summary>SGD step size of fine-tuning: the scenario's eta (<c>learning.stepSize</c>), as in the bound.</summary>
    public required double FinetuneLearningRate { get; init; }

    /// <summary>Architecture, e.g. <c>mlp 784-128-10</c>.</summary>
    public required string Model { get; init; }

    /// <summary>Trainable parameters of the model.</summary>
    public required int ParameterCount { get; init; }

    /// <summary>The scenario's <c>model.uploadBits</c> S that the plan's upload costs assume (parameters × 32 unless the
    /// run accepted a mismatch).</summary>
    public required double UploadBits { get; init; }

    /// <summary>Channel model: <c>none</c> or <c>rayleigh</c>.</summary>
    public required string Fading { get; init; }

    /// <summary>Task-data shift: rotation of the task images, degrees.</summary>
    public required double RotateDeg { get; init; }

    /// <summary>Task-data shift: fraction of task images inverted.</summary>
    public required double InvertFraction { get; init; }

    /// <summary>Task-data shift: Gaussian pixel noise standard deviation.</summary>
    public required double NoiseStd { get; init; }

    /// <summary>Device split: <c>iid</c> or <c>dirichlet:ALPHA</c>.</summary>
    public required string Split { get; init; }

    /// <summary>Images of the server's general data.</summary>
    public required int GeneralSamples { get; init; }

    /// <summary>Images of all devices' task data, Σk Dk.</summary>
    public required int TaskSamples { get; init; }

    /// <summary>Images of the task test set.</summary>
    public required int TestSamples { get; init; }

    /// <summary>Task images drawn afresh every round to estimate |∇F|² (all of them when this equals <see cref="TaskSamples"/>).</summary>
    public required int GradientSamples { get; init; }

    /// <summary>Groups of the unbiased |∇F|² estimator.</summary>
    public required int GradientGroups { get; init; }

    /// <summary>The scenario's constraints the plan breaks, one line each (e.g. "budget.energyJ is 2487.9, must be ≤ 300
    /// (slack -2187.9)"); empty unless the run was asked to allow them (<see cref="TrainingOptions.AllowViolations"/>).</summary>
    public IReadOnlyList<string> Violations { get; init; } = [];

    /// <summary>What produced this result, so it can be repeated exactly (tool version, command line, options, scenario,
    /// plan, data and seeds; <see cref="Training.Provenance"/>); null unless the caller records it.</summary>
    public Provenance? Provenance { get; init; }
}
