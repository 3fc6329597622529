using System.Numerics.Tensors;

namespace EdgeLearn.Learning.Internal;

/// <summary>y = x·W + b; W is inputs × units (row-major), then b.</summary>
internal sealed class DenseLayer : Layer
{
    private readonly int _in;
    private readonly int _out;

    public DenseLayer(TensorShape input, int units, int parameterOffset)
        : base(input, TensorShape.Vector(units), parameterOffset, (input.Size * units) + units)
    {
        _in = input.Size;
        _out = units;
    }

    public override long MultiplyAdds => (long)_in * _out;

    public override void Initialize(Span<float> parameters, Random random, bool reluFollows)
    {
        FillUniform(parameters[..(_in * _out)], random, InitLimit(_in, _out, reluFollows));
        parameters[(_in * _out)..].Clear();
    }

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch, Span<float> scratch, GemmScratch gemm)
    {
        ReadOnlySpan<float> w = parameters[..(_in * _out)];
        ReadOnlySpan<float> b = parameters.Slice(_in * _out, _out);
        for (int r = 0; r < batch; r++)
        {
            b.CopyTo(y.Slice(r * _out, _out));
        }

        Gemm.Multiply(new GemmShape(batch, _out, _in), x, w, y, accumulate: true, gemm);
    }

    public override void Backward(ReadOnlySpan<float> parameters, Span<float> gradients, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool needInputGradient, int batch, Span<float> scratch, GemmScratch gemm)
    {
        // dW = xᵀ·dy (inputs × units), db = Σ_rows dy, dx = dy·Wᵀ.
        Gemm.Multiply(new GemmShape(_in, _out, batch, TransposeA: true), x, dy, gradients[..(_in * _out)], accumulate: false, gemm);
        Span<float> db = gradients.Slice(_in * _out, _out);
        dy[.._out].CopyTo(db);
        for (int r = 1; r < batch; r++)
        {
            TensorPrimitives.Add(db, dy.Slice(r * _out, _out), db);
        }

        if (needInputGradient)
        {
            Gemm.Multiply(new GemmShape(batch, _in, _out, TransposeB: true), dy, parameters[..(_in * _out)], dx, accumulate: false, gemm);
        }
    }
}
