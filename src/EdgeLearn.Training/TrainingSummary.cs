namespace EdgeLearn.Training;

/// <summary>
/// The outcome of one run, serialized as <c>DIR/summary.json</c> (formats.md, "Training summary"; the names of the
/// first twelve properties are a contract).
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

    /// <summary>Mean over the N fine-tuning rounds of |∇F(w_{M+n})|² measured on the gradient-evaluation subset (model.md, Theorem).</summary>
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

    /// <summary>Mean loss of the final model on the task test set, nats.</summary>
    public required double FinalTestLoss { get; init; }

    /// <summary>Test accuracy of the untrained model.</summary>
    public required double InitialTestAccuracy { get; init; }

    /// <summary>Test accuracy at the end of pre-training (null when M = 0).</summary>
    public double? PretrainTestAccuracy { get; init; }

    /// <summary>|∇F|² of the final model on the gradient-evaluation subset.</summary>
    public required double FinalSquaredGradientNorm { get; init; }

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

    /// <summary>Real SGD learning rate of pre-training.</summary>
    public required double PretrainLearningRate { get; init; }

    /// <summary>Real SGD learning rate of fine-tuning.</summary>
    public required double FinetuneLearningRate { get; init; }

    /// <summary>The scenario's eta0 (<c>learning.pretrainStepSize</c>), which the bound assumes.</summary>
    public required double BoundPretrainStepSize { get; init; }

    /// <summary>The scenario's eta (<c>learning.stepSize</c>), which the bound assumes.</summary>
    public required double BoundStepSize { get; init; }

    /// <summary>Architecture, e.g. <c>mlp 784-128-10</c>.</summary>
    public required string Model { get; init; }

    /// <summary>Trainable parameters of the model.</summary>
    public required int ParameterCount { get; init; }

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

    /// <summary>Images of the gradient-evaluation subset.</summary>
    public required int GradientSamples { get; init; }
}
