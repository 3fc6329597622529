using System.Numerics;
using System.Numerics.Tensors;

namespace EdgeLearn.Learning.Internal;

/// <summary>y = max(x, 0); ∂y/∂x = 1 where y &gt; 0, else 0.</summary>
internal sealed class ReluLayer : Layer
{
    public ReluLayer(TensorShape input)
        : base(input, input, 0, 0)
    {
    }

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch, Span<float> scratch, GemmScratch gemm)
    {
        int n = batch * Input.Size;
        TensorPrimitives.Max(x[..n], 0f, y[..n]);
    }

    public override void Backward(ReadOnlySpan<float> parameters, Span<float> gradients, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool needInputGradient, int batch, Span<float> scratch, GemmScratch gemm)
    {
        if (!needInputGradient)
        {
            return;
        }

        int n = batch * Input.Size;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<float>> yv = System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector<float>>(y[..n]);
            ReadOnlySpan<Vector<float>> dyv = System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector<float>>(dy[..n]);
            Span<Vector<float>> dxv = System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector<float>>(dx[..n]);
            for (int v = 0; v < yv.Length; v++)
            {
                dxv[v] = Vector.ConditionalSelect(Vector.GreaterThan(yv[v], Vector<float>.Zero), dyv[v], Vector<float>.Zero);
            }

            i = yv.Length * Vector<float>.Count;
        }

        for (; i < n; i++)
        {
            dx[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }
}
