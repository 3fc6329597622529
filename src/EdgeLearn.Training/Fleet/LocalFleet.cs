using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Training.Fleet;

/// <summary>The simulated devices of <c>train</c>: one <see cref="DeviceWorker"/> per device in the trainer's process,
/// computing in parallel on <see cref="TrainingOptions.Parallelism"/> threads; every device always delivers.</summary>
internal sealed class LocalFleet : IDeviceFleet
{
    private readonly DeviceWorker[] _workers;
    private readonly double[] _losses;
    private readonly float[] _model;
    private readonly ParallelOptions _parallel;
    private readonly Action<int> _body;
    private int _round;

    public LocalFleet(Scenario scenario, Plan plan, TrainingData data, TrainingOptions options)
    {
        _workers = new DeviceWorker[scenario.Devices.Count];
        for (int k = 0; k < _workers.Length; k++)
        {
            _workers[k] = DeviceWorker.Create(scenario, plan, data, k, options);
        }

        _losses = new double[_workers.Length];
        _model = new float[_workers.Length == 0 ? 0 : _workers[0].ParameterCount];
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism };
        _body = Compute;
    }

    public void ComputeRound(int round, ReadOnlySpan<float> parameters, Span<bool> delivered, CancellationToken cancellationToken)
    {
        parameters.CopyTo(_model);
        _round = round;
        if (_parallel.MaxDegreeOfParallelism == 1)
        {
            for (int k = 0; k < _workers.Length; k++)
            {
                Compute(k);
            }
        }
        else
        {
            Parallel.For(0, _workers.Length, _parallel, _body);
        }

        delivered.Fill(true);
    }

    public ReadOnlySpan<float> Gradient(int device) => _workers[device].Gradient;

    public double Loss(int device) => _losses[device];

    private void Compute(int k) => _losses[k] = _workers[k].Compute(_round, _model);
}
