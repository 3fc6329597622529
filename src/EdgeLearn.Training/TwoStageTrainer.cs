using System.Diagnostics.CodeAnalysis;
using System.Numerics.Tensors;
using EdgeLearn.Bound;
using EdgeLearn.Data.Shift;
using EdgeLearn.Learning;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using EdgeLearn.Training.Accounting;
using EdgeLearn.Training.Fleet;
using EdgeLearn.Training.Internal;
using EdgeLearn.Training.Measurement;

namespace EdgeLearn.Training;

/// <summary>
/// Runs a two-stage plan for real (model.md §3): M SGD rounds at the server on the general data with batch B0, then
/// N FedSGD rounds in which every device computes a bk-sample gradient gk at the current global model on its own task
/// data and the server applies w ← w − η Σk ρk gk with ρk = Dk / Σj Dj. The step sizes η0 and η are the scenario's
/// (<c>learning.pretrainStepSize</c>, <c>learning.stepSize</c>), the same ones the bound assumes. Every round is
/// accounted with the cost model (<see cref="RoundAccountant"/>) and measured: training loss, an unbiased estimate of
/// |∇F|² over all the devices' task data (<see cref="GradientStatistics"/>), and every few rounds test accuracy and loss.
/// </summary>
/// <remarks>
/// The devices of a fine-tuning round compute in parallel (<see cref="IDeviceFleet"/>; in-process by default, or a real
/// federation), each on its own single-threaded copy of the model, with minibatches drawn from a stream of (seed, device
/// id, round); their gradients are summed in device order, so a run is bit-identical for the same
/// seed and <see cref="TrainingOptions.Parallelism"/>. FedSGD after McMahan et al., "Communication-Efficient Learning of
/// Deep Networks from Decentralized Data", AISTATS 2017; the two-stage design after Lyu et al., arXiv 2404.00836 (2024).
/// </remarks>
/// <example><code>
/// var planned = Planner.Plan(scenario);
/// if (!planned.HasPlan) return;
/// var result = TwoStageTrainer.Run(scenario, planned.Plan, data, new TrainingOptions { Seed = 1 });
/// Console.WriteLine(result.Summary.FinalTestAccuracy);
/// </code></example>
public sealed class TwoStageTrainer
{
    /// <summary>A training loss above this multiple of the initial test loss (at least 1 nat) counts as diverged: a
    /// classifier that has learnt anything stays far below it, and one that has blown up passes it within rounds.</summary>
    public const double ExplodingLossFactor = 100;

    private readonly Scenario _scenario;
    private readonly Plan _plan;
    private readonly PlanEvaluation _evaluation;
    private readonly TrainingData _data;
    private readonly TrainingOptions _options;
    private readonly ModelArchitecture _architecture;
    private readonly Network _server;
    private readonly GradientProbe _probe;
    private readonly float[] _aggregate;
    private readonly double[] _weights;
    private readonly bool[] _delivered;

    /// <summary>Prepares a run; <see cref="TryCreate"/> reports every problem instead of throwing on the first.</summary>
    /// <param name="scenario">The scenario (costs, budgets, learning constants, Dk).</param>
    /// <param name="plan">The plan to run; it must match the scenario (<see cref="PlanEvaluator.Mismatches"/>).</param>
    /// <param name="data">General, device and test data; one device set per scenario device.</param>
    /// <param name="options">Learning rates, measurements, fading, seed; default <see cref="TrainingOptions"/>.</param>
    /// <exception cref="ArgumentException">The inputs do not pass <see cref="Check"/>.</exception>
    public TwoStageTrainer(Scenario scenario, Plan plan, TrainingData data, TrainingOptions? options = null)
        : this(scenario, plan, data, options ??= new TrainingOptions(), Inspect(scenario, plan, data, options, out var problems)
            ?? throw new ArgumentException(problems[0], nameof(plan)))
    {
    }

    /// <summary>Checks the inputs once (<see cref="Check"/>) and prepares the run when they pass.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="data">The data.</param>
    /// <param name="options">The options.</param>
    /// <param name="trainer">The prepared run, when there are no problems.</param>
    /// <param name="problems">Everything that prevents the run, one line each (empty when <paramref name="trainer"/> is set).</param>
    /// <returns>Whether the run can start.</returns>
    public static bool TryCreate(Scenario scenario, Plan plan, TrainingData data, TrainingOptions options,
        [NotNullWhen(true)] out TwoStageTrainer? trainer, out IReadOnlyList<string> problems)
    {
        var evaluation = Inspect(scenario, plan, data, options, out problems);
        trainer = evaluation is null ? null : new TwoStageTrainer(scenario, plan, data, options, evaluation);
        return trainer is not null;
    }

    private TwoStageTrainer(Scenario scenario, Plan plan, TrainingData data, TrainingOptions options, PlanEvaluation evaluation)
    {
        _evaluation = evaluation;
        _scenario = scenario;
        _plan = plan;
        _data = data;
        _options = options;
        _architecture = Models.Architecture(data, options);
        _server = Models.Create(data, options, options.Seed, new EngineOptions { ThreadCount = options.Parallelism });
        if (options.InitialWeights is { } initial)
        {
            initial.Parameters.Span.CopyTo(_server.Parameters);
        }

        _probe = new GradientProbe(_server, data.TaskSet, options.GradientSamples, TrainingOptions.GradientGroups,
            Seeds.Derive(options.Seed, Seeds.GradientSubset));
        _aggregate = new float[_server.ParameterCount];
        _weights = ConvergenceBound.Weights(scenario.Devices);
        _delivered = new bool[scenario.Devices.Count];
    }

    /// <summary>The model's parameter count.</summary>
    public int ParameterCount => _server.ParameterCount;

    /// <summary>The parameter count of the model a run with <paramref name="options"/> builds for <paramref name="data"/>.</summary>
    /// <param name="data">The data (image size, classes).</param>
    /// <param name="options">The model options.</param>
    /// <returns>The count.</returns>
    public static int ModelParameters(TrainingData data, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        return Models.Create(data, options, options.Seed, new EngineOptions { ThreadCount = 1 }).ParameterCount;
    }

    /// <summary>Runs a plan (see <see cref="TwoStageTrainer(Scenario, Plan, TrainingData, TrainingOptions?)"/>).</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="data">The data.</param>
    /// <param name="options">Options; default <see cref="TrainingOptions"/>.</param>
    /// <param name="progress">Receives every round's record as soon as it is measured, on the calling thread.</param>
    /// <param name="cancellationToken">Checked before every round.</param>
    /// <returns>The summary and every round's record.</returns>
    public static TrainingResult Run(Scenario scenario, Plan plan, TrainingData data, TrainingOptions? options = null,
        IProgress<RoundRecord>? progress = null, CancellationToken cancellationToken = default) =>
        new TwoStageTrainer(scenario, plan, data, options).Run(progress, cancellationToken);

    /// <summary>Everything that prevents a run, one line each: plan/scenario mismatches, a plan that breaks a constraint of
    /// the scenario (unless <see cref="TrainingOptions.AllowViolations"/>), invalid options, data that does not fit the
    /// scenario or the model, and a scenario whose <c>model.uploadBits</c> is not the model's size (unless
    /// <see cref="TrainingOptions.AcceptModelSizeMismatch"/>).</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="data">The data.</param>
    /// <param name="options">The options.</param>
    /// <returns>An empty list when the run can start.</returns>
    public static IReadOnlyList<string> Check(Scenario scenario, Plan plan, TrainingData data, TrainingOptions options)
    {
        Inspect(scenario, plan, data, options, out var problems);
        return problems;
    }

    /// <summary>The one check of a run's inputs: the plan's evaluation when nothing prevents the run, else null and the problems.</summary>
    private static PlanEvaluation? Inspect(Scenario scenario, Plan plan, TrainingData data, TrainingOptions options, out IReadOnlyList<string> found)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        PlanEvaluator.TryEvaluate(scenario, plan, out var evaluation, out var mismatches);
        var problems = new List<string>(mismatches);
        found = problems;
        if (evaluation is { Feasible: false } && !options.AllowViolations)
        {
            var violated = evaluation.Violations;
            problems.Add($"the plan breaks {violated.Count} constraint(s) of the scenario ({string.Join("; ", violated.Select(c => c.Describe()))}); "
                + "allow it explicitly (TrainingOptions.AllowViolations) to run it anyway.");
        }

        problems.AddRange(options.Validate());
        if (data.Devices.Count != scenario.Devices.Count)
        {
            problems.Add($"the data has {data.Devices.Count} device sets; the scenario has {scenario.Devices.Count} devices.");
        }

        if (plan.PretrainRounds > 0 && data.General.Count == 0)
        {
            problems.Add($"the general data is empty; the plan has {plan.PretrainRounds} pre-training rounds that need it.");
        }

        if (options.Model == ModelKind.LeNet && (data.Width != data.Height || data.Width < 12))
        {
            problems.Add($"the images are {data.Width}x{data.Height}; LeNet needs square images of at least 12x12.");
        }

        if (options.InitialWeights is { } weights && problems.Count == 0)
        {
            var expected = Models.Architecture(data, options);
            int count = Models.Create(data, options, options.Seed, new EngineOptions()).ParameterCount;
            var differences = ModelFile.Mismatches(weights, expected, count);
            if (differences.Count > 0)
            {
                problems.Add($"the initial weights (--init-from) are for {weights.Architecture} and do not fit this run's {expected} model: {string.Join("; ", differences)}.");
            }
        }

        if (problems.Count == 0 && !options.AcceptModelSizeMismatch)
        {
            int parameters = Models.Create(data, options, options.Seed, new EngineOptions()).ParameterCount;
            double bits = Models.UploadBits(parameters);
            if (scenario.Model.UploadBits != bits)
            {
                problems.Add(FormattableString.Invariant(
                    $"model.uploadBits is {scenario.Model.UploadBits}; the {Models.Describe(data, options)} model has {parameters:N0} parameters, so it uploads {bits} bits per round and the plan's upload costs describe another model. Calibrate the scenario for this model and data (edgelearn calibrate), set model.uploadBits to {bits}, or accept the mismatch explicitly (--accept-model-size)."));
            }
        }

        return problems.Count == 0 ? evaluation : null;
    }

    /// <summary>Runs both stages.</summary>
    /// <param name="progress">Receives every round's record as soon as it is measured, on the calling thread.</param>
    /// <param name="cancellationToken">Checked before every round.</param>
    /// <returns>The summary and every round's record.</returns>
    /// <exception cref="TrainingDivergedException">The loss or the gradient norm stopped being finite.</exception>
    public TrainingResult Run(IProgress<RoundRecord>? progress = null, CancellationToken cancellationToken = default) =>
        Run(new TrainingHooks(), progress, cancellationToken);

    /// <summary>Runs both stages, or what is left of them after <see cref="TrainingHooks.ResumeFrom"/>, with the devices of
    /// <see cref="TrainingHooks.Fleet"/>. Every random draw of round r depends on (seed, stream, r) alone (and a device's
    /// on its id), so a resumed run, or one whose devices run elsewhere, ends bit-identical to an uninterrupted
    /// in-process run, as long as every device delivers. A device that does not deliver in a round is left out of that
    /// round's aggregate and the others' weights ρk are renormalised over those present; a round without any update
    /// leaves the model as it was.</summary>
    /// <param name="hooks">Fleet, checkpoint to resume from, and per-round callback.</param>
    /// <param name="progress">Receives every round's record as soon as it is measured, on the calling thread (not the
    /// rounds of the checkpoint).</param>
    /// <param name="cancellationToken">Checked before every round.</param>
    /// <returns>The summary and every round's record (the checkpoint's included).</returns>
    /// <exception cref="TrainingDivergedException">The loss or the gradient norm stopped being finite.</exception>
    /// <exception cref="ArgumentException">The checkpoint does not fit this run.</exception>
    public TrainingResult Run(TrainingHooks hooks, IProgress<RoundRecord>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hooks);
        TimeProvider clock = _options.Clock;
        long started = clock.GetTimestamp();
        int m = _plan.PretrainRounds, n = _plan.FinetuneRounds, last = m + n;
        IDeviceFleet fleet = hooks.Fleet ?? new LocalFleet(_scenario, _plan, _data, _options);
        var accountant = new RoundAccountant(_scenario, _plan, _evaluation, _options.Fading, Seeds.Derive(_options.Seed, Seeds.Fading));
        var rounds = new List<RoundRecord>(last + 1);
        int done = 0;
        Evaluation initial;
        GradientNormEstimate norm;
        double? pretrainAccuracy = null;
        ModelWeights? pretrained = null;
        if (hooks.ResumeFrom is { } resume)
        {
            CheckResumable(resume, last);
            done = resume.Round;
            resume.Parameters.CopyTo(_server.Parameters);
            rounds.AddRange(resume.Rounds);
            accountant.Restore(resume.Ledger);
            initial = new Evaluation(rounds[0].TestLoss ?? 0, rounds[0].TestAccuracy ?? 0, 0);
            norm = MeasureGradientNorm(done);
            if (m > 0 && done >= m)
            {
                pretrainAccuracy = rounds[m].TestAccuracy;
                pretrained = new ModelWeights(_architecture, resume.Pretrained!.ToArray());
            }
        }
        else
        {
            norm = MeasureGradientNorm(0);
            initial = Test();
            EnsureStartable(initial, norm);
            Add(new RoundRecord(0, TrainingStage.Initial, 0, null, norm.Value, norm.StdErr, initial.Accuracy, initial.Loss, 0, 0, 0, 0, 0));
        }

        if (m > done)
        {
            var sampler = new MinibatchSampler(_data.General, _plan.Server.Batch, 0);
            float rate = (float)_scenario.Learning.PretrainStepSize;
            for (int r = done + 1; r <= m; r++)
            {
                ThrowIfInterrupted(cancellationToken, "pre-training", r, m);
                sampler.Draw(Seeds.ForRound(_options.Seed, Seeds.Server, r));
                double loss = Sgd.TrainStep(_server, sampler.Features, sampler.Labels, rate);
                var cost = accountant.AccountPretrainRound();
                GradientNormEstimate start = norm;
                norm = MeasureGradientNorm(r);
                EnsureStable(loss, norm, initial.Loss, TrainingStage.Pretrain, r, rate, rounds);
                Evaluation? test = IsEvaluated(r, m, last) ? Test() : null;
                if (r == m)
                {
                    pretrainAccuracy = test!.Accuracy;
                    pretrained = Weights();
                }

                var total = accountant.Total;
                Add(new RoundRecord(r, TrainingStage.Pretrain, r, loss, start.Value, start.StdErr, test?.Accuracy, test?.Loss,
                    cost.DelayS, cost.EnergyJ, total.DelayS, total.EnergyJ, 0));
            }
        }

        float finetuneRate = (float)_scenario.Learning.StepSize;
        double normSum = 0, varianceSum = 0;
        foreach (var record in rounds.Where(r => r.Stage == TrainingStage.Finetune))
        {
            normSum += record.GradientNormSquared;
            varianceSum += record.GradientNormStdErr * record.GradientNormStdErr;
        }

        int misses = rounds[^1].DeadlineMisses;
        for (int i = Math.Max(done - m, 0) + 1; i <= n; i++)
        {
            ThrowIfInterrupted(cancellationToken, "fine-tuning", i, n);
            double? loss = FedSgdRound(fleet, i, finetuneRate, cancellationToken);
            var cost = accountant.AccountFinetuneRound();
            misses += cost.DeadlineMisses;
            GradientNormEstimate start = norm;
            normSum += start.Value;
            varianceSum += start.StdErr * start.StdErr;
            int r = m + i;
            norm = MeasureGradientNorm(r);
            EnsureStable(loss ?? 0, norm, initial.Loss, TrainingStage.Finetune, i, finetuneRate, rounds);
            Evaluation? test = IsEvaluated(r, m, last) ? Test() : null;
            var total = accountant.Total;
            Add(new RoundRecord(r, TrainingStage.Finetune, i, loss, start.Value, start.StdErr, test?.Accuracy, test?.Loss,
                cost.Round.DelayS, cost.Round.EnergyJ, total.DelayS, total.EnergyJ, misses));
        }

        RoundRecord final = rounds[^1];
        var evaluation = _evaluation;
        ShiftedData source = _data.Source;
        double average = normSum / n;
        var summary = new TrainingSummary
        {
            Scheme = _plan.Scheme.ToName(),
            Dataset = source.Config.BaseDataset,
            Seed = _options.Seed,
            PretrainRounds = m,
            FinetuneRounds = n,
            FinalTestAccuracy = final.TestAccuracy!.Value,
            AverageSquaredGradientNorm = average,
            AverageSquaredGradientNormStdErr = Math.Sqrt(varianceSum) / n,
            PredictedBound = evaluation.Bound,
            DelayS = final.DelayS,
            EnergyJ = final.EnergyJ,
            DeadlineMisses = misses,
            WallClockS = clock.GetElapsedTime(started).TotalSeconds,
            BoundRatio = average / evaluation.Bound,
            BoundHeld = average <= evaluation.Bound,
            DelayRatio = final.DelayS / evaluation.DelayS,
            EnergyRatio = final.EnergyJ / evaluation.EnergyJ,
            FinalTestLoss = final.TestLoss!.Value,
            InitialTestAccuracy = initial.Accuracy,
            PretrainTestAccuracy = pretrainAccuracy,
            FinalSquaredGradientNorm = norm.Value,
            FinalSquaredGradientNormStdErr = norm.StdErr,
            PredictedDelayS = evaluation.DelayS,
            PredictedEnergyJ = evaluation.EnergyJ,
            BudgetDelayS = _scenario.Budget.DelayS,
            BudgetEnergyJ = _scenario.Budget.EnergyJ,
            PretrainBatch = _plan.Server.Batch,
            DeviceBatches = _plan.Devices.Select(d => d.Batch).ToArray(),
            PretrainLearningRate = _scenario.Learning.PretrainStepSize,
            FinetuneLearningRate = _scenario.Learning.StepSize,
            Model = Models.Describe(_data, _options),
            ParameterCount = _server.ParameterCount,
            UploadBits = _scenario.Model.UploadBits,
            Fading = _options.Fading == ChannelFading.None ? "none" : "rayleigh",
            RotateDeg = source.Config.Shift.RotationDegrees,
            InvertFraction = source.Config.Shift.InvertFraction,
            NoiseStd = source.Config.Shift.NoiseStd,
            Split = source.Config.DeviceSplit == DeviceSplit.Iid
                ? "iid"
                : FormattableString.Invariant($"dirichlet:{source.Config.DirichletAlpha}"),
            GeneralSamples = _data.General.Count,
            TaskSamples = source.Task.Count,
            TestSamples = _data.Test.Count,
            GradientSamples = _probe.Samples,
            GradientGroups = _probe.Groups,
            Violations = [.. evaluation.Violations.Select(c => c.Describe())],
        };
        return new TrainingResult(summary, rounds) { PretrainedWeights = pretrained, FinalWeights = Weights() };

        void Add(RoundRecord record)
        {
            rounds.Add(record);
            progress?.Report(record);
            if (hooks.RoundCompleted is { } completed)
            {
                completed(new TrainingCheckpoint(record.Round, _server.Parameters.ToArray(), [.. rounds], accountant.State,
                    pretrained is null ? null : pretrained.Parameters.ToArray()));
            }
        }
    }

    /// <summary>Stops a run whose numbers are no longer finite, or whose training loss exploded to more than
    /// <see cref="ExplodingLossFactor"/> times the initial test loss, naming where and with which step.</summary>
    /// <exception cref="TrainingDivergedException">The loss or |∇F|² is NaN or infinite, or the loss exploded.</exception>
    private static void EnsureStable(double loss, GradientNormEstimate norm, double initialLoss, TrainingStage stage, int round, float rate,
        IReadOnlyList<RoundRecord> rounds)
    {
        bool finite = double.IsFinite(loss) && double.IsFinite(norm.Value) && double.IsFinite(norm.StdErr);
        bool exploded = finite && loss > ExplodingLossFactor * Math.Max(initialLoss, 1);
        if (finite && !exploded)
        {
            return;
        }

        string name = stage == TrainingStage.Pretrain ? "pre-training" : "fine-tuning";
        string what = finite
            ? FormattableString.Invariant($"the training loss exploded to {loss:G4}, more than {ExplodingLossFactor:G} times the initial {initialLoss:G4}")
            : "the loss or |grad F|^2 stopped being a finite number";
        throw new TrainingDivergedException(
            FormattableString.Invariant(
                $"training diverged in {name} round {round}: {what}, with step size {rate:G4}; the scenario's learning.stepSize and learning.pretrainStepSize are too large for this model and data (calibrate the scenario with 'edgelearn calibrate', or lower them)."),
            stage == TrainingStage.Pretrain ? "pretrain" : "finetune", round, [.. rounds]);
    }

    /// <summary>Stops a run whose starting model already gives a non-finite test loss or |∇F|², before any step: the
    /// initial weights are unusable for this data (too large), and the step sizes are not to blame.</summary>
    /// <exception cref="TrainingDivergedException">With stage <c>initial</c>, round 0 and no rounds.</exception>
    private void EnsureStartable(Evaluation initial, GradientNormEstimate norm)
    {
        if (double.IsFinite(initial.Loss) && double.IsFinite(norm.Value) && double.IsFinite(norm.StdErr))
        {
            return;
        }

        string weights = _options.InitialWeights is null ? "the seed's random initial weights" : "the initial weights (--init-from)";
        throw new TrainingDivergedException(
            $"{weights} give a test loss or |grad F|^2 that is not a finite number before any training step: they are too large for this model and data, so start from other weights.",
            TrainingDivergedException.InitialStage, 0, []);
    }

    /// <summary>Stops before a round when asked, saying where: "at fine-tuning round 12 of 330".</summary>
    /// <exception cref="OperationCanceledException">Cancellation was requested.</exception>
    private static void ThrowIfInterrupted(CancellationToken cancellationToken, string stage, int round, int rounds)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(FormattableString.Invariant($"at {stage} round {round} of {rounds}"), cancellationToken);
        }
    }

    /// <summary>A copy of the global model's current weights.</summary>
    private ModelWeights Weights() => new(_architecture, _server.Parameters.ToArray());

    private bool IsEvaluated(int round, int pretrainRounds, int lastRound) =>
        round % _options.EvaluationInterval == 0 || round == pretrainRounds || round == lastRound;

    /// <summary>One FedSGD round: the fleet computes, the server reduces the delivered gradients in device order with
    /// weights ρk (renormalised over the devices that delivered, when some did not) and steps.</summary>
    /// <returns>Σk ρk of the delivered devices' minibatch losses (same weights); null when no device delivered, and then
    /// the model is left as it was.</returns>
    private double? FedSgdRound(IDeviceFleet fleet, int round, float rate, CancellationToken cancellationToken)
    {
        Span<bool> delivered = _delivered;
        delivered.Clear();
        fleet.ComputeRound(round, _server.Parameters, delivered, cancellationToken);
        double present = 0;
        bool all = true;
        for (int k = 0; k < delivered.Length; k++)
        {
            present += delivered[k] ? _weights[k] : 0;
            all &= delivered[k];
        }

        if (present == 0)
        {
            return null;
        }

        Span<float> aggregate = _aggregate;
        aggregate.Clear();
        double loss = 0;
        for (int k = 0; k < delivered.Length; k++)
        {
            if (!delivered[k])
            {
                continue;
            }

            double weight = all ? _weights[k] : _weights[k] / present;
            TensorPrimitives.MultiplyAdd(fleet.Gradient(k), (float)weight, aggregate, aggregate);
            loss += weight * fleet.Loss(k);
        }

        Sgd.Step(_server.Parameters, aggregate, rate);
        return loss;
    }

    /// <summary>Refuses a checkpoint that cannot be this run's: rounds out of range, a model of another size, rounds that
    /// do not run 0…Round, or no pre-trained weights after pre-training.</summary>
    /// <exception cref="ArgumentException">It does not fit.</exception>
    private void CheckResumable(TrainingCheckpoint resume, int lastRound)
    {
        string? problem =
            resume.Round < 0 || resume.Round > lastRound ? $"its round is {resume.Round}; this plan has rounds 0 to {lastRound}"
            : resume.Parameters.Length != _server.ParameterCount ? $"its model has {resume.Parameters.Length} parameters; this run's has {_server.ParameterCount}"
            : resume.Rounds.Count != resume.Round + 1 || resume.Rounds.Where((r, i) => r.Round != i).Any() ? $"it holds {resume.Rounds.Count} round records, not rounds 0 to {resume.Round}"
            : _plan.PretrainRounds > 0 && resume.Round >= _plan.PretrainRounds && resume.Pretrained?.Length != _server.ParameterCount ? "it has no pre-trained weights although pre-training is over"
            : null;
        if (problem is not null)
        {
            throw new ArgumentException($"The checkpoint does not fit this run: {problem}.", nameof(resume));
        }
    }

    /// <summary>Unbiased |∇F(w)|² of the current global model over all the devices' task data, after global round
    /// <paramref name="round"/> (0: the initial model), on that round's sample.</summary>
    private GradientNormEstimate MeasureGradientNorm(int round) =>
        _probe.Measure(_server.Parameters, Seeds.ForRound(_options.Seed, Seeds.GradientSubset, round)).Gradient;

    private Evaluation Test()
    {
        LabelledSet test = _data.Test;
        return test.Count == 0 ? new Evaluation(0, 0, 0) : _server.Evaluate(test.Features, test.Labels);
    }
}
