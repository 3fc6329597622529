namespace EdgeLearn.Training.Calibration;

/// <summary>Where the debiased Wasserstein distance of a calibration is measured.</summary>
public enum ShiftSpace
{
    /// <summary>On the last hidden representation of the pilot network, which was trained on the general data.</summary>
    Features,

    /// <summary>On the raw pixel vectors.</summary>
    Pixels,
}

/// <summary>
/// Options of a calibration (<see cref="Calibrator"/>): the pilot runs on the general data, the checkpoints where the
/// constants are measured, how many samples each measurement uses, and the repeats that give every constant a spread.
/// </summary>
/// <remarks>The defaults calibrate the 784-128-10 MLP on MNIST in about 20 s on two cores (model.md §9's pilot: a few
/// hundred SGD steps, about ten geometrically spaced checkpoints, 20 % of the general data held out, plus two short
/// fine-tuning paths on the task data).</remarks>
public sealed record CalibrationOptions
{
    /// <summary>SGD steps of each pilot's pre-training path on the general data; default 500, at least 1.</summary>
    public int PilotSteps { get; init; } = 500;

    /// <summary>SGD steps of each of the two fine-tuning paths of a pilot on the task data (from the pre-trained model and
    /// from w0), along which the fine-tuning noise σ² is averaged; default 300, at least 0 (0: σ² from the pre-training
    /// path alone, as its largest value).</summary>
    public int TaskPilotSteps { get; init; } = 300;

    /// <summary>Checkpoints after the start of each fine-tuning path; default 6, at least 1.</summary>
    public int TaskCheckpoints { get; init; } = 6;

    /// <summary>Minibatch of the pilots' SGD steps (clipped to the data); default 32, at least 1. Lemma 1's noise floor is
    /// fitted at this batch and scales as 1/B0 from it; a small pilot batch (the fixed-batch scheme's 32) keeps that
    /// scaling from overstating the floor of small pre-training batches (docs/fidelity-pilot-batch-128.md shows 128).</summary>
    public int PilotBatch { get; init; } = 32;

    /// <summary>J, checkpoints after the initial model, spaced geometrically over the pilot's steps; default 10, at least 1.</summary>
    public int Checkpoints { get; init; } = 10;

    /// <summary>Independent pilots (new initial model, hold-out split and samples); every constant is their mean and its
    /// spread their standard deviation; default 3, 1 to 20.</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>The step sizes are eta0 = eta = this / L; default 1, in (0, 1] (the bound needs eta ≤ 1/L).</summary>
    public double StepFraction { get; init; } = 1.0;

    /// <summary>Fraction of the general data held out of the pilot's SGD to measure the generalisation floor of the shift
    /// gap; default 0.2, in (0, 0.5].</summary>
    public double HoldoutFraction { get; init; } = 0.2;

    /// <summary>Samples per population (general, task) drawn at each checkpoint for the gradient statistics |∇F|², tr Σ;
    /// default 4000, at least 40 (all of a smaller population, where the gradient is then exact).</summary>
    public int GradientSamples { get; init; } = 4000;

    /// <summary>Groups of the gradient statistics (<see cref="Measurement.GradientStatistics"/>); default 20, at least 3.</summary>
    public int GradientGroups { get; init; } = 20;

    /// <summary>Samples of the fixed batch on which the curvature is measured at each checkpoint; default 1000, at least 1.</summary>
    public int CurvatureSamples { get; init; } = 1000;

    /// <summary>Power iterations (each two gradient evaluations) of the curvature estimate per checkpoint; default 8, at least 1.</summary>
    public int PowerIterations { get; init; } = 8;

    /// <summary>Where the debiased W1 is measured; default <see cref="ShiftSpace.Features"/>.</summary>
    public ShiftSpace ShiftSpace { get; init; } = ShiftSpace.Features;

    /// <summary>Samples per set of each exact optimal-transport solve of the W1 estimate; default 1000, 2 to 5000.</summary>
    public int WassersteinSamples { get; init; } = 1000;

    /// <summary>Repeats of the W1 estimate; default 5, at least 2.</summary>
    public int WassersteinRepeats { get; init; } = 5;

    /// <summary>Cores used by the pilots' gradients and the W1 estimate; default 2, 1 to 64.</summary>
    public int Parallelism { get; init; } = 2;

    /// <summary>Clock that measures the compute spent; default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Checks the options; one line per problem, naming the field, the value and the rule.</summary>
    /// <returns>An empty list when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        AtLeast(PilotSteps, 1, "pilotSteps", errors);
        AtLeast(PilotBatch, 1, "pilotBatch", errors);
        AtLeast(Checkpoints, 1, "checkpoints", errors);
        AtLeast(TaskPilotSteps, 0, "taskPilotSteps", errors);
        AtLeast(TaskCheckpoints, 1, "taskCheckpoints", errors);
        if (Repeats is < 1 or > 20)
        {
            errors.Add($"repeats is {Repeats}; it must be between 1 and 20.");
        }

        if (!(StepFraction > 0 && StepFraction <= 1))
        {
            errors.Add($"stepFraction is {StepFraction}; it must be in (0, 1] so that eta <= 1/L.");
        }

        if (!(HoldoutFraction > 0 && HoldoutFraction <= 0.5))
        {
            errors.Add($"holdoutFraction is {HoldoutFraction}; it must be in (0, 0.5].");
        }

        AtLeast(GradientSamples, 40, "gradientSamples", errors);
        AtLeast(GradientGroups, 3, "gradientGroups", errors);
        AtLeast(CurvatureSamples, 1, "curvatureSamples", errors);
        AtLeast(PowerIterations, 1, "powerIterations", errors);
        if (WassersteinSamples is < 2 or > 5000)
        {
            errors.Add($"wassersteinSamples is {WassersteinSamples}; it must be between 2 and 5000.");
        }

        AtLeast(WassersteinRepeats, 2, "wassersteinRepeats", errors);
        if (Parallelism is < 1 or > 64)
        {
            errors.Add($"parallelism is {Parallelism}; it must be between 1 and 64.");
        }

        return errors;
    }

    private static void AtLeast(int value, int minimum, string name, List<string> errors)
    {
        if (value < minimum)
        {
            errors.Add($"{name} is {value}; it must be at least {minimum}.");
        }
    }
}
