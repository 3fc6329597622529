using EdgeLearn.Learning;
using EdgeLearn.Planning;

namespace EdgeLearn.Training;

/// <summary>The classifier a run trains.</summary>
public enum ModelKind
{
    /// <summary>Multilayer perceptron (<see cref="Mlp"/>); the default 784-128-10 has the default scenario's model size S.</summary>
    Mlp,

    /// <summary>LeNet-style CNN (<see cref="LeNet"/>); needs square single-channel images.</summary>
    LeNet,
}

/// <summary>How a run simulates the devices' uplink channels.</summary>
public enum ChannelFading
{
    /// <summary>Static channel: every round device k sees its scenario gain h_k, so the accounted totals equal the planner's prediction.</summary>
    None,

    /// <summary>Block Rayleigh fading: every fine-tuning round device k's power gain is drawn afresh from an exponential
    /// distribution with mean h_k and held for the round; the plan's power is kept, so the upload time and energy change.</summary>
    Rayleigh,
}

/// <summary>Options of a training run (<see cref="TwoStageTrainer"/>): the model, what is measured and how often, fading and seeds.</summary>
/// <remarks>
/// The step sizes are not options: SGD uses the scenario's eta0 and eta (<c>learning.pretrainStepSize</c>,
/// <c>learning.stepSize</c>), the same ones the bound of model.md §4 assumes. Calibrate a scenario to fit them to the data.
/// </remarks>
public sealed record TrainingOptions
{
    /// <summary>The widest hidden layer a model may have: 65,536 units (a 784-input layer of that width already holds
    /// 51 million parameters; wider ones overflow the engine's parameter indexing).</summary>
    public const int MaxHiddenWidth = 65_536;

    /// <summary>Groups G of the unbiased |∇F|² estimator (<see cref="Measurement.GradientStatistics"/>).</summary>
    public const int GradientGroups = 10;

    /// <summary>Rounds between two test-set evaluations (accuracy and loss); default 10, at least 1. The initial model,
    /// the last pre-training round and the last round are always evaluated.</summary>
    public int EvaluationInterval { get; init; } = 10;

    /// <summary>Task images drawn afresh every round (without replacement, from all the devices' data) to estimate
    /// |∇F|² without bias (<see cref="Measurement.GradientStatistics"/>: {GradientGroups} groups, pair estimator); default 1000, at
    /// least 20; clipped to the task data size, where the measurement is exact.</summary>
    public int GradientSamples { get; init; } = 1000;

    /// <summary>Run even when the scenario's <c>model.uploadBits</c> is not this model's size (parameters × 32), so the
    /// plan's upload costs describe another model; default false (<see cref="TwoStageTrainer.Check"/> refuses).</summary>
    public bool AcceptModelSizeMismatch { get; init; }

    /// <summary>Run a plan that breaks a constraint of its scenario (a budget, a limit, a device's power, frequency or
    /// batch, per <see cref="PlanEvaluation.Violations"/>); default false (<see cref="TwoStageTrainer.Check"/> refuses).
    /// The violations are then recorded in <see cref="TrainingSummary.Violations"/>.</summary>
    public bool AllowViolations { get; init; }

    /// <summary>Uplink channel model; default <see cref="ChannelFading.None"/>.</summary>
    public ChannelFading Fading { get; init; } = ChannelFading.None;

    /// <summary>Architecture; default <see cref="ModelKind.Mlp"/>.</summary>
    public ModelKind Model { get; init; } = ModelKind.Mlp;

    /// <summary>Hidden layer widths of the MLP; default [128]; each at least 1 (ignored for LeNet).</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [128];

    /// <summary>Cores used: devices of a fine-tuning round compute in parallel on this many threads, and the server's
    /// pre-training gradient and the gradient-norm measurement split their batch over this many threads; default 2, 1–64.
    /// Results are bit-identical for the same seed and value (devices reduce in fixed order).</summary>
    public int Parallelism { get; init; } = 2;

    /// <summary>Seed of the model initialization, every minibatch, the gradient samples and the fading draws; default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Weights the run starts from instead of the seed's random initialization (e.g. read with
    /// <see cref="ModelFile.Read"/> from an earlier run's <c>model-final.bin</c>); default null. Their architecture must be
    /// the run's (<see cref="TwoStageTrainer.Check"/> names what differs). The seed still drives every other draw.</summary>
    public ModelWeights? InitialWeights { get; init; }

    /// <summary>Clock that measures the wall-clock time of the run; default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Checks the options; one line per problem, naming the field, the value and the rule.</summary>
    /// <returns>An empty list when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (EvaluationInterval < 1)
        {
            errors.Add($"evaluationInterval is {EvaluationInterval}; it must be at least 1.");
        }

        if (GradientSamples < 2 * GradientGroups)
        {
            errors.Add($"gradientSamples is {GradientSamples}; it must be at least {2 * GradientGroups} ({GradientGroups} groups of at least 2).");
        }

        if (HiddenSizes is null || HiddenSizes.Any(h => h < 1 || h > MaxHiddenWidth))
        {
            errors.Add($"hiddenSizes is [{string.Join(", ", HiddenSizes ?? [])}]; every width must be between 1 and {MaxHiddenWidth}.");
        }

        if (Parallelism is < 1 or > 64)
        {
            errors.Add($"parallelism is {Parallelism}; it must be between 1 and 64.");
        }

        return errors;
    }
}
