using EdgeLearn.Federation.Protocol;
using EdgeLearn.Federation.Security;
using Grpc.Core;

namespace EdgeLearn.Federation.Server;

/// <summary>
/// The gRPC binding of the contract (proto/edgelearn/v1/federation.proto) on a <see cref="RoundCoordinator"/>. Every
/// call is authenticated: with mutual TLS the device is the common name of its client certificate, which Kestrel has
/// already checked against the federation's CA, and the request's <c>device_id</c> must be that id and one of the
/// scenario's devices, else the call fails with PERMISSION_DENIED and a log line. With <c>--insecure</c> the id is taken
/// on trust.
/// </summary>
internal sealed class FederationService(RoundCoordinator coordinator, bool insecure, int maxMessageBytes, Action<string> log) : Protocol.Federation.FederationBase
{
    /// <summary>How long an assignment call is held when there is nothing to do yet.</summary>
    public static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(20);

    public override Task<RegisterReply> Register(RegisterRequest request, ServerCallContext context) =>
        Task.FromResult(coordinator.Register(Authenticate(context, request.DeviceId), request));

    public override Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        Authenticate(context, request.DeviceId);
        return Task.FromResult(coordinator.Heartbeat());
    }

    public override Task<Assignment> GetAssignment(AssignmentRequest request, ServerCallContext context)
    {
        string id = Authenticate(context, request.DeviceId);
        var left = context.Deadline == DateTime.MaxValue ? LongPoll : context.Deadline - DateTime.UtcNow - TimeSpan.FromSeconds(1);
        return coordinator.NextAssignmentAsync(id, request.AfterRound, left < LongPoll ? left : LongPoll, context.CancellationToken);
    }

    public override Task<UploadReply> Upload(Update request, ServerCallContext context)
    {
        string id = Authenticate(context, request.DeviceId);
        int size = request.CalculateSize();
        return Task.FromResult(size > maxMessageBytes
            ? coordinator.RefuseOversized(id, request.Round, size, maxMessageBytes)
            : coordinator.Upload(id, request));
    }

    public override Task<RoundResult> GetRoundResult(RoundResultRequest request, ServerCallContext context)
    {
        return coordinator.Result((int)request.Round) is { } result
            ? Task.FromResult(result)
            : throw new RpcException(new Status(StatusCode.NotFound, $"round {request.Round} has not closed yet."));
    }

    /// <summary>The device the call acts for, or PERMISSION_DENIED.</summary>
    private string Authenticate(ServerCallContext context, string claimed)
    {
        string? id = claimed;
        if (!insecure)
        {
            var certificate = context.GetHttpContext().Connection.ClientCertificate;
            id = certificate is null ? null : Provisioning.DeviceId(certificate);
            if (id is null)
            {
                throw Deny($"refused a call for {Quote(claimed)}: its client certificate has no device subject (O={Provisioning.DeviceOrganization}, CN=ID).");
            }

            if (!string.Equals(id, claimed, StringComparison.Ordinal))
            {
                throw Deny($"refused a call from {id}: it claims to be {Quote(claimed)}, and a device may only act as the id of its certificate.");
            }
        }

        if (!coordinator.IsDevice(id))
        {
            throw Deny($"refused a call from {Quote(id)}: it is not a device of this run's scenario.");
        }

        return id;
    }

    private RpcException Deny(string line)
    {
        log(line);
        return new RpcException(new Status(StatusCode.PermissionDenied, line));
    }

    private static string Quote(string value) => $"\"{value}\"";
}
