using EdgeLearn.Data.Datasets;
using EdgeLearn.Data.Shift;
using EdgeLearn.Data.Transport;
using EdgeLearn.Scenarios;
using EdgeLearn.Training.Calibration.Internal;
using EdgeLearn.Training.Internal;

namespace EdgeLearn.Training.Calibration;

/// <summary>Progress of a calibration: measurements done out of the total.</summary>
/// <param name="Done">Checkpoints (and the final W1 estimate) finished.</param>
/// <param name="Total">All of them.</param>
/// <param name="Stage">What is running, e.g. <c>pilot 2/3</c>.</param>
public readonly record struct CalibrationProgress(int Done, int Total, string Stage);

/// <summary>
/// Fits the constants of the convergence bound (model.md §4) to a model and its data by short pilot runs (model.md §9),
/// so that the planner's bound describes the training that will actually run.
/// </summary>
/// <remarks>
/// Each of <see cref="CalibrationOptions.Repeats"/> pilots starts from a fresh initial model w0, holds out part of the
/// general data and walks three paths with step size fraction / (largest curvature seen so far): SGD on the rest of the
/// general data (pre-training), then SGD on all task data from the pre-trained model and from w0 (fine-tuning). At
/// geometrically spaced checkpoints it measures the losses F0 (pilot general data), F0' (held-out general data) and F
/// (all task data); unbiased gradient statistics (<see cref="Measurement.GradientStatistics"/>); the curvature-weighted noise tr(HΣ);
/// and the largest curvature of F0 and F. Per pilot: L = the largest curvature; F0* = F* = 0; Φ0 = F0(w0), Φ = F(w0);
/// μ and σ0² from Lemma 1's curve fitted to the pre-training path; σ² = tr(HΣ)/L averaged along the fine-tuning paths.
/// Over the pilots: Γ = the largest checkpoint of their mean excess gap |F − F0| − |F0' − F0|, at least 0. Every
/// constant is the mean over the pilots with their standard deviation; eta0 = eta = fraction / L; Γ* = F0* − F* = 0.
/// docs/model.md §9 gives the reasons for each estimator.
/// </remarks>
public static class Calibrator
{
    /// <summary>Everything that prevents a calibration, one line each.</summary>
    /// <param name="data">General, task and test data.</param>
    /// <param name="model">The model (architecture, seed) to calibrate.</param>
    /// <param name="options">The calibration's options.</param>
    /// <returns>An empty list when it can run.</returns>
    public static IReadOnlyList<string> Check(TrainingData data, TrainingOptions model, CalibrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>(options.Validate());
        problems.AddRange(model.Validate());
        if (data.General.Count < 10)
        {
            problems.Add($"the general data has {data.General.Count} images; calibration needs at least 10 (pilots train on it and hold part of it out).");
        }

        if (model.Model == ModelKind.LeNet && (data.Width != data.Height || data.Width < 12))
        {
            problems.Add($"the images are {data.Width}x{data.Height}; LeNet needs square images of at least 12x12.");
        }

        return problems;
    }

    /// <summary>Runs the pilots and fits the constants.</summary>
    /// <param name="data">General, task and test data, exactly as the runs will see them (shift and split applied).</param>
    /// <param name="model">The model: architecture, widths and <see cref="TrainingOptions.Seed"/> (the calibration's seed).</param>
    /// <param name="options">The calibration's options.</param>
    /// <param name="progress">Receives progress after every checkpoint.</param>
    /// <param name="cancellationToken">Checked at every checkpoint.</param>
    /// <returns>The fitted constants and the report.</returns>
    /// <exception cref="ArgumentException">The inputs do not pass <see cref="Check"/>.</exception>
    /// <exception cref="CalibrationException">A pilot diverged or found the loss flat; the message says what to change.</exception>
    public static CalibrationResult Run(TrainingData data, TrainingOptions model, CalibrationOptions options,
        IProgress<CalibrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var problems = Check(data, model, options);
        if (problems.Count > 0)
        {
            throw new ArgumentException(problems[0], nameof(options));
        }

        TimeProvider clock = options.Clock;
        long started = clock.GetTimestamp();
        var meters = new Meters(clock);
        int[] steps = CheckpointSteps(options.PilotSteps, options.Checkpoints);
        int[] taskSteps = options.TaskPilotSteps > 0 ? CheckpointSteps(options.TaskPilotSteps, options.TaskCheckpoints) : [];
        int total = (options.Repeats * (steps.Length + (2 * taskSteps.Length))) + 1;
        int done = 0;
        var records = new List<CheckpointRecord>();
        Pilot? first = null;
        for (int r = 0; r < options.Repeats; r++)
        {
            var pilot = new Pilot(data, model, options, meters, model.Seed, r);
            first ??= pilot;
            string stage = $"pilot {r + 1}/{options.Repeats}";
            progress?.Report(new CalibrationProgress(done, total, stage));
            records.AddRange(pilot.Run(steps, taskSteps, () => progress?.Report(new CalibrationProgress(++done, total, stage)), cancellationToken));
        }

        progress?.Report(new CalibrationProgress(done, total, "W1"));
        ShiftEstimate w1 = meters.Wasserstein.Time(() => MeasureShift(data, first!, options, meters.Wasserstein));
        progress?.Report(new CalibrationProgress(++done, total, "done"));

        var fit = Fit.From(records, first!.Batch);
        ShiftMeasurement shift = ShiftMeasurementOf(w1, options, fit.Gap.Value);
        int parameters = first!.Network.ParameterCount;
        var learning = new LearningSpec
        {
            Smoothness = fit.Smoothness.Value,
            StepSize = options.StepFraction / fit.Smoothness.Value,
            PretrainStepSize = options.StepFraction / fit.Smoothness.Value,
            PlConstant = fit.PlConstant.Value,
            GradientVariance = fit.TaskVariance.Value,
            PretrainGradientVariance = fit.GeneralVariance.Value,
            PretrainInitialGap = fit.GeneralGap.Value,
            TargetInitialGap = fit.TaskGap.Value,
            Shift = new ShiftSpec
            {
                Wasserstein = Math.Max(0, shift.Debiased),
                DataLipschitz = shift.DataLipschitz,
                MeasuredGap = fit.Gap.Value,
                OptimumGap = Fit.GeneralOptimum - Fit.TaskOptimum,
            },
        };

        ShiftedData source = data.Source;
        var report = new CalibrationReport
        {
            Dataset = source.Config.BaseDataset,
            Model = Models.Describe(data, model),
            ParameterCount = parameters,
            UploadBits = Models.UploadBits(parameters),
            RotateDeg = source.Config.Shift.RotationDegrees,
            InvertFraction = source.Config.Shift.InvertFraction,
            NoiseStd = source.Config.Shift.NoiseStd,
            Split = source.Config.DeviceSplit == DeviceSplit.Iid ? "iid" : FormattableString.Invariant($"dirichlet:{source.Config.DirichletAlpha}"),
            Seed = model.Seed,
            Repeats = options.Repeats,
            PilotSamples = first.PilotSamples,
            HoldoutSamples = first.HoldoutSamples,
            TaskSamples = data.TaskSet.Count,
            PilotSteps = options.PilotSteps,
            PilotBatch = first.Batch,
            CheckpointSteps = steps,
            Constants = fit.Constants(learning, shift, meters, options),
            Diagnostics = fit.Diagnostics(meters, options),
            Shift = shift,
            Checkpoints = records,
            Pilot = meters.Pilot.Spent,
            Total = Meter.Sum(meters.Pilot, meters.Curvature, meters.GeneralGradients, meters.TaskGradients, meters.Losses, meters.Wasserstein)
                with { Seconds = clock.GetElapsedTime(started).TotalSeconds },
        };
        return new CalibrationResult(learning, Models.UploadBits(parameters), report);
    }

    /// <summary>Step 0 and <paramref name="checkpoints"/> distinct steps spaced geometrically up to <paramref name="pilotSteps"/>.</summary>
    /// <param name="pilotSteps">Steps of the pilot, at least 1.</param>
    /// <param name="checkpoints">J, at least 1.</param>
    /// <returns>Increasing steps, from 0 to <paramref name="pilotSteps"/>.</returns>
    public static int[] CheckpointSteps(int pilotSteps, int checkpoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pilotSteps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(checkpoints, 1);
        var steps = new SortedSet<int> { 0 };
        for (int j = 1; j <= checkpoints; j++)
        {
            steps.Add((int)Math.Round(Math.Pow(pilotSteps, (double)j / checkpoints)));
        }

        return [.. steps];
    }

    /// <summary>The debiased W1 between general and task data. In feature space both samples of the general data come from
    /// the first pilot's held-out part, which its network never trained on, so that the network's fit to its own training
    /// data cannot pass for a shift.</summary>
    private static ShiftEstimate MeasureShift(TrainingData data, Pilot pilot, CalibrationOptions options, Meter meter)
    {
        ImageDataset general = data.Source.General, task = data.Source.Task;
        if (options.ShiftSpace == ShiftSpace.Features)
        {
            general = FeatureSpace.Embed(pilot.Network, general.Select(pilot.HoldoutIndices));
            task = FeatureSpace.Embed(pilot.Network, task);
            meter.SampleForwards += general.Count + task.Count;
        }

        return Wasserstein.EstimateShift(general, task, new WassersteinOptions
        {
            Method = WassersteinMethod.Exact,
            Samples = options.WassersteinSamples,
            Repeats = options.WassersteinRepeats,
            Seed = data.Source.Config.Seed,
            MaxDegreeOfParallelism = options.Parallelism,
        });
    }

    private static ShiftMeasurement ShiftMeasurementOf(ShiftEstimate w1, CalibrationOptions options, double gap)
    {
        bool significant = w1.Debiased > 2 * w1.DebiasedSpread && w1.Debiased > 0;
        return new ShiftMeasurement(
            options.ShiftSpace == ShiftSpace.Features ? "features" : "pixels",
            w1.Raw.Value, w1.Raw.Spread, w1.Floor.Value, w1.Floor.Spread, w1.Debiased, w1.DebiasedSpread,
            significant, significant ? gap / w1.Debiased : 0, w1.Raw.Samples, options.WassersteinRepeats);
    }
}
