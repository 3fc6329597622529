using EdgeLearn.Learning;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using EdgeLearn.Training.Internal;

namespace EdgeLearn.Training.Fleet;

/// <summary>
/// What one device computes in a fine-tuning round: its planned batch b_k drawn from its own task data with the seed of
/// (run seed, device id, round) (<see cref="MinibatchSampler.Draw(int)"/>), and the mean gradient over it at the received
/// model, on a single-threaded copy of the model. The same code runs in <c>train</c>'s process and in a device agent, so
/// a federated round is bit-identical to an in-process one.
/// </summary>
/// <remarks>Buffers are allocated once (again only when the batch changes); a round allocates only its draw's
/// generator. A worker holds only its own shard of the data. Not thread-safe.</remarks>
public sealed class DeviceWorker
{
    private readonly Network _network;
    private readonly LabelledSet _shard;
    private readonly int _seed;
    private MinibatchSampler _sampler;

    private DeviceWorker(Network network, LabelledSet shard, int batch, int seed, string id, int index)
    {
        _network = network;
        _shard = shard;
        _sampler = new MinibatchSampler(shard, batch, 0);
        _seed = seed;
        Id = id;
        Index = index;
    }

    /// <summary>The device's id (the scenario's <c>devices[k].id</c>).</summary>
    public string Id { get; }

    /// <summary>k, the device's position in the scenario's order.</summary>
    public int Index { get; }

    /// <summary>The model's parameter count.</summary>
    public int ParameterCount => _network.ParameterCount;

    /// <summary>The batch b_k of every round (<see cref="UseBatch"/> changes it).</summary>
    public int Batch => _sampler.Batch;

    /// <summary>Images of the device's own task data.</summary>
    public int ShardSize => _shard.Count;

    /// <summary>The gradient of the last <see cref="Compute"/>.</summary>
    public ReadOnlySpan<float> Gradient => _network.Gradients;

    /// <summary>Prepares device <paramref name="device"/> of a run: its shard of <paramref name="data"/>, its batch in
    /// <paramref name="plan"/>, the model of <paramref name="options"/>.</summary>
    /// <param name="scenario">The scenario (device ids).</param>
    /// <param name="plan">The plan (the device's batch).</param>
    /// <param name="data">The run's data, built with the run's data options and seed.</param>
    /// <param name="device">k, 0 to K − 1.</param>
    /// <param name="options">The run's options (model, seed).</param>
    /// <returns>The worker.</returns>
    public static DeviceWorker Create(Scenario scenario, Plan plan, TrainingData data, int device, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfNegative(device);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(device, plan.Devices.Count);
        return Create(scenario, data, device, plan.Devices[device].Batch, options);
    }

    /// <summary>Prepares device <paramref name="device"/> of a run with batch <paramref name="batch"/> (a device agent
    /// learns it from its assignment).</summary>
    /// <param name="scenario">The scenario (device ids).</param>
    /// <param name="data">The run's data, built with the run's data options and seed.</param>
    /// <param name="device">k, 0 to K − 1.</param>
    /// <param name="batch">b_k, at least 1.</param>
    /// <param name="options">The run's options (model, seed).</param>
    /// <returns>The worker.</returns>
    public static DeviceWorker Create(Scenario scenario, TrainingData data, int device, int batch, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(device);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(device, Math.Min(scenario.Devices.Count, data.Devices.Count));
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var network = Models.Create(data, options, options.Seed, new EngineOptions { ThreadCount = 1 });
        return new DeviceWorker(network, data.Devices[device], batch, options.Seed, scenario.Devices[device].Id, device);
    }

    /// <summary>Computes with batch <paramref name="batch"/> from now on (a device agent learns its batch from the
    /// assignment); the draws of a round do not depend on the batch of earlier rounds.</summary>
    /// <param name="batch">b_k, at least 1.</param>
    public void UseBatch(int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (batch != _sampler.Batch)
        {
            _sampler = new MinibatchSampler(_shard, batch, 0);
        }
    }

    /// <summary>Computes the device's gradient of fine-tuning round <paramref name="round"/> at <paramref name="parameters"/>
    /// into <see cref="Gradient"/>.</summary>
    /// <param name="round">n, 1 to N.</param>
    /// <param name="parameters">The global model.</param>
    /// <returns>The mean loss over the batch, nats.</returns>
    public double Compute(int round, ReadOnlySpan<float> parameters)
    {
        parameters.CopyTo(_network.Parameters);
        _sampler.Draw(Seeds.ForDevice(_seed, Id, round));
        return _network.ComputeGradient(_sampler.Features, _sampler.Labels);
    }
}
