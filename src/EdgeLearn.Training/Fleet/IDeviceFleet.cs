namespace EdgeLearn.Training.Fleet;

/// <summary>
/// The devices of a fine-tuning round, wherever they run: in the trainer's process (<c>edgelearn train</c>), or behind a
/// network (<c>edgelearn server</c>). <see cref="TwoStageTrainer"/> asks for a round's gradients, then aggregates the
/// devices that delivered, ρ-weighted in the scenario's device order.
/// </summary>
public interface IDeviceFleet
{
    /// <summary>Computes fine-tuning round <paramref name="round"/>: every device's gradient over its planned batch at
    /// <paramref name="parameters"/>, drawn from its stream for (seed, device id, round) (<see cref="DeviceWorker"/>).</summary>
    /// <param name="round">n, 1 to N.</param>
    /// <param name="parameters">The global model w_{M+n−1}.</param>
    /// <param name="delivered">Set to whether device k's gradient and loss are there (one entry per scenario device).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    void ComputeRound(int round, ReadOnlySpan<float> parameters, Span<bool> delivered, CancellationToken cancellationToken);

    /// <summary>Device k's gradient of the last round (valid when it delivered).</summary>
    /// <param name="device">k, in the scenario's order.</param>
    /// <returns>The mean gradient over its batch.</returns>
    ReadOnlySpan<float> Gradient(int device);

    /// <summary>Device k's mean minibatch loss of the last round, nats (valid when it delivered).</summary>
    /// <param name="device">k, in the scenario's order.</param>
    /// <returns>The loss.</returns>
    double Loss(int device);
}
