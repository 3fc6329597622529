namespace EdgeLearn.Learning.Internal;

/// <summary>One thread's buffers for a network: activations, back-propagated gradients, layer scratch, GEMM packing, and (for helper threads) a private gradient vector.</summary>
internal sealed class Worker
{
    private readonly Layer[] _layers;

    public Worker(Layer[] layers, float[] gradients)
    {
        _layers = layers;
        Gradients = gradients;
        Activations = new float[layers.Length][];
        int scratch = 0;
        foreach (Layer layer in layers)
        {
            scratch = Math.Max(scratch, layer.ScratchSize);
        }

        Scratch = new float[scratch];
    }

    public float[] Gradients { get; }

    public float[][] Activations { get; }

    public float[] GradientA { get; private set; } = [];

    public float[] GradientB { get; private set; } = [];

    public float[] Scratch { get; }

    public GemmScratch Gemm { get; } = new();

    public int Capacity { get; private set; }

    private float[] _partial = [];

    /// <summary>A second gradient-sized buffer for summing micro-batch gradients, allocated on first use.</summary>
    public float[] PartialGradients(int length)
    {
        if (_partial.Length != length)
        {
            _partial = new float[length];
        }

        return _partial;
    }

    /// <summary>Grows the batch-sized buffers to hold <paramref name="batch"/> samples; no-op (and no allocation) when they already do.</summary>
    public void EnsureCapacity(int batch)
    {
        if (batch <= Capacity)
        {
            return;
        }

        int widest = _layers[0].Input.Size;
        for (int i = 0; i < _layers.Length; i++)
        {
            Activations[i] = new float[batch * _layers[i].Output.Size];
            widest = Math.Max(widest, _layers[i].Output.Size);
        }

        GradientA = new float[batch * widest];
        GradientB = new float[batch * widest];
        Capacity = batch;
    }
}
