using System.Numerics.Tensors;
using EdgeLearn.Learning.Internal;

namespace EdgeLearn.Learning;

/// <summary>A feed-forward classifier built from <see cref="LayerSpec"/>s and trained with softmax cross-entropy; the managed <see cref="IModel"/> backend.</summary>
/// <remarks>
/// All parameters live in one flat <c>float[]</c> (layer by layer: weights then biases) and all gradients in another of
/// the same layout; layers only hold offsets into them, so <see cref="Clone"/> copies one array and shares the
/// immutable layer descriptions. Buffers are allocated for the largest batch seen and reused, so steady-state
/// training steps with one thread do not allocate. Not thread-safe: use one instance per thread.
/// </remarks>
public sealed unsafe class Network : IModel
{
    private const int EvaluationChunk = 256;

    /// <summary>Activation and back-propagation floats one pass may hold (768 KiB, well inside a 2 MiB L2);
    /// larger batches run as micro-batches of ⌊this / floats per sample⌋ samples (8 for LeNet, all 256 for the MLP).</summary>
    private const long ActivationBudgetFloats = 192 * 1024;

    private readonly Layer[] _layers;
    private readonly bool[] _reluFollows;
    private readonly float[] _parameters;
    private readonly float[] _gradients;
    private readonly Worker[] _workers;
    private readonly double[] _chunkLoss;
    private readonly Action<int> _chunkBody;
    private readonly Action<int> _reduceBody;
    private readonly ParallelOptions _parallel;
    private readonly long _multiplyAddsPerSample;
    private readonly int _microBatch;
    private float* _pinnedInputs;
    private int* _pinnedLabels;
    private int _pinnedBatch;
    private int _pinnedThreads;

    private Network(Layer[] layers, bool[] reluFollows, float[] parameters, EngineOptions options)
    {
        _layers = layers;
        _reluFollows = reluFollows;
        _parameters = parameters;
        _gradients = new float[parameters.Length];
        Options = options;
        _workers = new Worker[options.ThreadCount];
        _workers[0] = new Worker(layers, _gradients);
        for (int t = 1; t < _workers.Length; t++)
        {
            _workers[t] = new Worker(layers, new float[parameters.Length]);
        }

        _chunkLoss = new double[options.ThreadCount];
        long activationFloats = 0;
        int widest = layers[0].Input.Size;
        foreach (Layer layer in layers)
        {
            _multiplyAddsPerSample += layer.MultiplyAdds;
            activationFloats += layer.Output.Size;
            widest = Math.Max(widest, layer.Output.Size);
        }

        _microBatch = (int)Math.Clamp(ActivationBudgetFloats / (activationFloats + (2L * widest)), 1, EvaluationChunk);

        _chunkBody = RunChunk;
        _reduceBody = ReduceSlice;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = options.ThreadCount };
    }

    /// <summary>The engine options this model was built with.</summary>
    public EngineOptions Options { get; }

    /// <summary>Shape of one input sample.</summary>
    public TensorShape InputShape => _layers[0].Input;

    /// <inheritdoc/>
    public int ParameterCount => _parameters.Length;

    /// <inheritdoc/>
    public int InputSize => _layers[0].Input.Size;

    /// <inheritdoc/>
    public int ClassCount => _layers[^1].Output.Size;

    /// <inheritdoc/>
    public Span<float> Parameters => _parameters;

    /// <inheritdoc/>
    public Span<float> Gradients => _gradients;

    /// <summary>Builds a network and initialises its parameters from <paramref name="seed"/>.</summary>
    /// <param name="input">Shape of one input sample.</param>
    /// <param name="layers">Layers in order; the last must output one score per class (at least 2).</param>
    /// <param name="seed">Seed of the initialisation; equal seeds give bit-identical parameters.</param>
    /// <param name="options">Engine options; default <see cref="EngineOptions"/> (one thread).</param>
    /// <returns>The initialised network.</returns>
    /// <remarks>Weights of a layer followed (directly or after pooling/flatten) by a ReLU are He-uniform,
    /// U(±√(6/fan_in)) (He et al., ICCV 2015); others Glorot-uniform, U(±√(6/(fan_in + fan_out))) (Glorot and
    /// Bengio, AISTATS 2010); biases start at 0.</remarks>
    public static Network Create(TensorShape input, IReadOnlyList<LayerSpec> layers, int seed, EngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        options ??= new EngineOptions();
        ValidateOptions(options);

        if (input.Channels < 1 || input.Height < 1 || input.Width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(input), input, "Every input dimension must be at least 1.");
        }

        if (layers.Count == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        var built = new Layer[layers.Count];
        TensorShape shape = input;
        int offset = 0;
        for (int i = 0; i < layers.Count; i++)
        {
            built[i] = BuildLayer(layers[i], shape, offset, i);
            shape = built[i].Output;
            offset += built[i].ParameterCount;
        }

        if (shape.Size < 2)
        {
            throw new ArgumentException($"The last layer outputs {shape.Size} scores; a classifier needs at least 2.", nameof(layers));
        }

        var reluFollows = new bool[built.Length];
        for (int i = 0; i < built.Length; i++)
        {
            for (int j = i + 1; j < built.Length; j++)
            {
                if (built[j] is ReluLayer)
                {
                    reluFollows[i] = true;
                    break;
                }

                if (built[j].ParameterCount > 0)
                {
                    break;
                }
            }
        }

        var parameters = new float[offset];
        var random = new Random(seed);
        for (int i = 0; i < built.Length; i++)
        {
            built[i].Initialize(parameters.AsSpan(built[i].ParameterOffset, built[i].ParameterCount), random, reluFollows[i]);
        }

        return new Network(built, reluFollows, parameters, options);
    }

    /// <inheritdoc/>
    public IModel Clone() => CloneNetwork(Options);

    /// <summary>Creates an independent copy with the same parameters and different engine options; gradients start at zero.</summary>
    /// <param name="options">Engine options of the copy.</param>
    /// <returns>The copy.</returns>
    public Network CloneNetwork(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateOptions(options);

        return new Network(_layers, _reluFollows, (float[])_parameters.Clone(), options);
    }

    /// <inheritdoc/>
    public float ComputeGradient(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int batch = labels.Length;
        if (batch < 1)
        {
            throw new ArgumentException("A minibatch needs at least one sample.", nameof(labels));
        }

        CheckInputs(inputs, batch);
        int threads = ThreadsFor(batch);
        if (threads == 1)
        {
            return (float)Chunk(_workers[0], inputs, labels, batch);
        }

        fixed (float* x = inputs)
        fixed (int* y = labels)
        {
            _pinnedInputs = x;
            _pinnedLabels = y;
            _pinnedBatch = batch;
            _pinnedThreads = threads;
            try
            {
                Parallel.For(0, threads, _parallel, _chunkBody);
                Parallel.For(0, threads, _parallel, _reduceBody);
            }
            finally
            {
                _pinnedInputs = null;
                _pinnedLabels = null;
            }
        }

        double loss = 0;
        for (int t = 0; t < threads; t++)
        {
            loss += _chunkLoss[t];
        }

        return (float)loss;
    }

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan<float> inputs, Span<int> predictions)
    {
        int batch = inputs.Length / InputSize;
        CheckInputs(inputs, batch);
        if (predictions.Length < batch)
        {
            throw new ArgumentException($"predictions has {predictions.Length} elements; {batch} are needed.", nameof(predictions));
        }

        int classes = ClassCount;
        for (int start = 0; start < batch; start += _microBatch)
        {
            int count = Math.Min(_microBatch, batch - start);
            ReadOnlySpan<float> logits = Forward(_workers[0], inputs.Slice(start * InputSize, count * InputSize), count);
            for (int r = 0; r < count; r++)
            {
                predictions[start + r] = TensorPrimitives.IndexOfMax(logits.Slice(r * classes, classes));
            }
        }
    }

    /// <summary>Values per sample of <see cref="Embed"/>: the width of the last hidden representation.</summary>
    public int FeatureSize => _layers[^1].Input.Size;

    /// <summary>Writes every sample's last hidden representation (the input of the final, class-scoring layer): the
    /// network's learned feature space, for example to measure distances between datasets there.</summary>
    /// <param name="inputs">Samples, sample-major; length B·InputSize.</param>
    /// <param name="features">Destination, sample-major; at least B·<see cref="FeatureSize"/> long.</param>
    public void Embed(ReadOnlySpan<float> inputs, Span<float> features)
    {
        int batch = inputs.Length / InputSize;
        CheckInputs(inputs, batch);
        int size = FeatureSize;
        if (features.Length < (long)batch * size)
        {
            throw new ArgumentException($"features has {features.Length} elements; {batch} samples of {size} need {(long)batch * size}.", nameof(features));
        }

        for (int start = 0; start < batch; start += _microBatch)
        {
            int count = Math.Min(_microBatch, batch - start);
            Forward(_workers[0], inputs.Slice(start * InputSize, count * InputSize), count, _layers.Length - 1)
                .CopyTo(features.Slice(start * size, count * size));
        }
    }

    /// <inheritdoc/>
    public Evaluation Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        int batch = labels.Length;
        CheckInputs(inputs, batch);
        if (batch == 0)
        {
            return new Evaluation(0, 0, 0);
        }

        int classes = ClassCount;
        double lossSum = 0;
        int correct = 0;
        Worker worker = _workers[0];
        for (int start = 0; start < batch; start += _microBatch)
        {
            int count = Math.Min(_microBatch, batch - start);
            ReadOnlySpan<float> logits = Forward(worker, inputs.Slice(start * InputSize, count * InputSize), count);
            ReadOnlySpan<int> y = labels.Slice(start, count);
            lossSum += SoftmaxCrossEntropy.LossAndGradient(logits, y, classes, 1, worker.GradientA);
            for (int r = 0; r < count; r++)
            {
                if (TensorPrimitives.IndexOfMax(logits.Slice(r * classes, classes)) == y[r])
                {
                    correct++;
                }
            }
        }

        return new Evaluation(lossSum / batch, (double)correct / batch, batch);
    }

    private static void ValidateOptions(EngineOptions options)
    {
        if (options.ThreadCount is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ThreadCount, "ThreadCount must be in [1, 64].");
        }

        if (options.MinMultiplyAddsPerThread < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MinMultiplyAddsPerThread, "MinMultiplyAddsPerThread must be at least 0.");
        }
    }

    private static Layer BuildLayer(LayerSpec spec, TensorShape shape, int offset, int index)
    {
        switch (spec)
        {
            case DenseSpec d:
                if (d.Units < 1)
                {
                    throw new ArgumentException($"layers[{index}].Units is {d.Units}; it must be at least 1.", nameof(spec));
                }

                return new DenseLayer(shape, d.Units, offset);
            case Conv2dSpec c:
                int pad = c.Padding == ConvPadding.Same ? (c.KernelSize - 1) / 2 : 0;
                if (c.Filters < 1 || c.KernelSize < 1)
                {
                    throw new ArgumentException($"layers[{index}] has Filters {c.Filters} and KernelSize {c.KernelSize}; both must be at least 1.", nameof(spec));
                }

                if (c.Padding == ConvPadding.Same && c.KernelSize % 2 == 0)
                {
                    throw new ArgumentException($"layers[{index}].KernelSize is {c.KernelSize}; same padding needs an odd kernel.", nameof(spec));
                }

                if (shape.Height + (2 * pad) < c.KernelSize || shape.Width + (2 * pad) < c.KernelSize)
                {
                    throw new ArgumentException($"layers[{index}].KernelSize is {c.KernelSize}; it must fit the {shape.Height}×{shape.Width} input.", nameof(spec));
                }

                return new Conv2dLayer(shape, c.Filters, c.KernelSize, pad, offset);
            case MaxPool2dSpec:
                if (shape.Height < 2 || shape.Width < 2)
                {
                    throw new ArgumentException($"layers[{index}] pools a {shape.Height}×{shape.Width} input; it must be at least 2×2.", nameof(spec));
                }

                return new MaxPool2dLayer(shape);
            case ReluSpec:
                return new ReluLayer(shape);
            case FlattenSpec:
                return new FlattenLayer(shape);
            default:
                throw new ArgumentException($"layers[{index}] is of unsupported type {spec?.GetType().Name ?? "null"}.", nameof(spec));
        }
    }

    /// <summary>min(T, B, max(1, ⌊B·c / MinMultiplyAddsPerThread⌋)); see <see cref="EngineOptions.MinMultiplyAddsPerThread"/>.</summary>
    private int ThreadsFor(int batch)
    {
        int threads = Math.Min(_workers.Length, batch);
        long minimum = Options.MinMultiplyAddsPerThread;
        if (threads > 1 && minimum > 0)
        {
            long affordable = Math.Max(1, batch * _multiplyAddsPerSample / minimum);
            threads = (int)Math.Min(threads, affordable);
        }

        return threads;
    }

    private void CheckInputs(ReadOnlySpan<float> inputs, int batch)
    {
        if (inputs.Length != (long)batch * InputSize)
        {
            throw new ArgumentException($"inputs has {inputs.Length} elements; {batch} samples of {InputSize} need {(long)batch * InputSize}.", nameof(inputs));
        }
    }

    private ReadOnlySpan<float> Forward(Worker worker, ReadOnlySpan<float> x, int count) => Forward(worker, x, count, _layers.Length);

    /// <summary>Runs the first <paramref name="layers"/> layers; returns the last one's output.</summary>
    private ReadOnlySpan<float> Forward(Worker worker, ReadOnlySpan<float> x, int count, int layers)
    {
        worker.EnsureCapacity(count);
        ReadOnlySpan<float> current = x;
        for (int i = 0; i < layers; i++)
        {
            Layer layer = _layers[i];
            Span<float> y = worker.Activations[i].AsSpan(0, count * layer.Output.Size);
            layer.Forward(_parameters.AsSpan(layer.ParameterOffset, layer.ParameterCount), current, y, count, worker.Scratch, worker.Gemm);
            current = y;
        }

        return current;
    }

    /// <summary>Forward and backward over the chunk's samples; writes the chunk's share of the batch gradient to the worker's vector.</summary>
    private double Chunk(Worker worker, ReadOnlySpan<float> x, ReadOnlySpan<int> labels, int totalBatch)
    {
        int count = labels.Length;
        if (count <= _microBatch)
        {
            return ChunkCore(worker, x, labels, totalBatch, worker.Gradients);
        }

        // Micro-batches keep the activations of one pass inside L2; their gradients are summed in order.
        float[] partial = worker.PartialGradients(_parameters.Length);
        double loss = 0;
        for (int start = 0; start < count; start += _microBatch)
        {
            int n = Math.Min(_microBatch, count - start);
            float[] target = start == 0 ? worker.Gradients : partial;
            loss += ChunkCore(worker, x.Slice(start * InputSize, n * InputSize), labels.Slice(start, n), totalBatch, target);
            if (start > 0)
            {
                TensorPrimitives.Add(worker.Gradients, partial, worker.Gradients);
            }
        }

        return loss;
    }

    /// <summary>Forward and backward over at most one micro-batch; writes its share of the batch gradient to <paramref name="gradients"/>.</summary>
    private double ChunkCore(Worker worker, ReadOnlySpan<float> x, ReadOnlySpan<int> labels, int totalBatch, float[] gradients)
    {
        int count = labels.Length;
        ReadOnlySpan<float> logits = Forward(worker, x, count);
        Span<float> dy = worker.GradientA;
        Span<float> dx = worker.GradientB;
        double loss = SoftmaxCrossEntropy.LossAndGradient(logits, labels, ClassCount, totalBatch, dy);
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            Layer layer = _layers[i];
            ReadOnlySpan<float> layerInput = i == 0 ? x : worker.Activations[i - 1].AsSpan(0, count * layer.Input.Size);
            layer.Backward(
                _parameters.AsSpan(layer.ParameterOffset, layer.ParameterCount),
                gradients.AsSpan(layer.ParameterOffset, layer.ParameterCount),
                layerInput,
                worker.Activations[i].AsSpan(0, count * layer.Output.Size),
                dy[..(count * layer.Output.Size)],
                dx[..(count * layer.Input.Size)],
                needInputGradient: i > 0,
                count,
                worker.Scratch,
                worker.Gemm);
            Span<float> swap = dy;
            dy = dx;
            dx = swap;
        }

        return loss;
    }

    private void RunChunk(int t)
    {
        int threads = _pinnedThreads;
        int start = (int)((long)_pinnedBatch * t / threads);
        int end = (int)((long)_pinnedBatch * (t + 1) / threads);
        var x = new ReadOnlySpan<float>(_pinnedInputs + ((long)start * InputSize), (end - start) * InputSize);
        var y = new ReadOnlySpan<int>(_pinnedLabels + start, end - start);
        _chunkLoss[t] = Chunk(_workers[t], x, y, _pinnedBatch);
    }

    private void ReduceSlice(int t)
    {
        int threads = _pinnedThreads;
        int start = (int)((long)_parameters.Length * t / threads);
        int length = (int)((long)_parameters.Length * (t + 1) / threads) - start;
        Span<float> sum = _gradients.AsSpan(start, length);
        for (int w = 1; w < threads; w++)
        {
            TensorPrimitives.Add(sum, _workers[w].Gradients.AsSpan(start, length), sum);
        }
    }
}
