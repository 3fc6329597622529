using BenchmarkDotNet.Attributes;
using EdgeLearn.Learning;

namespace EdgeLearn.Benchmarks.Learning;

/// <summary>
/// Training throughput of the managed engine: forward + backward + SGD update, in samples per second.
/// Every invocation trains on 256 samples (256 / Batch steps), so BenchmarkDotNet's per-operation time is the
/// time per training sample and the SamplesPerSecond column is its reciprocal.
/// The PyTorch peer is bench/peer/torch_throughput.py (same models, batches and thread counts).
/// </summary>
[Config(typeof(ThroughputConfig))]
public class TrainingThroughputBenchmarks
{
    private const int SamplesPerInvoke = 256;

    private Network _model = null!;
    private float[] _inputs = [];
    private int[] _labels = [];

    [Params("mlp", "cnn")]
    public string Model { get; set; } = "mlp";

    [Params(8, 32, 64, 256)]
    public int Batch { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var engine = new EngineOptions { ThreadCount = Threads };
        _model = Model == "mlp" ? Mlp.Create(seed: 1, engine: engine) : LeNet.Create(seed: 1, engine: engine);
        var random = new Random(2);
        _inputs = new float[SamplesPerInvoke * _model.InputSize];
        for (int i = 0; i < _inputs.Length; i++)
        {
            _inputs[i] = (float)random.NextDouble();
        }

        _labels = new int[SamplesPerInvoke];
        for (int i = 0; i < _labels.Length; i++)
        {
            _labels[i] = random.Next(10);
        }
    }

    [Benchmark(OperationsPerInvoke = SamplesPerInvoke)]
    public float TrainStep()
    {
        float loss = 0;
        int size = _model.InputSize;
        for (int start = 0; start < SamplesPerInvoke; start += Batch)
        {
            loss += Sgd.TrainStep(_model, _inputs.AsSpan(start * size, Batch * size), _labels.AsSpan(start, Batch), 0.01f);
        }

        return loss;
    }
}
