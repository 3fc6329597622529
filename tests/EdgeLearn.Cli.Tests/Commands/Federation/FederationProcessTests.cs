using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Federation.Protocol;
using EdgeLearn.Federation.Security;
using Grpc.Core;
using Grpc.Net.Client;
using FederationClient = EdgeLearn.Federation.Protocol.Federation.FederationClient;

namespace EdgeLearn.Cli.Tests.Commands.Federation;

/// <summary>
/// Real federations over loopback: an <c>edgelearn server</c> process and <c>edgelearn device</c> processes, with mutual
/// TLS, on synthetic data; every wait is bounded. They check that a federated run is the same algorithm as
/// <c>train</c> (bit-identical model and figures), that a killed device is dropped and rejoins, that a killed server
/// resumes from its state file without losing a committed round, every refusal, and 200 devices in 2 processes.
/// </summary>
[Collection(FederationProcessCollection.Name)]
public sealed class FederationProcessTests
{
    private static readonly TimeSpan Minutes = TimeSpan.FromMinutes(3);

    [Fact]
    public void Federation_NoFaults_IsBitIdenticalToTrainWithTheSamePlanDataAndSeed()
    {
        using var federation = new SmallFederation(pretrainRounds: 15, finetuneRounds: 25);
        string federated = federation.File("federated"), trained = federation.File("trained");

        var (server, address) = federation.StartServer(federation.File("state.db"), federated);
        using (server)
        using (var a = federation.StartDevices(address, "dev-0..dev-4"))
        using (var b = federation.StartDevices(address, "dev-5..dev-9"))
        {
            Assert.Equal(ExitCodes.Ok, server.Exit(Minutes).ExitCode);
            Assert.Equal(ExitCodes.Ok, a.Exit(Minutes).ExitCode);
            Assert.Equal(ExitCodes.Ok, b.Exit(Minutes).ExitCode);
            Assert.Contains(a.Lines, l => l == "dev-0: the plan is done; exiting.");
        }

        federation.Train(trained);

        Assert.Equal(File.ReadAllBytes(Path.Combine(trained, "model-final.bin")), File.ReadAllBytes(Path.Combine(federated, "model-final.bin")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(trained, "model-pretrained.bin")), File.ReadAllBytes(Path.Combine(federated, "model-pretrained.bin")));
        Assert.Equal(File.ReadAllText(Path.Combine(trained, "rounds.csv")), File.ReadAllText(Path.Combine(federated, "rounds.csv")));
        Assert.Equal(Figures(trained), Figures(federated));
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(federated, "federation.json")))!;
        Assert.Empty(report["misses"]!.AsArray());
        Assert.Equal(25, (int)report["finetuneRounds"]!);
        Assert.True((bool)report["secure"]!);
        // Each device sends a gradient of P float32 and a few fields (ids, hashes, costs: under 300 bytes).
        int parameters = (int)JsonNode.Parse(File.ReadAllText(Path.Combine(federated, "summary.json")))!["parameterCount"]!;
        Assert.InRange((double)report["updateBytesPerDevice"]!, 4 * parameters, (4 * parameters) + 300);
        Assert.InRange((double)report["assignmentBytesPerDevice"]!, 4 * parameters, (4 * parameters) + 300);
    }

    [Fact]
    public void Federation_DeviceKilledMidRun_RoundsCloseWithoutItTheMissIsRecordedAndItRejoins()
    {
        using var federation = new SmallFederation(pretrainRounds: 0, finetuneRounds: 150);
        string output = federation.File("run");
        var (server, address) = federation.StartServer(federation.File("state.db"), output, roundTimeoutS: 3);
        using (server)
        using (var rest = federation.StartDevices(address, "dev-0..dev-8"))
        {
            using var client = Client(address, federation.Certs);
            // With no pre-training and a 3 s timeout, the first rounds may close before the agents are up: the test
            // looks only at the rounds after the kill.
            using (var victim = federation.StartDevices(address, "dev-9"))
            {
                WaitForRound(client, 3);
                victim.Kill();
            }

            var missed = WaitForRound(client, 150, r => r.Missed.Any(m => m.DeviceId == "dev-9"), from: 4);
            Assert.Equal("timeout", Assert.Single(missed.Missed).Reason);
            Assert.Equal(9, missed.Aggregated.Count);
            using var back = federation.StartDevices(address, "dev-9");
            Assert.Equal(ExitCodes.Ok, server.Exit(Minutes).ExitCode);
            Assert.Equal(ExitCodes.Ok, back.Exit(Minutes).ExitCode);
            Assert.Equal(ExitCodes.Ok, rest.Exit(Minutes).ExitCode);
            Assert.Contains(back.Lines, l => l.StartsWith("dev-9: joined run", StringComparison.Ordinal));
            Assert.Contains(server.Lines, l => l.Contains($"round {missed.Round} closed after the 3 s round timeout without dev-9", StringComparison.Ordinal));
        }

        var misses = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "federation.json")))!["misses"]!.AsArray()
            .Where(m => (int)m!["round"]! > 3).ToList();
        Assert.NotEmpty(misses);
        Assert.All(misses, m => Assert.Equal("dev-9", (string)m!["device"]!));
        Assert.All(misses, m => Assert.Equal("timeout", (string)m!["reason"]!));
        Assert.True(misses.Count < 150 - 3, $"dev-9 missed {misses.Count} rounds: it did not rejoin");
    }

    [Fact]
    public void Federation_ServerKilledAndRestarted_ResumesAfterTheLastCommittedRoundAndEndsWithTrainsModel()
    {
        using var federation = new SmallFederation(pretrainRounds: 20, finetuneRounds: 200);
        string output = federation.File("run"), state = federation.File("state.db"), trained = federation.File("trained");
        int port = SmallFederation.FreePort();
        var (first, address) = federation.StartServer(state, output, port);
        using var a = federation.StartDevices(address, "dev-0..dev-4");
        using var b = federation.StartDevices(address, "dev-5..dev-9");
        using (first)
        {
            using var client = Client(address, federation.Certs);
            WaitForRound(client, 10);
            first.Kill();
        }

        Assert.False(Directory.Exists(output));
        var (second, again) = federation.StartServer(state, output, port);
        using (second)
        {
            Assert.Equal(address, again);
            var resumed = second.WaitFor(@"resuming run \w+ after round (\d+) of 220", Minutes);
            // Round 10's result was published, so global round 20 + 10 had been committed: nothing committed is lost.
            Assert.True(int.Parse(resumed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 30, resumed.Value);
            Assert.Equal(ExitCodes.Ok, second.Exit(Minutes).ExitCode);
        }

        Assert.Equal(ExitCodes.Ok, a.Exit(Minutes).ExitCode);
        Assert.Equal(ExitCodes.Ok, b.Exit(Minutes).ExitCode);
        Assert.Contains(a.Lines, l => l.StartsWith("dev-0: lost the server", StringComparison.Ordinal));
        Assert.Contains(a.Lines, l => l.StartsWith("dev-0: reconnected to run", StringComparison.Ordinal));
        // Every device was given the reopened rounds, also those it had answered before the crash: nobody was dropped.
        Assert.Empty(JsonNode.Parse(File.ReadAllText(Path.Combine(output, "federation.json")))!["misses"]!.AsArray());
        federation.Train(trained);
        Assert.Equal(File.ReadAllBytes(Path.Combine(trained, "model-final.bin")), File.ReadAllBytes(Path.Combine(output, "model-final.bin")));
        Assert.Equal(File.ReadAllText(Path.Combine(trained, "rounds.csv")), File.ReadAllText(Path.Combine(output, "rounds.csv")));
        Assert.Equal(Figures(trained), Figures(output));
    }

    [Fact]
    public void Server_EveryRefusal_IsAnsweredAndLoggedInOneLine()
    {
        using var federation = new SmallFederation(pretrainRounds: 0, finetuneRounds: 3);
        string strangers = federation.File("strangers");
        Assert.Equal(ExitCodes.Ok, CliRunner.Run("federation", "provision", "--scenario", federation.Scenario, "--out", strangers).ExitCode);
        var (server, address) = federation.StartServer(federation.File("state.db"), null, roundTimeoutS: 600);
        using (server)
        {
            using var dev0 = Client(address, federation.Certs, "dev-0", sendLimit: 64 << 20);
            var client = new FederationClient(dev0);
            var assignment = client.GetAssignment(new AssignmentRequest { DeviceId = "dev-0" }, deadline: Deadline());
            Assert.Equal(1u, assignment.Round);
            int bytes = assignment.Model.Length;
            Update Valid() => new()
            {
                DeviceId = "dev-0", Round = 1, RunId = assignment.RunId, ModelSha256 = assignment.ModelSha256, Loss = 1,
                Gradient = Google.Protobuf.ByteString.CopyFrom(new byte[bytes]),
            };

            // An id that is not the certificate's.
            var denied = Assert.Throws<RpcException>(() => client.Heartbeat(new HeartbeatRequest { DeviceId = "dev-1" }, deadline: Deadline()));
            Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
            server.WaitFor("refused a call from dev-0: it claims to be \"dev-1\"", Minutes);

            // A certificate of another federation's CA: refused during the handshake.
            using (var stranger = Client(address, strangers, "dev-0", trustFrom: federation.Certs))
            {
                Assert.Throws<RpcException>(() => new FederationClient(stranger).Heartbeat(new HeartbeatRequest { DeviceId = "dev-0" }, deadline: Deadline()));
            }

            server.WaitFor(@"refused a connection: its client certificate \(O=EdgeLearn device, CN=dev-0\) was not issued by this federation's CA .*\(unknown certificate\)", Minutes);

            var wrongLength = Valid();
            wrongLength.Gradient = Google.Protobuf.ByteString.CopyFrom(new byte[bytes - 4]);
            Assert.Equal(RefusalReason.WrongLength, client.Upload(wrongLength, deadline: Deadline()).Refused);
            server.WaitFor(@"refused an update from dev-0 for round 1: the gradient has \d+ bytes.*\(wrong-length\)", Minutes);

            var notFinite = Valid();
            notFinite.Gradient = Google.Protobuf.ByteString.CopyFrom(PackedFloats.Encode([.. new float[(bytes / 4) - 1], float.NaN]));
            Assert.Equal(RefusalReason.NotFinite, client.Upload(notFinite, deadline: Deadline()).Refused);
            server.WaitFor(@"refused an update from dev-0 for round 1: .*\(not-finite\)", Minutes);

            var oversized = Valid();
            oversized.Gradient = Google.Protobuf.ByteString.CopyFrom(new byte[bytes + (128 * 1024)]);
            Assert.Equal(RefusalReason.Oversized, client.Upload(oversized, deadline: Deadline()).Refused);
            server.WaitFor(@"refused an update from dev-0 for round 1: the message of \d+ bytes is larger than the \d+ bytes the server accepts \(oversized\)", Minutes);

            // Twice the limit is not even read: gRPC answers RESOURCE_EXHAUSTED from the length prefix and resets the
            // stream (a client still sending may see the reset first). Nothing is accepted either way.
            var huge = Valid();
            huge.Gradient = Google.Protobuf.ByteString.CopyFrom(new byte[(3 * bytes) + (256 * 1024)]);
            Assert.Throws<RpcException>(() => client.Upload(huge, deadline: Deadline()));

            var reply = client.Upload(Valid(), deadline: Deadline());
            Assert.True(reply.Accepted, reply.Reason);
            Assert.Equal(RefusalReason.Duplicate, client.Upload(Valid(), deadline: Deadline()).Refused);
            server.WaitFor(@"refused an update from dev-0 for round 1: dev-0 already uploaded for round 1 \(duplicate\)", Minutes);

            var past = Valid();
            past.Round = 0;
            Assert.Equal(RefusalReason.PastRound, client.Upload(past, deadline: Deadline()).Refused);
            server.WaitFor(@"refused an update from dev-0 for round 0: round 0 is not open .*\(past-round\)", Minutes);

            var registration = client.Register(new RegisterRequest { DeviceId = "dev-0", ProtocolVersion = 1, ScenarioSha256 = "0", Seed = 3 }, deadline: Deadline());
            Assert.Equal(RefusalReason.Mismatch, registration.Refused);
            Assert.Contains("its scenario differs from the server's", registration.Reason, StringComparison.Ordinal);
            server.WaitFor("refused registration of dev-0: .*its scenario differs", Minutes);
        }
    }

    [Fact]
    public void Federation_Insecure_WarnsOnBothSidesAndStillRunsThePlan()
    {
        using var federation = new SmallFederation(pretrainRounds: 2, finetuneRounds: 3);
        string output = federation.File("run");
        var (server, address) = federation.StartServer(federation.File("state.db"), output, insecure: true);
        using (server)
        using (var devices = federation.StartDevices(address, "dev-0..dev-9", insecure: true))
        {
            Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Ok, server.Exit(Minutes).ExitCode);
            Assert.Equal(ExitCodes.Ok, devices.Exit(Minutes).ExitCode);
            Assert.StartsWith("warning: --insecure: serving plaintext HTTP/2 without certificates", server.Lines[0], StringComparison.Ordinal);
            Assert.StartsWith("warning: --insecure: connecting in plaintext", devices.Lines[0], StringComparison.Ordinal);
        }

        Assert.False((bool)JsonNode.Parse(File.ReadAllText(Path.Combine(output, "federation.json")))!["secure"]!);
    }

    [Fact]
    public void Federation_200DevicesIn2Processes_CompletesEveryRoundWithBoundedMemory()
    {
        using var federation = new SmallFederation(pretrainRounds: 2, finetuneRounds: 5, devices: 200);
        string output = federation.File("run");
        var (server, address) = federation.StartServer(federation.File("state.db"), output);
        using (server)
        using (var a = federation.StartDevices(address, "dev-0..dev-99"))
        using (var b = federation.StartDevices(address, "dev-100..dev-199"))
        {
            long peakA = 0, peakB = 0, peakServer = 0;
            using var stop = new CancellationTokenSource();
            var watch = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    peakA = Math.Max(peakA, a.PeakMemoryBytes());
                    peakB = Math.Max(peakB, b.PeakMemoryBytes());
                    peakServer = Math.Max(peakServer, server.PeakMemoryBytes());
                    Thread.Sleep(100);
                }
            });
            watch.Start();
            int code = server.Exit(Minutes).ExitCode;
            stop.Cancel();
            watch.Join();

            Assert.Equal(ExitCodes.Ok, code);
            Assert.Equal(ExitCodes.Ok, a.Exit(Minutes).ExitCode);
            Assert.Equal(ExitCodes.Ok, b.Exit(Minutes).ExitCode);
            // 100 devices of a 1,050-parameter model and their shards are a few MB; the runtime and 100 TLS channels
            // dominate. A leak per device or round would show far above this.
            Assert.InRange(peakA, 0, 600L << 20);
            Assert.InRange(peakB, 0, 600L << 20);
            Assert.InRange(peakServer, 0, 800L << 20);
        }

        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "federation.json")))!;
        Assert.Equal(200, (int)report["devices"]!);
        Assert.Equal(5, (int)report["finetuneRounds"]!);
        Assert.Empty(report["misses"]!.AsArray());
    }

    /// <summary>summary.json without what differs by nature between two runs: the wall clock and the provenance.</summary>
    private static string Figures(string folder)
    {
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!.AsObject();
        summary.Remove("wallClockS");
        summary.Remove("provenance");
        return summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(30);

    /// <summary>Waits until fine-tuning round <paramref name="round"/> has closed, or with <paramref name="accept"/> the
    /// first round from <paramref name="from"/> up to <paramref name="round"/> that passes it, and returns its result.</summary>
    private static RoundResult WaitForRound(GrpcChannel channel, int round, Func<RoundResult, bool>? accept = null, int from = 1)
    {
        var client = new FederationClient(channel);
        var until = DateTime.UtcNow + Minutes;
        int next = accept is null ? round : from;
        while (DateTime.UtcNow < until)
        {
            try
            {
                var result = client.GetRoundResult(new RoundResultRequest { Round = (uint)next }, deadline: Deadline());
                if (accept is null || accept(result))
                {
                    return result;
                }

                next = Math.Min(next + 1, round);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                Thread.Sleep(20);
            }
        }

        throw new TimeoutException($"round {round} did not close within {Minutes.TotalMinutes} min.");
    }

    /// <summary>A gRPC channel with <paramref name="id"/>'s certificate from <paramref name="certs"/>, trusting the server
    /// of <paramref name="trustFrom"/> (default: the same federation).</summary>
    private static GrpcChannel Client(string address, string certs, string id = "dev-0", string? trustFrom = null, int sendLimit = 4 << 20)
    {
        var kit = CertificateKit.Device(certs, id);
        var trusted = CertificateKit.Device(trustFrom ?? certs, id).Authority;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [kit.Certificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null
                    && Provisioning.IsIssuedBy(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), trusted, Provisioning.ServerAuthentication, DateTimeOffset.UtcNow),
            },
        };
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, MaxSendMessageSize = sendLimit });
    }
}

/// <summary>The federation tests start several processes each: they run one at a time, not beside the other collections'.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FederationProcessCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "federation processes";
}
