namespace EdgeLearn.Learning.Internal;

/// <summary>Reshape (C, H, W) → (C·H·W, 1, 1); a copy forward and backward.</summary>
internal sealed class FlattenLayer : Layer
{
    public FlattenLayer(TensorShape input)
        : base(input, TensorShape.Vector(input.Size), 0, 0)
    {
    }

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch, Span<float> scratch, GemmScratch gemm)
        => x[..(batch * Input.Size)].CopyTo(y);

    public override void Backward(ReadOnlySpan<float> parameters, Span<float> gradients, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool needInputGradient, int batch, Span<float> scratch, GemmScratch gemm)
    {
        if (needInputGradient)
        {
            dy[..(batch * Input.Size)].CopyTo(dx);
        }
    }
}
