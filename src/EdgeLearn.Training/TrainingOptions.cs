using EdgeLearn.Learning;

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

/// <summary>Options of a training run (<see cref="TwoStageTrainer"/>): real learning rates, what is measured and how often, fading and seeds.</summary>
/// <remarks>
/// The scenario's step sizes eta0 and eta (<c>learning.pretrainStepSize</c>, <c>learning.stepSize</c>) parametrize the
/// bound of model.md §4; the real model trains with <see cref="PretrainLearningRate"/> and <see cref="FinetuneLearningRate"/>,
/// and the summary records both.
/// </remarks>
public sealed record TrainingOptions
{
    /// <summary>SGD learning rate of the server's pre-training steps w ← w − η0 g0; default 0.1 (trains the 784-128-10 MLP
    /// on MNIST well); positive and finite.</summary>
    public double PretrainLearningRate { get; init; } = 0.1;

    /// <summary>SGD learning rate of the FedSGD steps w ← w − η Σk ρk gk; default 0.1; positive and finite.</summary>
    public double FinetuneLearningRate { get; init; } = 0.1;

    /// <summary>Rounds between two test-set evaluations (accuracy and loss); default 10, at least 1. The initial model,
    /// the last pre-training round and the last round are always evaluated.</summary>
    public int EvaluationInterval { get; init; } = 10;

    /// <summary>Size of the fixed evaluation subset of the task data on which the full target-loss gradient ∇F is measured
    /// every round; default 1000, at least 1 (clipped to the task data size). Its squared norm is biased up by about
    /// tr Σ / n for n samples, which sets a floor under small measured norms.</summary>
    public int GradientSamples { get; init; } = 1000;

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

    /// <summary>Seed of the model initialization, every minibatch, the gradient subset and the fading draws; default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Clock that measures the wall-clock time of the run; default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Checks the options; one line per problem, naming the field, the value and the rule.</summary>
    /// <returns>An empty list when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(PretrainLearningRate > 0) || double.IsInfinity(PretrainLearningRate))
        {
            errors.Add($"pretrainLearningRate is {PretrainLearningRate}; it must be positive and finite.");
        }

        if (!(FinetuneLearningRate > 0) || double.IsInfinity(FinetuneLearningRate))
        {
            errors.Add($"finetuneLearningRate is {FinetuneLearningRate}; it must be positive and finite.");
        }

        if (EvaluationInterval < 1)
        {
            errors.Add($"evaluationInterval is {EvaluationInterval}; it must be at least 1.");
        }

        if (GradientSamples < 1)
        {
            errors.Add($"gradientSamples is {GradientSamples}; it must be at least 1.");
        }

        if (HiddenSizes is null || HiddenSizes.Any(h => h < 1))
        {
            errors.Add($"hiddenSizes is [{string.Join(", ", HiddenSizes ?? [])}]; every width must be at least 1.");
        }

        if (Parallelism is < 1 or > 64)
        {
            errors.Add($"parallelism is {Parallelism}; it must be between 1 and 64.");
        }

        return errors;
    }
}
