using System.Text.Json;
using EdgeLearn.Federation.Protocol;
using EdgeLearn.Federation.State;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using EdgeLearn.Training;
using EdgeLearn.Training.Accounting;

namespace EdgeLearn.Federation.Server;

/// <summary>Options of a server run besides the training inputs.</summary>
public sealed record FederatedRunOptions
{
    /// <summary>Where to listen and with which certificates.</summary>
    public FederationServerOptions Server { get; init; } = new();

    /// <summary>The SQLite state file (created, or resumed when it holds this run).</summary>
    public required string StatePath { get; init; }

    /// <summary>Wall-clock time a fine-tuning round waits for updates; default 300 s.</summary>
    public TimeSpan RoundTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>How long the server waits, once the plan is done, for every registered device to hear it; default 15 s.</summary>
    public TimeSpan DoneGrace { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Receives the server's log lines (registrations, refusals, misses, resume).</summary>
    public Action<string> Log { get; init; } = _ => { };

    /// <summary>Called once the server listens, with the address devices connect to.</summary>
    public Action<Uri> Listening { get; init; } = _ => { };
}

/// <summary>A finished server run: the training result (the same as <c>train</c>'s) and what the federation saw.</summary>
/// <param name="Training">Summary, rounds and weights.</param>
/// <param name="RunId">The run's id.</param>
/// <param name="ResumedAfterRound">The last committed round the run resumed after (null: it started afresh).</param>
/// <param name="Misses">Every device that missed a round, and why.</param>
/// <param name="Reports">Every accepted update's reported costs.</param>
/// <param name="Traffic">Wall-clock per round and bytes moved.</param>
public sealed record FederatedResult(TrainingResult Training, string RunId, int? ResumedAfterRound, IReadOnlyList<FederationMiss> Misses,
    IReadOnlyList<DeviceReport> Reports, FederationTraffic Traffic);

/// <summary>
/// Runs a plan as the server of a real federation: the M pre-training rounds on the server's general data, then the N
/// fine-tuning rounds with the devices behind a <see cref="RoundCoordinator"/>, all driven by the same
/// <see cref="TwoStageTrainer"/> as <c>train</c> (same ledger, measurements and outputs). Every round (the initial
/// measurement included) is committed to the state file in one transaction with the model, the ledger, the round's
/// record and its misses; a server restarted on the same file continues after the last committed round.
/// </summary>
public static class FederatedRun
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>What the state file stores per round: its record and the devices that missed it.</summary>
    /// <param name="Record">The round's record.</param>
    /// <param name="Misses">Its misses (fine-tuning rounds only).</param>
    private sealed record StoredRound(RoundRecord Record, IReadOnlyList<FederationMiss> Misses);

    /// <summary>The fingerprint a state file is stamped with: the run identity, the plan and every training option that
    /// changes the numbers.</summary>
    /// <param name="identity">Scenario, model size, seed, data.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="options">The training options.</param>
    /// <returns>A SHA-256, lowercase hex.</returns>
    public static string Fingerprint(RunIdentity identity, Plan plan, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        string weights = options.InitialWeights is { } w ? Provenance.Sha256(System.Runtime.InteropServices.MemoryMarshal.AsBytes(w.Parameters.Span)) : "";
        string text = string.Join("|", identity.ScenarioSha256, identity.ModelParameters, identity.Seed, identity.DataSha256, Provenance.PlanHash(plan),
            options.Model, string.Join(",", options.HiddenSizes), options.Parallelism, options.EvaluationInterval, options.GradientSamples, options.Fading, weights);
        return Provenance.Sha256(text);
    }

    /// <summary>The identity a run with these inputs has (what its devices must match).</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="data">The data.</param>
    /// <param name="parameters">The model's parameter count.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The identity.</returns>
    public static RunIdentity Identity(Scenario scenario, TrainingData data, long parameters, int seed) =>
        new(Provenance.ScenarioHash(scenario), parameters, seed, DataIdentity.Of(data, seed).Sha256);

    /// <summary>Runs (or resumes) the plan and returns when it is done and the devices were told.</summary>
    /// <param name="trainer">The prepared run (checked by <see cref="TwoStageTrainer.TryCreate"/>).</param>
    /// <param name="scenario">Its scenario.</param>
    /// <param name="plan">Its plan.</param>
    /// <param name="identity">Its identity (<see cref="Identity"/>).</param>
    /// <param name="options">Its training options.</param>
    /// <param name="run">Listening, state file, timeouts, log.</param>
    /// <param name="progress">Receives every new round's record.</param>
    /// <param name="cancellationToken">Stops the run between rounds (what is committed stays).</param>
    /// <returns>The result.</returns>
    /// <exception cref="InvalidDataException">The state file belongs to another run or is not a state file.</exception>
    public static async Task<FederatedResult> RunAsync(TwoStageTrainer trainer, Scenario scenario, Plan plan, RunIdentity identity, TrainingOptions options,
        FederatedRunOptions run, IProgress<RoundRecord>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(run);
        using var store = RunStateStore.Open(run.StatePath, Fingerprint(identity, plan, options));
        var resume = Checkpoint(store, out var committedMisses);
        var coordinator = new RoundCoordinator(scenario, plan, identity, store.RunId, run.RoundTimeout, run.Log, run.Server.Clock);
        coordinator.RestoreMisses(committedMisses);
        if (resume is not null)
        {
            run.Log($"resuming run {store.RunId} after round {resume.Round} of {plan.PretrainRounds + plan.FinetuneRounds} ({run.StatePath}).");
        }

        await using var host = await FederationServerHost.StartAsync(coordinator, run.Server with { Log = run.Log }, identity.ModelParameters, cancellationToken).ConfigureAwait(false);
        run.Listening(host.Address);
        using var writer = new StateWriter(store);
        var hooks = new TrainingHooks
        {
            Fleet = coordinator,
            ResumeFrom = resume,
            RoundCompleted = checkpoint =>
            {
                var record = checkpoint.Rounds[^1];
                var misses = record.Stage == TrainingStage.Finetune ? coordinator.MissesOf(record.StageRound) : [];
                writer.Enqueue(
                    () => new RoundCheckpoint(
                        checkpoint.Round,
                        PackedFloats.Encode(checkpoint.Parameters),
                        JsonSerializer.Serialize(checkpoint.Ledger, Json),
                        JsonSerializer.Serialize(new StoredRound(record, misses), Json))
                    {
                        Pretrained = checkpoint.Pretrained is { } p ? PackedFloats.Encode(p) : null,
                    },
                    record.Stage != TrainingStage.Finetune ? null
                        : () => coordinator.Publish(record.StageRound, record.RoundDelayS, record.RoundEnergyJ, record.TrainingLoss, record.GradientNormSquared));
            },
        };
        TrainingResult training;
        try
        {
            training = await Task.Factory.StartNew(() => trainer.Run(hooks, progress, cancellationToken), cancellationToken,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            writer.Flush(); // what was queued is committed, also when the run stops early
        }

        writer.Complete();
        coordinator.Finish();
        if (!await coordinator.WaitUntilDevicesKnowAsync(run.DoneGrace).ConfigureAwait(false))
        {
            run.Log($"not every device asked again within {run.DoneGrace.TotalSeconds:G3} s after the end; those that did not will find the server gone.");
        }

        await host.StopAsync().ConfigureAwait(false);
        return new FederatedResult(training, store.RunId, resume?.Round, coordinator.Misses, coordinator.Reports, coordinator.Traffic);
    }

    /// <summary>The trainer's checkpoint from the state file's last committed round (null when none), and the misses of
    /// the committed rounds.</summary>
    private static TrainingCheckpoint? Checkpoint(RunStateStore store, out IReadOnlyList<FederationMiss> misses)
    {
        var latest = store.Latest();
        var stored = store.Metrics().Select(m => JsonSerializer.Deserialize<StoredRound>(m, Json)!).ToList();
        misses = [.. stored.SelectMany(s => s.Misses)];
        if (latest is null)
        {
            return null;
        }

        var parameters = new float[latest.Model.Length / PackedFloats.BytesPerValue];
        Decode(latest.Model, parameters);
        float[]? pretrained = null;
        if (latest.Pretrained is { } bytes)
        {
            pretrained = new float[bytes.Length / PackedFloats.BytesPerValue];
            Decode(bytes, pretrained);
        }

        var ledger = JsonSerializer.Deserialize<LedgerState>(latest.LedgerJson, Json)!;
        return new TrainingCheckpoint(latest.Round, parameters, [.. stored.Select(s => s.Record)], ledger, pretrained);
    }

    private static void Decode(byte[] bytes, float[] values)
    {
        if (!PackedFloats.TryDecode(bytes, values, out string? reason))
        {
            throw new InvalidDataException($"the state file's model cannot be read: {reason}");
        }
    }
}
