using EdgeLearn.Federation.Protocol;
using EdgeLearn.Federation.Server;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using Google.Protobuf;

namespace EdgeLearn.Federation.Tests.Server;

/// <summary>The server's round logic without a network: assignments, acceptance, every refusal, timeouts and the end.</summary>
public sealed class RoundCoordinatorTests
{
    private const int Parameters = 6;

    private static readonly Scenario Scenario = DefaultScenario.Create() with
    {
        Devices = [.. DefaultScenario.Create().Devices.Take(3)],
    };

    private static readonly RunIdentity Identity = new("scenario-sha", Parameters, 1, "data-sha");

    private readonly List<string> _log = [];

    private RoundCoordinator Create(TimeSpan timeout) =>
        new(Scenario, Planner.Plan(Scenario).Plan!, Identity, "run-1", timeout, line => { lock (_log) _log.Add(line); }, TimeProvider.System);

    /// <summary>Runs a round on its own thread, as the server's trainer does (a blocked pool thread would starve the
    /// continuations of the assignment calls on a 2-core machine).</summary>
    private static Task RunRound(Action round) =>
        Task.Factory.StartNew(round, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Update UpdateFor(string id, Assignment a, params float[] gradient) => new()
    {
        DeviceId = id, Round = a.Round, RunId = a.RunId, ModelSha256 = a.ModelSha256, Loss = 0.5,
        Gradient = ByteString.CopyFrom(PackedFloats.Encode(gradient.Length == 0 ? new float[Parameters] : gradient)),
    };

    [Fact]
    public async Task ComputeRound_EveryDeviceUploads_DeliversAllWithTheirGradientsAndLosses()
    {
        var coordinator = Create(TimeSpan.FromSeconds(30));
        float[] model = [1, 2, 3, 4, 5, 6];
        var delivered = new bool[3];
        var round = RunRound(() => coordinator.ComputeRound(1, model, delivered, CancellationToken.None));

        for (int k = 0; k < 3; k++)
        {
            string id = Scenario.Devices[k].Id;
            var a = await coordinator.NextAssignmentAsync(id, 0, TimeSpan.FromSeconds(10), CancellationToken.None);
            Assert.Equal(1u, a.Round);
            var received = new float[Parameters];
            Assert.True(PackedFloats.TryDecode(a.Model.Span, received, out _));
            Assert.Equal(model, received);
            Assert.True(coordinator.Upload(id, UpdateFor(id, a, k, k, k, k, k, k)).Accepted);
        }

        await round.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([true, true, true], delivered);
        Assert.Equal([2f, 2, 2, 2, 2, 2], coordinator.Gradient(2).ToArray());
        Assert.Equal(0.5, coordinator.Loss(1));
        Assert.Empty(coordinator.Misses);
        Assert.Equal(3, coordinator.Traffic.Updates);
        Assert.Equal(["dev-0", "dev-1", "dev-2"], coordinator.Result(1)!.Aggregated);
    }

    [Fact]
    public async Task Publish_AResultAlreadyHandedOut_IsReplacedNeverChanged()
    {
        // gRPC serialises a reply in two steps (size, then bytes) on its own thread; changing a handed-out message in
        // between corrupts the frame ("Unexpected data after finished reading message", seen once in CI).
        var coordinator = Create(TimeSpan.FromSeconds(30));
        var round = RunRound(() => coordinator.ComputeRound(1, new float[Parameters], new bool[3], CancellationToken.None));
        foreach (var device in Scenario.Devices)
        {
            var a = await coordinator.NextAssignmentAsync(device.Id, 0, TimeSpan.FromSeconds(10), CancellationToken.None);
            Assert.True(coordinator.Upload(device.Id, UpdateFor(device.Id, a)).Accepted);
        }

        await round.WaitAsync(TimeSpan.FromSeconds(10));
        var handedOut = coordinator.Result(1)!;
        int size = handedOut.CalculateSize();

        coordinator.Publish(1, delayS: 1.5, energyJ: 2.5, trainingLoss: 0.25, gradientNormSquared: 3.5);

        Assert.Equal(size, handedOut.CalculateSize());
        Assert.Equal(0, handedOut.DelayS);
        var published = coordinator.Result(1)!;
        Assert.Equal((1.5, 2.5, 0.25, 3.5), (published.DelayS, published.EnergyJ, published.TrainingLoss, published.GradientNormSquared));
        Assert.Equal(handedOut.Aggregated, published.Aggregated);
    }

    [Fact]
    public async Task ComputeRound_ADeviceSilent_ClosesAtTheTimeoutRecordsTheMissAndRefusesItsLateUpdate()
    {
        var coordinator = Create(TimeSpan.FromSeconds(2)); // long enough for a starved test host to deliver the others
        var delivered = new bool[3];
        var round = RunRound(() => coordinator.ComputeRound(1, new float[Parameters], delivered, CancellationToken.None));
        var late = await coordinator.NextAssignmentAsync("dev-2", 0, TimeSpan.FromSeconds(10), CancellationToken.None);
        foreach (string id in new[] { "dev-0", "dev-1" })
        {
            var a = await coordinator.NextAssignmentAsync(id, 0, TimeSpan.FromSeconds(10), CancellationToken.None);
            Assert.True(coordinator.Upload(id, UpdateFor(id, a)).Accepted);
        }

        await round.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([true, true, false], delivered);
        var miss = Assert.Single(coordinator.Misses);
        Assert.Equal(new FederationMiss(1, "dev-2", "timeout", RefusalReason.Unspecified), miss);
        Assert.Contains(_log, l => l.StartsWith("round 1 closed after the 2 s round timeout without dev-2; aggregated 2 of 3 devices", StringComparison.Ordinal));
        var reply = coordinator.Upload("dev-2", UpdateFor("dev-2", late));
        Assert.Equal(RefusalReason.PastRound, reply.Refused);
        Assert.Contains(_log, l => l.StartsWith("refused an update from dev-2 for round 1: round 1 is not open", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upload_EachBadUpdate_IsRefusedWithItsReasonAndALogLine()
    {
        var coordinator = Create(TimeSpan.FromSeconds(30));
        var round = RunRound(() => coordinator.ComputeRound(1, new float[Parameters], new bool[3], CancellationToken.None));
        var a = await coordinator.NextAssignmentAsync("dev-0", 0, TimeSpan.FromSeconds(10), CancellationToken.None);

        var shortOne = UpdateFor("dev-0", a, 1, 2, 3);
        var notFinite = UpdateFor("dev-0", a, 0, 0, float.PositiveInfinity, 0, 0, 0);
        var badLoss = UpdateFor("dev-0", a);
        badLoss.Loss = double.NaN;
        var otherRun = UpdateFor("dev-0", a);
        otherRun.RunId = "run-0";
        var otherModel = UpdateFor("dev-0", a);
        otherModel.ModelSha256 = "abc";

        Assert.Equal(RefusalReason.WrongLength, coordinator.Upload("dev-0", shortOne).Refused);
        Assert.Equal(RefusalReason.NotFinite, coordinator.Upload("dev-0", notFinite).Refused);
        Assert.Equal(RefusalReason.NotFinite, coordinator.Upload("dev-0", badLoss).Refused);
        Assert.Equal(RefusalReason.PastRound, coordinator.Upload("dev-0", otherRun).Refused);
        Assert.Equal(RefusalReason.PastRound, coordinator.Upload("dev-0", otherModel).Refused);
        Assert.True(coordinator.Upload("dev-0", UpdateFor("dev-0", a)).Accepted);
        Assert.Equal(RefusalReason.Duplicate, coordinator.Upload("dev-0", UpdateFor("dev-0", a)).Refused);
        Assert.True(coordinator.Upload("dev-1", UpdateFor("dev-1", a)).Accepted);
        Assert.True(coordinator.Upload("dev-2", UpdateFor("dev-2", a)).Accepted);
        await round.WaitAsync(TimeSpan.FromSeconds(10)); // everyone delivered: the round closes at once

        Assert.Equal(6, _log.Count(l => l.StartsWith("refused an update from dev-0", StringComparison.Ordinal)));
        Assert.Contains(_log, l => l.Contains("the gradient has 12 bytes; it must have 24", StringComparison.Ordinal));
        Assert.Contains(_log, l => l.Contains("it names run \"run-0\", this is run run-1", StringComparison.Ordinal));
        // dev-0 delivered in the end, so its refusals are not misses.
        Assert.Empty(coordinator.Misses);
    }

    [Fact]
    public async Task NextAssignment_ARoundTheDeviceAnsweredBeforeARestart_IsGivenAgainUntilItDelivers()
    {
        var coordinator = Create(TimeSpan.FromSeconds(3));
        var round = RunRound(() => coordinator.ComputeRound(5, new float[Parameters], new bool[3], CancellationToken.None));

        // The device last worked on round 7 before the server restarted (its commits trailed): the server reopened round 5,
        // which the device has not delivered to this server yet.
        var again = await coordinator.NextAssignmentAsync("dev-1", 7, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(5u, again.Round);
        Assert.True(coordinator.Upload("dev-1", UpdateFor("dev-1", again)).Accepted);
        var nothing = await coordinator.NextAssignmentAsync("dev-1", 5, TimeSpan.FromMilliseconds(50), CancellationToken.None);
        Assert.Equal(0u, nothing.Round);
        Assert.False(nothing.Done);
        await round.WaitAsync(TimeSpan.FromSeconds(10));

        coordinator.Finish();
        Assert.True((await coordinator.NextAssignmentAsync("dev-1", 5, TimeSpan.FromSeconds(10), CancellationToken.None)).Done);
        Assert.True(coordinator.Heartbeat().Done);
    }

    [Fact]
    public void Register_AnotherScenarioSeedOrData_IsRefusedNamingEachDifference()
    {
        var coordinator = Create(TimeSpan.FromSeconds(1));
        var request = new RegisterRequest { DeviceId = "dev-0", ScenarioSha256 = "other", ModelParameters = Parameters, ProtocolVersion = 1, Seed = 2, DataOptionsSha256 = "data-sha" };

        var reply = coordinator.Register("dev-0", request);

        Assert.Equal(RefusalReason.Mismatch, reply.Refused);
        Assert.Equal("dev-0 cannot join this run: its scenario differs from the server's (another --scenario file); its seed is 2, the server's 1.", reply.Reason);
        request.ScenarioSha256 = "scenario-sha";
        request.Seed = 1;
        var accepted = coordinator.Register("dev-0", request);
        Assert.Equal(RefusalReason.Unspecified, accepted.Refused);
        Assert.Equal(0u, accepted.DeviceIndex);
        Assert.Equal("run-1", accepted.RunId);
    }
}
