using System.Numerics.Tensors;

namespace EdgeLearn.Learning.Internal;

/// <summary>Stride-1 convolution by im2col + GEMM; W is filters × (channels·k·k), then b.</summary>
internal sealed class Conv2dLayer : Layer
{
    private readonly int _filters;
    private readonly int _k;
    private readonly int _pad;
    private readonly int _patch;
    private readonly int _pixels;

    public Conv2dLayer(TensorShape input, int filters, int kernel, int pad, int parameterOffset)
        : base(
            input,
            new TensorShape(filters, input.Height + (2 * pad) - kernel + 1, input.Width + (2 * pad) - kernel + 1),
            parameterOffset,
            (filters * input.Channels * kernel * kernel) + filters)
    {
        _filters = filters;
        _k = kernel;
        _pad = pad;
        _patch = input.Channels * kernel * kernel;
        _pixels = Output.Height * Output.Width;
    }

    public override int ScratchSize => 2 * _patch * _pixels;

    public override void Initialize(Span<float> parameters, Random random, bool reluFollows)
    {
        FillUniform(parameters[..(_filters * _patch)], random, InitLimit(_patch, _filters * _k * _k, reluFollows));
        parameters[(_filters * _patch)..].Clear();
    }

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch, Span<float> scratch, GemmScratch gemm)
    {
        ReadOnlySpan<float> w = parameters[..(_filters * _patch)];
        ReadOnlySpan<float> b = parameters.Slice(_filters * _patch, _filters);
        Span<float> col = scratch[..(_patch * _pixels)];
        int inSize = Input.Size, outSize = Output.Size;
        var shape = new GemmShape(_filters, _pixels, _patch);
        for (int s = 0; s < batch; s++)
        {
            Im2Col(x.Slice(s * inSize, inSize), col);
            Span<float> ys = y.Slice(s * outSize, outSize);
            for (int f = 0; f < _filters; f++)
            {
                ys.Slice(f * _pixels, _pixels).Fill(b[f]);
            }

            Gemm.Multiply(shape, w, col, ys, accumulate: true, gemm);
        }
    }

    public override void Backward(ReadOnlySpan<float> parameters, Span<float> gradients, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool needInputGradient, int batch, Span<float> scratch, GemmScratch gemm)
    {
        ReadOnlySpan<float> w = parameters[..(_filters * _patch)];
        Span<float> dw = gradients[..(_filters * _patch)];
        Span<float> db = gradients.Slice(_filters * _patch, _filters);
        Span<float> col = scratch[..(_patch * _pixels)];
        Span<float> dcol = scratch.Slice(_patch * _pixels, _patch * _pixels);
        int inSize = Input.Size, outSize = Output.Size;
        db.Clear();
        for (int s = 0; s < batch; s++)
        {
            ReadOnlySpan<float> dys = dy.Slice(s * outSize, outSize);
            Im2Col(x.Slice(s * inSize, inSize), col);

            // dW += dy_s · colᵀ  (filters × patch, summed over pixels).
            Gemm.Multiply(new GemmShape(_filters, _patch, _pixels, TransposeB: true), dys, col, dw, accumulate: s > 0, gemm);
            for (int f = 0; f < _filters; f++)
            {
                db[f] += TensorPrimitives.Sum(dys.Slice(f * _pixels, _pixels));
            }

            if (needInputGradient)
            {
                // dcol = Wᵀ · dy_s, then scatter-add back to the image.
                Gemm.Multiply(new GemmShape(_patch, _pixels, _filters, TransposeA: true), w, dys, dcol, accumulate: false, gemm);
                Col2Im(dcol, dx.Slice(s * inSize, inSize));
            }
        }
    }

    /// <summary>col[(c·k + ki)·k + kj, oh·Wo + ow] = x[c, oh + ki − pad, ow + kj − pad] (0 outside).</summary>
    private void Im2Col(ReadOnlySpan<float> x, Span<float> col)
    {
        int h = Input.Height, wIn = Input.Width, ho = Output.Height, wo = Output.Width;
        int row = 0;
        for (int c = 0; c < Input.Channels; c++)
        {
            ReadOnlySpan<float> plane = x.Slice(c * h * wIn, h * wIn);
            for (int ki = 0; ki < _k; ki++)
            {
                for (int kj = 0; kj < _k; kj++, row++)
                {
                    Span<float> dst = col.Slice(row * _pixels, _pixels);
                    int owStart = Math.Max(0, _pad - kj);
                    int owEnd = Math.Min(wo, wIn + _pad - kj);
                    for (int oh = 0; oh < ho; oh++)
                    {
                        Span<float> d = dst.Slice(oh * wo, wo);
                        int ih = oh + ki - _pad;
                        if (ih < 0 || ih >= h || owEnd <= owStart)
                        {
                            d.Clear();
                            continue;
                        }

                        d[..owStart].Clear();
                        plane.Slice((ih * wIn) + owStart + kj - _pad, owEnd - owStart).CopyTo(d[owStart..owEnd]);
                        d[owEnd..].Clear();
                    }
                }
            }
        }
    }

    /// <summary>Adjoint of <see cref="Im2Col"/>: dx is overwritten with the scatter-sum of dcol.</summary>
    private void Col2Im(ReadOnlySpan<float> dcol, Span<float> dx)
    {
        int h = Input.Height, wIn = Input.Width, ho = Output.Height, wo = Output.Width;
        dx.Clear();
        int row = 0;
        for (int c = 0; c < Input.Channels; c++)
        {
            Span<float> plane = dx.Slice(c * h * wIn, h * wIn);
            for (int ki = 0; ki < _k; ki++)
            {
                for (int kj = 0; kj < _k; kj++, row++)
                {
                    ReadOnlySpan<float> src = dcol.Slice(row * _pixels, _pixels);
                    int owStart = Math.Max(0, _pad - kj);
                    int owEnd = Math.Min(wo, wIn + _pad - kj);
                    if (owEnd <= owStart)
                    {
                        continue;
                    }

                    for (int oh = 0; oh < ho; oh++)
                    {
                        int ih = oh + ki - _pad;
                        if (ih < 0 || ih >= h)
                        {
                            continue;
                        }

                        Span<float> target = plane.Slice((ih * wIn) + owStart + kj - _pad, owEnd - owStart);
                        TensorPrimitives.Add(target, src.Slice((oh * wo) + owStart, owEnd - owStart), target);
                    }
                }
            }
        }
    }
}
