using System.Security.Cryptography;
using EdgeLearn.Costs;
using EdgeLearn.Federation.Protocol;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using EdgeLearn.Training.Fleet;
using RoundResult = EdgeLearn.Federation.Protocol.RoundResult;

namespace EdgeLearn.Federation.Server;

/// <summary>A device's update that did not make it into a round's aggregate.</summary>
/// <param name="Round">Fine-tuning round n.</param>
/// <param name="DeviceId">The device.</param>
/// <param name="Reason">"timeout", or why its update was refused.</param>
/// <param name="Refused">The refusal's code (<see cref="RefusalReason.Unspecified"/> for a timeout).</param>
public sealed record FederationMiss(int Round, string DeviceId, string Reason, RefusalReason Refused);

/// <summary>What a device reported with an accepted update: its planned compute and upload time and energy.</summary>
/// <param name="Round">Fine-tuning round n.</param>
/// <param name="DeviceId">The device.</param>
/// <param name="ComputeS">Compute time, s.</param>
/// <param name="UploadS">Upload time, s.</param>
/// <param name="EnergyJ">Compute plus upload energy, J.</param>
/// <param name="WaitedS">Wall-clock seconds from the round's opening to the update's arrival.</param>
public sealed record DeviceReport(int Round, string DeviceId, double ComputeS, double UploadS, double EnergyJ, double WaitedS);

/// <summary>What the fine-tuning rounds of a federation cost in wall-clock time and traffic.</summary>
/// <param name="RoundSeconds">Wall-clock seconds from each round's opening to its closing, in order.</param>
/// <param name="Assignments">Assignments sent.</param>
/// <param name="AssignmentBytes">Their serialized size, bytes (the model dominates).</param>
/// <param name="Updates">Updates accepted.</param>
/// <param name="UpdateBytes">Their serialized size, bytes (the gradient dominates).</param>
public sealed record FederationTraffic(IReadOnlyList<double> RoundSeconds, long Assignments, long AssignmentBytes, long Updates, long UpdateBytes);

/// <summary>
/// The server's side of the fine-tuning rounds of a real federation, independent of the transport: it is the
/// <see cref="IDeviceFleet"/> of the server's <c>TwoStageTrainer</c>. Each round it publishes an assignment (the global
/// model and each device's planned batch, frequency and power), accepts each device's update once, refusing — each
/// with a log line — an update for another round, run or model, a duplicate, one of the wrong length and one holding a
/// NaN or an infinity, and closes the round when every device delivered or the wall-clock round timeout passed; a
/// device that missed it is recorded and left out of that round's aggregate (the trainer renormalises the others'
/// weights).
/// </summary>
/// <remarks>Thread-safe: the gRPC service calls it from many requests while the trainer's thread waits in
/// <see cref="ComputeRound"/>.</remarks>
public sealed class RoundCoordinator : IDeviceFleet
{
    private readonly object _gate = new();
    private readonly Scenario _scenario;
    private readonly Plan _plan;
    private readonly RunIdentity _identity;
    private readonly Dictionary<string, int> _index;
    private readonly float[][] _gradients;
    private readonly double[] _losses;
    private readonly bool[] _received;
    private readonly FederationMiss?[] _refused;
    private readonly int _parameterCount;
    private readonly Action<string> _log;
    private readonly TimeProvider _clock;
    private readonly List<FederationMiss> _misses = [];
    private readonly List<DeviceReport> _reports = [];
    private readonly Dictionary<int, RoundResult> _results = [];
    private readonly HashSet<string> _registered = new(StringComparer.Ordinal);
    private readonly HashSet<string> _toldDone = new(StringComparer.Ordinal);
    private readonly List<double> _roundSeconds = [];
    private long _assignmentBytes;
    private long _assignments;
    private long _updateBytes;
    private TaskCompletionSource _changed = NewSignal();
    private TaskCompletionSource _allIn = NewSignal();
    private int _round;
    private bool _open;
    private int _pending;
    private long _openedAt;
    private byte[] _model = [];
    private string _modelSha256 = "";

    /// <summary>Prepares the rounds of one run.</summary>
    /// <param name="scenario">The scenario (device ids and order, ρk).</param>
    /// <param name="plan">The plan (each device's batch, frequency and power; the round deadline).</param>
    /// <param name="identity">The run's identity, which registrations must match.</param>
    /// <param name="runId">The run's id (the state file's).</param>
    /// <param name="roundTimeout">Wall-clock time a round waits for updates.</param>
    /// <param name="log">Receives one line per refusal, miss and registration.</param>
    /// <param name="clock">Measures the waits.</param>
    public RoundCoordinator(Scenario scenario, Plan plan, RunIdentity identity, string runId, TimeSpan roundTimeout, Action<string> log, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(roundTimeout, TimeSpan.Zero);
        _scenario = scenario;
        _plan = plan;
        _identity = identity;
        RunId = runId;
        RoundTimeout = roundTimeout;
        _log = log;
        _clock = clock;
        _parameterCount = checked((int)identity.ModelParameters);
        int k = scenario.Devices.Count;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < k; i++)
        {
            _index[scenario.Devices[i].Id] = i;
        }

        _gradients = new float[k][];
        _losses = new double[k];
        _received = new bool[k];
        _refused = new FederationMiss?[k];
        RoundDeadlineS = plan.Devices.Count == 0 ? 0 : CostModel.FinetuneRound(scenario, plan.Devices).Round.DelayS;
    }

    /// <summary>The run's id.</summary>
    public string RunId { get; }

    /// <summary>Wall-clock time a round waits for updates.</summary>
    public TimeSpan RoundTimeout { get; }

    /// <summary>The plan's simulated fine-tuning round time t_FT, s (the assignment's deadline).</summary>
    public double RoundDeadlineS { get; }

    /// <summary>Whether the plan is finished (devices are told to exit).</summary>
    public bool Done { get; private set; }

    /// <summary>Every miss so far, in order.</summary>
    public IReadOnlyList<FederationMiss> Misses
    {
        get
        {
            lock (_gate)
            {
                return [.. _misses];
            }
        }
    }

    /// <summary>Every accepted update's report so far, in order of arrival.</summary>
    public IReadOnlyList<DeviceReport> Reports
    {
        get
        {
            lock (_gate)
            {
                return [.. _reports];
            }
        }
    }

    /// <summary>Whether <paramref name="id"/> is one of the scenario's devices.</summary>
    /// <param name="id">A device id.</param>
    /// <returns>True when it is.</returns>
    public bool IsDevice(string id) => _index.ContainsKey(id);

    /// <summary>Registers a device (again after a reconnect), or refuses it when its run identity differs.</summary>
    /// <param name="id">The authenticated device id (one of the scenario's).</param>
    /// <param name="request">Its registration.</param>
    /// <returns>The reply.</returns>
    public RegisterReply Register(string id, RegisterRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reply = new RegisterReply
        {
            ProtocolVersion = RunIdentity.ProtocolVersion,
            RunId = RunId,
            PretrainRounds = (uint)_plan.PretrainRounds,
            FinetuneRounds = (uint)_plan.FinetuneRounds,
            ModelParameters = (ulong)_parameterCount,
            DeviceIndex = (uint)_index[id],
        };
        var device = new RunIdentity(request.ScenarioSha256, (long)request.ModelParameters, request.Seed, request.DataOptionsSha256);
        var differences = _identity.Differences(device, request.ProtocolVersion);
        if (differences.Count > 0)
        {
            reply.Refused = RefusalReason.Mismatch;
            reply.Reason = $"{id} cannot join this run: {string.Join("; ", differences)}.";
            _log($"refused registration of {id}: {string.Join("; ", differences)}.");
            return reply;
        }

        lock (_gate)
        {
            if (_registered.Add(id))
            {
                _log($"registered {id} ({_registered.Count} of {_index.Count} devices).");
            }
        }

        return reply;
    }

    /// <summary>Where the run stands, for a heartbeat.</summary>
    /// <returns>The reply.</returns>
    public HeartbeatReply Heartbeat()
    {
        lock (_gate)
        {
            return new HeartbeatReply { CurrentRound = (uint)_round, Done = Done, RunId = RunId };
        }
    }

    /// <summary>Waits until device <paramref name="id"/> has something to do: an open round it has not delivered to
    /// (normally the one after <paramref name="afterRound"/>; after a server restart possibly one it answered before the
    /// crash), or the end of the run; or until <paramref name="wait"/> passes (then round 0: ask again).</summary>
    /// <param name="id">The authenticated device id.</param>
    /// <param name="afterRound">The last round the device worked on.</param>
    /// <param name="wait">How long to hold the call.</param>
    /// <param name="cancellationToken">The call's cancellation.</param>
    /// <returns>The assignment; round 0 and done false when there is nothing yet.</returns>
    public async Task<Assignment> NextAssignmentAsync(string id, uint afterRound, TimeSpan wait, CancellationToken cancellationToken)
    {
        int k = _index[id];
        long until = _clock.GetTimestamp() + (long)(wait.TotalSeconds * _clock.TimestampFrequency);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (Done)
                {
                    _toldDone.Add(id);
                    Signal();
                    return new Assignment { Done = true, RunId = RunId };
                }

                // Any open round the device has not delivered to: a server restarted from its state file reopens the
                // first uncommitted round, which can be before rounds the device answered (commits trail by a few).
                if (_open && !_received[k])
                {
                    var device = _plan.Devices[k];
                    var assignment = new Assignment
                    {
                        Round = (uint)_round,
                        Model = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(_model), // a new array every round, never written after
                        Batch = (uint)device.Batch,
                        FrequencyHz = device.FrequencyHz,
                        PowerW = device.PowerW,
                        DeadlineS = RoundDeadlineS,
                        WallTimeoutS = RoundTimeout.TotalSeconds,
                        RunId = RunId,
                        ModelSha256 = _modelSha256,
                    };
                    _assignmentBytes += assignment.CalculateSize();
                    _assignments++;
                    return assignment;
                }

                changed = _changed.Task;
            }

            var left = TimeSpan.FromSeconds((until - _clock.GetTimestamp()) / (double)_clock.TimestampFrequency);
            if (left <= TimeSpan.Zero)
            {
                return new Assignment { RunId = RunId };
            }

            await WaitForChangeAsync(changed, left, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Accepts or refuses device <paramref name="id"/>'s update.</summary>
    /// <param name="id">The authenticated device id.</param>
    /// <param name="update">The update.</param>
    /// <returns>The reply; a refusal is also logged.</returns>
    public UploadReply Upload(string id, Update update)
    {
        ArgumentNullException.ThrowIfNull(update);
        int k = _index[id];
        lock (_gate)
        {
            if (update.RunId != RunId || update.Round != _round || !_open || update.ModelSha256 != _modelSha256)
            {
                string why = update.RunId != RunId
                    ? $"it names run {Quote(update.RunId)}, this is run {RunId}"
                    : update.Round != _round || !_open
                        ? $"round {update.Round} is not open (the server {(_open ? "is in" : "last opened")} round {_round})"
                        : "it was computed at another model than the round's (an assignment from before a server restart)";
                return Refuse(id, update.Round, RefusalReason.PastRound, why);
            }

            if (_received[k])
            {
                return Refuse(id, update.Round, RefusalReason.Duplicate, $"{id} already uploaded for round {_round}");
            }

            var gradient = _gradients[k] ??= new float[_parameterCount];
            if (update.Gradient.Length != (long)_parameterCount * PackedFloats.BytesPerValue)
            {
                return Refuse(id, update.Round, RefusalReason.WrongLength,
                    $"the gradient has {update.Gradient.Length} bytes; it must have {(long)_parameterCount * PackedFloats.BytesPerValue} ({_parameterCount} float32 values, model.uploadBits / 8)");
            }

            if (!PackedFloats.TryDecode(update.Gradient.Span, gradient, out string? reason) || !double.IsFinite(update.Loss))
            {
                return Refuse(id, update.Round, RefusalReason.NotFinite, reason ?? $"its loss is {update.Loss}, not a finite number");
            }

            _received[k] = true;
            _losses[k] = update.Loss;
            double waited = (_clock.GetTimestamp() - _openedAt) / (double)_clock.TimestampFrequency;
            _reports.Add(new DeviceReport(_round, id, update.ComputeS, update.UploadS, update.EnergyJ, waited));
            _updateBytes += update.CalculateSize();
            if (--_pending == 0)
            {
                _allIn.TrySetResult();
            }

            return new UploadReply { Accepted = true };
        }
    }

    /// <summary>Refuses an update whose message is larger than the server accepts, before decoding it.</summary>
    /// <param name="id">The authenticated device id.</param>
    /// <param name="round">The round it names.</param>
    /// <param name="bytes">The message's size.</param>
    /// <param name="limit">The largest message accepted.</param>
    /// <returns>The refusal.</returns>
    public UploadReply RefuseOversized(string id, uint round, long bytes, long limit)
    {
        lock (_gate)
        {
            return Refuse(id, round, RefusalReason.Oversized, $"the message of {bytes} bytes is larger than the {limit} bytes the server accepts");
        }
    }

    /// <summary>An oversized message, refused by the transport before it reached <see cref="Upload"/>: logged and recorded.</summary>
    /// <param name="id">The authenticated device id, when known.</param>
    /// <param name="bytes">The message's size, when known.</param>
    /// <param name="limit">The largest message accepted.</param>
    public void RecordOversized(string? id, long? bytes, long limit) =>
        _log($"refused an update from {id ?? "a device"}: the message{(bytes is { } b ? $" of {b} bytes" : "")} is larger than the {limit} bytes the server accepts (oversized).");

    /// <summary>The result of a closed fine-tuning round, once the trainer published it (null before).</summary>
    /// <param name="round">Fine-tuning round n.</param>
    /// <returns>The result.</returns>
    public RoundResult? Result(int round)
    {
        lock (_gate)
        {
            return _results.GetValueOrDefault(round);
        }
    }

    /// <summary>Publishes a closed round's cost and measurements (<see cref="Result"/>).</summary>
    /// <param name="round">Fine-tuning round n.</param>
    /// <param name="delayS">Its simulated delay, s.</param>
    /// <param name="energyJ">Its simulated energy, J.</param>
    /// <param name="trainingLoss">Σ ρk loss_k over the aggregated devices (null: none).</param>
    /// <param name="gradientNormSquared">|∇F|² at the round's model.</param>
    public void Publish(int round, double delayS, double energyJ, double? trainingLoss, double gradientNormSquared)
    {
        lock (_gate)
        {
            if (!_results.TryGetValue(round, out var closed))
            {
                return;
            }

            // A published message may be mid-serialisation on a gRPC thread (its size computed, its bytes not yet
            // written): it is never changed, only replaced by a completed copy.
            var result = closed.Clone();
            result.DelayS = delayS;
            result.EnergyJ = energyJ;
            result.TrainingLoss = trainingLoss ?? 0;
            result.GradientNormSquared = gradientNormSquared;
            _results[round] = result;
        }
    }

    /// <summary>What the federation's rounds cost in wall-clock time and traffic so far.</summary>
    public FederationTraffic Traffic
    {
        get
        {
            lock (_gate)
            {
                return new FederationTraffic([.. _roundSeconds], _assignments, _assignmentBytes, _reports.Count, _updateBytes);
            }
        }
    }

    /// <summary>Takes back the misses of rounds committed before a restart (they are in the state file).</summary>
    /// <param name="misses">The committed rounds' misses, in order.</param>
    public void RestoreMisses(IEnumerable<FederationMiss> misses)
    {
        lock (_gate)
        {
            _misses.AddRange(misses);
        }
    }

    /// <summary>The misses of fine-tuning round <paramref name="round"/>.</summary>
    /// <param name="round">n.</param>
    /// <returns>Its misses, in device order.</returns>
    public IReadOnlyList<FederationMiss> MissesOf(int round)
    {
        lock (_gate)
        {
            return [.. _misses.Where(m => m.Round == round)];
        }
    }

    /// <summary>Waits until every registered device has been told that the plan is done, or <paramref name="grace"/> passed.</summary>
    /// <param name="grace">The longest wait.</param>
    /// <returns>Whether every registered device was told.</returns>
    public async Task<bool> WaitUntilDevicesKnowAsync(TimeSpan grace)
    {
        long until = _clock.GetTimestamp() + (long)(grace.TotalSeconds * _clock.TimestampFrequency);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_registered.IsSubsetOf(_toldDone))
                {
                    return true;
                }

                changed = _changed.Task;
            }

            var left = TimeSpan.FromSeconds((until - _clock.GetTimestamp()) / (double)_clock.TimestampFrequency);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            await WaitForChangeAsync(changed, left, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the run: every waiting and later assignment call answers done.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            Done = true;
            _open = false;
            Signal();
        }

        _log("the plan is done; devices are told to exit.");
    }

    /// <inheritdoc/>
    public void ComputeRound(int round, ReadOnlySpan<float> parameters, Span<bool> delivered, CancellationToken cancellationToken)
    {
        byte[] model = PackedFloats.Encode(parameters);
        Task allIn;
        lock (_gate)
        {
            _round = round;
            _model = model;
            _modelSha256 = Convert.ToHexStringLower(SHA256.HashData(model));
            Array.Clear(_received);
            Array.Clear(_refused);
            _pending = _received.Length;
            _allIn = NewSignal();
            allIn = _allIn.Task;
            _open = true;
            _openedAt = _clock.GetTimestamp();
            Signal();
        }

        bool complete;
        try
        {
            complete = allIn.Wait(RoundTimeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                _open = false;
                Signal();
            }

            throw;
        }

        lock (_gate)
        {
            _open = false;
            _roundSeconds.Add((_clock.GetTimestamp() - _openedAt) / (double)_clock.TimestampFrequency);
            var result = new RoundResult { Round = (uint)round };
            for (int k = 0; k < _received.Length; k++)
            {
                delivered[k] = _received[k];
                string id = _scenario.Devices[k].Id;
                if (_received[k])
                {
                    result.Aggregated.Add(id);
                    continue;
                }

                var miss = _refused[k] ?? new FederationMiss(round, id, "timeout", RefusalReason.Unspecified);
                _misses.Add(miss);
                result.Missed.Add(new Miss { DeviceId = id, Reason = miss.Reason, Refused = miss.Refused });
            }

            _results[round] = result;
            Signal();
            if (!complete)
            {
                string missing = string.Join(", ", result.Missed.Take(10).Select(m => m.DeviceId)) + (result.Missed.Count > 10 ? $" and {result.Missed.Count - 10} more" : "");
                _log(result.Aggregated.Count == 0
                    ? $"round {round} closed after the {RoundTimeout.TotalSeconds:G4} s round timeout without any update (missing {missing}); the model stays as it was."
                    : $"round {round} closed after the {RoundTimeout.TotalSeconds:G4} s round timeout without {missing}; aggregated {result.Aggregated.Count} of {_received.Length} devices with their weights renormalised.");
            }
        }
    }

    /// <inheritdoc/>
    public ReadOnlySpan<float> Gradient(int device) => _gradients[device];

    /// <inheritdoc/>
    public double Loss(int device) => _losses[device];

    private UploadReply Refuse(string id, uint round, RefusalReason code, string why)
    {
        _log($"refused an update from {id} for round {round}: {why} ({ReasonName(code)}).");
        if (code is not (RefusalReason.PastRound or RefusalReason.Duplicate) && round == _round && _open)
        {
            _refused[_index[id]] = new FederationMiss((int)round, id, why, code);
        }

        return new UploadReply { Accepted = false, Refused = code, Reason = why };
    }

    /// <summary>The contract's name of a refusal code, e.g. <c>wrong-length</c>.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The name.</returns>
    public static string ReasonName(RefusalReason code) => code switch
    {
        RefusalReason.WrongLength => "wrong-length",
        RefusalReason.NotFinite => "not-finite",
        RefusalReason.PastRound => "past-round",
        RefusalReason.Duplicate => "duplicate",
        RefusalReason.Oversized => "oversized",
        RefusalReason.Mismatch => "mismatch",
        _ => "unspecified",
    };

    private static string Quote(string value) => value.Length == 0 ? "\"\"" : $"\"{value}\"";

    /// <summary>Waits for <paramref name="changed"/> at most <paramref name="left"/>; the wait's timer is released as
    /// soon as it ends (a long poll woken by a new round leaves no timer behind).</summary>
    private async Task WaitForChangeAsync(Task changed, TimeSpan left, CancellationToken cancellationToken)
    {
        try
        {
            await changed.WaitAsync(left, _clock, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private void Signal()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
