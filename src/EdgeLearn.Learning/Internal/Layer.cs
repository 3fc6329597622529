namespace EdgeLearn.Learning.Internal;

/// <summary>An immutable layer: shapes and where its parameters sit in the model's flat vector. Shared by clones.</summary>
internal abstract class Layer
{
    protected Layer(TensorShape input, TensorShape output, int parameterOffset, int parameterCount)
    {
        Input = input;
        Output = output;
        ParameterOffset = parameterOffset;
        ParameterCount = parameterCount;
    }

    public TensorShape Input { get; }

    public TensorShape Output { get; }

    public int ParameterOffset { get; }

    public int ParameterCount { get; }

    /// <summary>Multiply-adds of one sample's forward pass (0 for layers without arithmetic worth counting).</summary>
    public virtual long MultiplyAdds => 0;

    /// <summary>Per-thread scratch floats the layer needs, independent of the batch size.</summary>
    public virtual int ScratchSize => 0;

    public virtual void Initialize(Span<float> parameters, Random random, bool reluFollows)
    {
    }

    /// <summary>y = f(x) for <paramref name="batch"/> samples.</summary>
    public abstract void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch, Span<float> scratch, GemmScratch gemm);

    /// <summary>Writes ∂L/∂θ to <paramref name="gradients"/> (overwriting) and, when asked, ∂L/∂x to <paramref name="dx"/>.</summary>
    public abstract void Backward(ReadOnlySpan<float> parameters, Span<float> gradients, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool needInputGradient, int batch, Span<float> scratch, GemmScratch gemm);

    protected static void FillUniform(Span<float> values, Random random, double limit)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(((random.NextDouble() * 2.0) - 1.0) * limit);
        }
    }

    protected static double InitLimit(int fanIn, int fanOut, bool reluFollows)
        => reluFollows ? Math.Sqrt(6.0 / fanIn) : Math.Sqrt(6.0 / (fanIn + fanOut));
}
