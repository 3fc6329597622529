using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using EdgeLearn.Costs;
using EdgeLearn.Federation.Protocol;
using EdgeLearn.Federation.Security;
using EdgeLearn.Federation.Server;
using EdgeLearn.Scenarios;
using EdgeLearn.Training.Fleet;
using Grpc.Core;
using Grpc.Net.Client;

namespace EdgeLearn.Federation.Device;

/// <summary>Options of a device agent process.</summary>
public sealed record DeviceAgentOptions
{
    /// <summary>The server's address, e.g. <c>https://127.0.0.1:50051</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>Each device's kit for mutual TLS; null connects in plaintext (<c>--insecure</c>).</summary>
    public Func<string, CertificateKit>? Certificates { get; init; }

    /// <summary>How long a device keeps trying to reach a server it lost (or never reached) before it gives up; default 10 min.</summary>
    public TimeSpan RetryFor { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>First wait before a reconnect; it doubles up to <see cref="MaxBackoff"/>; default 0.25 s.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(0.25);

    /// <summary>Longest wait between two reconnects; default 5 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gradients computed at once by this process (its hosted devices share the cores); default 2.</summary>
    public int ComputeThreads { get; init; } = 2;

    /// <summary>Receives one line per join, refusal, lost connection and end.</summary>
    public Action<string> Log { get; init; } = _ => { };

    /// <summary>Clock of the waits and of the certificate checks.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>
/// The device side of a real federation: hosts one or more devices, each of which registers with the server (its run
/// identity must match), then repeatedly takes its assignment, computes its planned-batch gradient at the received
/// model with the same <see cref="DeviceWorker"/> as <c>train</c> (its own shard; minibatches from (seed, id, round)),
/// uploads it as packed float32 with its planned compute and upload time and energy from the cost model, and exits
/// when the server says the plan is done. A lost server is retried with exponential backoff (a server restarted on
/// its state file is rejoined where it stands).
/// </summary>
public sealed class DeviceAgent
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly Scenario _scenario;
    private readonly IReadOnlyList<DeviceWorker> _workers;
    private readonly RunIdentity _identity;
    private readonly DeviceAgentOptions _options;
    private readonly SemaphoreSlim _compute;

    /// <summary>Prepares the devices of <paramref name="workers"/>.</summary>
    /// <param name="scenario">The scenario (the same file as the server's).</param>
    /// <param name="workers">One worker per hosted device (<see cref="DeviceWorker.Create(Scenario, EdgeLearn.Training.TrainingData, int, int, EdgeLearn.Training.TrainingOptions)"/>
    /// on the run's data, options and seed); each holds only its device's shard.</param>
    /// <param name="identity">What the devices tell the server at registration.</param>
    /// <param name="options">Server, certificates, backoff.</param>
    public DeviceAgent(Scenario scenario, IReadOnlyList<DeviceWorker> workers, RunIdentity identity, DeviceAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        _scenario = scenario;
        _workers = workers;
        _identity = identity;
        _options = options;
        _compute = new SemaphoreSlim(Math.Max(1, options.ComputeThreads));
    }

    /// <summary>Runs every hosted device until the plan is done.</summary>
    /// <param name="cancellationToken">Stops the devices.</param>
    /// <returns>0 when every device saw the plan finish; 2 when a device was refused (its identity or certificate); 1
    /// when a device gave up reaching the server.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var devices = _workers.Select(worker => Task.Run(() => RunDeviceAsync(worker, cancellationToken), cancellationToken)).ToArray();
        int[] codes = await Task.WhenAll(devices).ConfigureAwait(false);
        return codes.Contains(2) ? 2 : codes.Max();
    }

    private async Task<int> RunDeviceAsync(DeviceWorker worker, CancellationToken cancellationToken)
    {
        string id = worker.Id;
        using var channel = Channel(id);
        var client = new Protocol.Federation.FederationClient(channel);
        var clock = _options.Clock;
        float[] model = new float[_identity.ModelParameters];
        byte[] gradient = new byte[_identity.ModelParameters * PackedFloats.BytesPerValue];
        string? runId = null;
        uint after = 0;
        var backoff = _options.InitialBackoff;
        long lastContact = clock.GetTimestamp();
        bool lost = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (runId is null)
                {
                    var joined = await client.RegisterAsync(Registration(id), deadline: Deadline(), cancellationToken: cancellationToken);
                    if (joined.Refused != RefusalReason.Unspecified)
                    {
                        _options.Log($"{id}: the server refused the registration: {joined.Reason}");
                        return 2;
                    }

                    runId = joined.RunId;
                    _options.Log(lost ? $"{id}: reconnected to run {runId}." : $"{id}: joined run {runId} as device {joined.DeviceIndex} of {_scenario.Devices.Count}.");
                    lost = false;
                }

                var assignment = await client.GetAssignmentAsync(new AssignmentRequest { DeviceId = id, AfterRound = after },
                    deadline: Deadline(), cancellationToken: cancellationToken);
                lastContact = clock.GetTimestamp();
                backoff = _options.InitialBackoff;
                if (assignment.Done)
                {
                    _options.Log($"{id}: the plan is done; exiting.");
                    return 0;
                }

                if (assignment.RunId != runId)
                {
                    runId = null;
                    continue;
                }

                if (assignment.Round == 0)
                {
                    await client.HeartbeatAsync(new HeartbeatRequest { DeviceId = id, LastRound = after }, deadline: Deadline(), cancellationToken: cancellationToken);
                    continue;
                }

                worker.UseBatch((int)assignment.Batch);
                var update = await ComputeAsync(worker, assignment, model, gradient, cancellationToken).ConfigureAwait(false);
                update.DeviceId = id;
                var reply = await client.UploadAsync(update, deadline: Deadline(), cancellationToken: cancellationToken);
                if (!reply.Accepted)
                {
                    _options.Log($"{id}: the server refused the update of round {assignment.Round}: {reply.Reason}");
                }

                after = assignment.Round;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.PermissionDenied)
            {
                _options.Log($"{id}: the server denied it: {e.Status.Detail}");
                return 2;
            }
            catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
            {
                double silent = clock.GetElapsedTime(lastContact).TotalSeconds;
                if (silent > _options.RetryFor.TotalSeconds)
                {
                    _options.Log($"{id}: gave up after {silent:F0} s without reaching the server ({e.Status.Detail}).");
                    return 1;
                }

                if (!lost)
                {
                    _options.Log($"{id}: lost the server ({e.StatusCode}: {e.Status.Detail}); reconnecting with backoff.");
                    lost = true;
                }

                runId = null;
                await Task.Delay(backoff, clock, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
            }
        }

        DateTime Deadline() => DateTime.UtcNow + CallTimeout;
    }

    /// <summary>The device's gradient of the assignment's round, computed on one of the process's compute slots, packed
    /// into <paramref name="gradient"/> (the device's buffer: free again once the upload is answered).</summary>
    private async Task<Update> ComputeAsync(DeviceWorker worker, Assignment assignment, float[] model, byte[] gradient, CancellationToken cancellationToken)
    {
        if (!PackedFloats.TryDecode(assignment.Model.Span, model, out string? reason))
        {
            throw new RpcException(new Status(StatusCode.DataLoss, $"the round's model cannot be read: {reason}"));
        }

        await _compute.WaitAsync(cancellationToken).ConfigureAwait(false);
        double loss;
        try
        {
            // Already on a pool thread, and at most ComputeThreads of them compute at once: no extra hop.
            loss = worker.Compute((int)assignment.Round, model);
            PackedFloats.Encode(worker.Gradient, gradient);
        }
        finally
        {
            _compute.Release();
        }

        var device = _scenario.Devices[worker.Index];
        var cost = CostModel.DeviceRound(device, _scenario.Channel.NoisePsdWPerHz, _scenario.Model.UploadBits, assignment.Batch, assignment.FrequencyHz, assignment.PowerW);
        return new Update
        {
            Round = assignment.Round,
            Gradient = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(gradient), // not written again before the upload's reply
            Loss = loss,
            ComputeS = cost.ComputeTimeS,
            UploadS = cost.UploadTimeS,
            EnergyJ = cost.ComputeEnergyJ + cost.UploadEnergyJ,
            RunId = assignment.RunId,
            ModelSha256 = assignment.ModelSha256,
        };
    }

    private RegisterRequest Registration(string id) => new()
    {
        DeviceId = id,
        ScenarioSha256 = _identity.ScenarioSha256,
        ModelParameters = (ulong)_identity.ModelParameters,
        ProtocolVersion = RunIdentity.ProtocolVersion,
        Seed = _identity.Seed,
        DataOptionsSha256 = _identity.DataSha256,
    };

    /// <summary>A channel of its own per device (its client certificate), trusting only the federation's CA.</summary>
    private GrpcChannel Channel(string id)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            // A whole model fits the stream's receive window, so an assignment arrives without waiting for window updates.
            InitialHttp2StreamWindowSize = FederationServerHost.MaxMessageBytes(_identity.ModelParameters),
        };
        if (_options.Certificates is { } kits)
        {
            var kit = kits(id);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [kit.Certificate],
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is not null
                    && (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) == 0
                    && Provisioning.IsIssuedBy(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()),
                        kit.Authority, Provisioning.ServerAuthentication, _options.Clock.GetUtcNow()),
            };
        }

        int limit = FederationServerHost.MaxMessageBytes(_identity.ModelParameters);
        return GrpcChannel.ForAddress(_options.Server, new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = limit,
            MaxSendMessageSize = limit,
        });
    }
}
