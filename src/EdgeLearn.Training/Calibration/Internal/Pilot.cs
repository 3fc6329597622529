using EdgeLearn.Learning;
using EdgeLearn.Training.Internal;
using EdgeLearn.Training.Measurement;

namespace EdgeLearn.Training.Calibration.Internal;

/// <summary>Wall-clock time and sample passes of one kind of measurement, summed over the pilots.</summary>
internal sealed class Meter(TimeProvider clock)
{
    private long _ticks;

    public long SampleGradients { get; set; }

    public long SampleForwards { get; set; }

    public ComputeSpent Spent => new(_ticks / (double)clock.TimestampFrequency, SampleGradients, SampleForwards);

    public T Time<T>(Func<T> work)
    {
        long start = clock.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            _ticks += clock.GetTimestamp() - start;
        }
    }

    public static ComputeSpent Sum(params Meter[] meters) => new(
        meters.Sum(m => m.Spent.Seconds), meters.Sum(m => m.SampleGradients), meters.Sum(m => m.SampleForwards));
}

/// <summary>The meters of a calibration, one per kind of measurement.</summary>
internal sealed class Meters(TimeProvider clock)
{
    public Meter Pilot { get; } = new(clock);

    public Meter Curvature { get; } = new(clock);

    public Meter GeneralGradients { get; } = new(clock);

    public Meter TaskGradients { get; } = new(clock);

    public Meter Losses { get; } = new(clock);

    public Meter Wasserstein { get; } = new(clock);
}

/// <summary>
/// One pilot of model.md §9: from a fresh initial model w0, SGD on the general data (minus a held-out part) with the
/// step size 1/L of the largest curvature seen so far, measured at geometrically spaced checkpoints; then two short
/// fine-tuning paths on the task data, from the pre-trained model and from w0.
/// </summary>
internal sealed class Pilot
{
    private readonly TrainingData _data;
    private readonly CalibrationOptions _options;
    private readonly Meters _meters;
    private readonly int _repeat;
    private readonly Network _network;
    private readonly LabelledSet _pilotSet;
    private readonly LabelledSet _holdout;
    private readonly GradientProbe _generalProbe;
    private readonly GradientProbe _taskProbe;
    private readonly Curvature _generalCurvature;
    private readonly Curvature _taskCurvature;
    private readonly LabelledSet _generalBatch;
    private readonly LabelledSet _taskBatch;
    private readonly MinibatchSampler _sampler;
    private readonly MinibatchSampler _taskSampler;
    private readonly float[] _deviation;
    private double _largestCurvature;
    private double _rate;

    /// <summary>Groups whose deviation's curvature is measured for tr(HΣ).</summary>
    private const int CurvedGroups = 8;

    public Pilot(TrainingData data, TrainingOptions model, CalibrationOptions options, Meters meters, int seed, int repeat)
    {
        _data = data;
        _options = options;
        _meters = meters;
        _repeat = repeat;
        int streamSeed = Seeds.Derive(seed, Seeds.FirstCalibrationRepeat + repeat);
        _network = Models.Create(data, model, streamSeed, new EngineOptions { ThreadCount = options.Parallelism });
        var random = new Random(streamSeed);
        int[] order = Permutation(data.General.Count, random);
        int held = Math.Max(1, (int)Math.Round(options.HoldoutFraction * data.General.Count));
        HoldoutIndices = order[..held];
        _holdout = data.General.Select(order.AsSpan(0, held));
        _pilotSet = data.General.Select(order.AsSpan(held));
        _generalProbe = new GradientProbe(_network, _pilotSet, options.GradientSamples, options.GradientGroups, random.Next());
        _taskProbe = new GradientProbe(_network, data.TaskSet, options.GradientSamples, options.GradientGroups, random.Next());
        _generalCurvature = new Curvature(_network, random.Next());
        _taskCurvature = new Curvature(_network, random.Next());
        _generalBatch = Subsample(_pilotSet, options.CurvatureSamples, random);
        _taskBatch = Subsample(data.TaskSet, options.CurvatureSamples, random);
        Batch = Math.Min(options.PilotBatch, _pilotSet.Count);
        _sampler = new MinibatchSampler(_pilotSet, Batch, random.Next());
        _taskSampler = new MinibatchSampler(data.TaskSet, Math.Min(options.PilotBatch, data.TaskSet.Count), random.Next());
        _deviation = new float[_network.ParameterCount];
    }

    /// <summary>The pilot's minibatch: the option's, at most the pilot's general data.</summary>
    public int Batch { get; }

    /// <summary>General images the pilot trains on.</summary>
    public int PilotSamples => _pilotSet.Count;

    /// <summary>Indices into the general data of the held-out images, which the pilot never trains on.</summary>
    public int[] HoldoutIndices { get; }

    /// <summary>General images held out.</summary>
    public int HoldoutSamples => _holdout.Count;

    /// <summary>The pilot's network (after <see cref="Run"/>: trained on the general data).</summary>
    public Network Network => _network;

    /// <summary>
    /// Runs the three paths of a pilot and measures every checkpoint: SGD on the general data from w0 (pre-training),
    /// then SGD on all task data from the pre-trained model and from w0 (the two ways fine-tuning starts). The network
    /// ends pre-trained. <paramref name="onCheckpoint"/> is called after every checkpoint.
    /// </summary>
    public IReadOnlyList<CheckpointRecord> Run(IReadOnlyList<int> generalSteps, IReadOnlyList<int> taskSteps, Action onCheckpoint,
        CancellationToken cancellationToken)
    {
        float[] initial = _network.Parameters.ToArray();
        var records = new List<CheckpointRecord>();
        records.AddRange(Walk(PilotPath.General, _sampler, generalSteps, onCheckpoint, cancellationToken));
        float[] pretrained = _network.Parameters.ToArray();
        if (taskSteps.Count > 0)
        {
            records.AddRange(Walk(PilotPath.TaskFromPretrained, _taskSampler, taskSteps, onCheckpoint, cancellationToken));
            initial.CopyTo(_network.Parameters);
            records.AddRange(Walk(PilotPath.TaskFromScratch, _taskSampler, taskSteps, onCheckpoint, cancellationToken));
            pretrained.CopyTo(_network.Parameters);
        }

        return records;
    }

    /// <summary>SGD with step fraction / (largest curvature seen so far) from the network's current parameters.</summary>
    private List<CheckpointRecord> Walk(PilotPath path, MinibatchSampler sampler, IReadOnlyList<int> steps, Action onCheckpoint,
        CancellationToken cancellationToken)
    {
        var records = new List<CheckpointRecord>(steps.Count);
        int done = 0;
        foreach (int step in steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (step > done)
            {
                _meters.Pilot.SampleGradients += (long)(step - done) * sampler.Batch;
                float r = (float)_rate;
                _meters.Pilot.Time(() =>
                {
                    for (; done < step; done++)
                    {
                        sampler.Draw();
                        Sgd.TrainStep(_network, sampler.Features, sampler.Labels, r);
                    }

                    return 0;
                });
            }

            var measured = Measure(path);
            if (!double.IsFinite(measured.GeneralLoss) || !double.IsFinite(measured.TaskLoss))
            {
                throw new CalibrationException(FormattableString.Invariant(
                    $"the pilot diverged on its {Describe(path)} path at step {step} (loss {measured.GeneralLoss:G4}) with step size {_rate:G4}; try a smaller --step-fraction."));
            }

            _largestCurvature = Math.Max(_largestCurvature, Math.Max(measured.GeneralCurvature, measured.TaskCurvature));
            if (!(_largestCurvature > 0) || !double.IsFinite(_largestCurvature))
            {
                throw new CalibrationException(
                    $"the loss is flat along every direction measured on the {Describe(path)} path (curvature 0), so no smoothness constant L and no step size 1/L can be fitted; check that the data has more than one class and the model can learn.");
            }

            _rate = _options.StepFraction / _largestCurvature;
            records.Add(measured with { Path = path, Step = step, LearningRate = _rate });
            onCheckpoint();
        }

        return records;
    }

    private static string Describe(PilotPath path) => path switch
    {
        PilotPath.General => "pre-training",
        PilotPath.TaskFromPretrained => "pre-trained fine-tuning",
        _ => "from-scratch fine-tuning",
    };

    /// <summary>Everything at the current parameters; the general data's gradient statistics only on the pre-training
    /// path, where the fit uses them (curvature of F0 everywhere, for L).</summary>
    private CheckpointRecord Measure(PilotPath path)
    {
        ReadOnlySpan<float> w = _network.Parameters;
        var losses = _meters.Losses.Time(() => (
            General: _network.Evaluate(_pilotSet.Features, _pilotSet.Labels).Loss,
            Holdout: _network.Evaluate(_holdout.Features, _holdout.Labels).Loss,
            Task: _network.Evaluate(_data.TaskSet.Features, _data.TaskSet.Labels).Loss));
        _meters.Losses.SampleForwards += _pilotSet.Count + _holdout.Count + _data.TaskSet.Count;

        float[] parameters = w.ToArray();
        bool pretraining = path == PilotPath.General;
        GradientNormEstimate? general = null;
        if (pretraining)
        {
            general = _meters.GeneralGradients.Time(() => _generalProbe.Measure(parameters)).Gradient;
            _meters.GeneralGradients.SampleGradients += _generalProbe.Samples;
        }

        var task = _meters.TaskGradients.Time(() => _taskProbe.Measure(parameters));
        _meters.TaskGradients.SampleGradients += _taskProbe.Samples;

        long before = _generalCurvature.SampleGradients + _taskCurvature.SampleGradients;
        var curvature = _meters.Curvature.Time(() => (
            General: _generalCurvature.Largest(parameters, _generalBatch.Features, _generalBatch.Labels, _options.PowerIterations),
            Task: _taskCurvature.Largest(parameters, _taskBatch.Features, _taskBatch.Labels, _options.PowerIterations)));
        var curved = _meters.Curvature.Time(() => (
            General: pretraining ? CurvedVariance(_generalProbe, _generalCurvature, parameters, _generalBatch) : (double?)null,
            Task: CurvedVariance(_taskProbe, _taskCurvature, parameters, _taskBatch)));
        _meters.Curvature.SampleGradients += _generalCurvature.SampleGradients + _taskCurvature.SampleGradients - before;

        return new CheckpointRecord(
            _repeat, PilotPath.General, 0, 0, losses.General, losses.Holdout, losses.Task,
            general?.Value, general?.StdErr, task.Gradient.Value, general?.VarianceTrace, task.Gradient.VarianceTrace,
            curved.General, curved.Task, curvature.General, curvature.Task);
    }

    /// <summary>tr(HΣ) from the probe's last groups: m G / (G − 1) times the mean of (g_a − ḡ)ᵀ H (g_a − ḡ).</summary>
    private double CurvedVariance(GradientProbe probe, Curvature curvature, float[] parameters, LabelledSet batch)
    {
        int groups = Math.Min(probe.Groups, CurvedGroups);
        double sum = 0;
        for (int a = 0; a < groups; a++)
        {
            System.Numerics.Tensors.TensorPrimitives.Subtract(probe.GroupGradient(a), probe.MeanGradient, _deviation);
            sum += curvature.Quadratic(parameters, _deviation, batch.Features, batch.Labels);
        }

        return Math.Max(0, probe.GroupSize * probe.Groups / (probe.Groups - 1.0) * sum / groups);
    }

    private static LabelledSet Subsample(LabelledSet set, int size, Random random) =>
        set.Select(Permutation(set.Count, random).AsSpan(0, Math.Min(size, set.Count)));

    private static int[] Permutation(int n, Random random)
    {
        int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        random.Shuffle(order);
        return order;
    }
}
