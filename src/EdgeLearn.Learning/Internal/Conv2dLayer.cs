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
    private readonly int _group;

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

        // Samples per GEMM: enough columns to amortise packing and edge tiles, few enough that col stays
        // within about 256 KiB (L2-resident).
        _group = Math.Max(1, 65536 / (_patch * _pixels));
    }

    /// <summary>Scratch: col and dcol (patch × group·pixels) plus the GEMM output (filters × group·pixels).</summary>
    public override int ScratchSize => ((2 * _patch) + _filters) * _group * _pixels;

    public override long MultiplyAdds => (long)_filters * _patch * _pixels;

    public override void Initialize(Span<float> parameters, Random random, bool reluFollows)
    {
        FillUniform(parameters[..(_filters * _patch)], random, InitLimit(_patch, _filters * _k * _k, reluFollows));
        parameters[(_filters * _patch)..].Clear();
    }

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch, Span<float> scratch, GemmScratch gemm)
    {
        ReadOnlySpan<float> w = parameters[..(_filters * _patch)];
        ReadOnlySpan<float> b = parameters.Slice(_filters * _patch, _filters);
        int inSize = Input.Size, outSize = Output.Size;
        for (int s0 = 0; s0 < batch; s0 += _group)
        {
            int g = Math.Min(_group, batch - s0);
            int columns = g * _pixels;
            Span<float> col = scratch[..(_patch * columns)];
            Span<float> product = scratch.Slice(2 * _patch * _group * _pixels, _filters * columns);
            for (int s = 0; s < g; s++)
            {
                Im2Col(x.Slice((s0 + s) * inSize, inSize), col[(s * _pixels)..], columns);
            }

            // product (filters × g·pixels) = W · col, then scatter rows into the per-sample (F, H, W) layout with the bias.
            Gemm.Multiply(new GemmShape(_filters, columns, _patch), w, col, product, accumulate: false, gemm);
            for (int s = 0; s < g; s++)
            {
                Span<float> ys = y.Slice((s0 + s) * outSize, outSize);
                for (int f = 0; f < _filters; f++)
                {
                    TensorPrimitives.Add(product.Slice((f * columns) + (s * _pixels), _pixels), b[f], ys.Slice(f * _pixels, _pixels));
                }
            }
        }
    }

    public override void Backward(ReadOnlySpan<float> parameters, Span<float> gradients, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool needInputGradient, int batch, Span<float> scratch, GemmScratch gemm)
    {
        ReadOnlySpan<float> w = parameters[..(_filters * _patch)];
        Span<float> dw = gradients[..(_filters * _patch)];
        Span<float> db = gradients.Slice(_filters * _patch, _filters);
        int inSize = Input.Size, outSize = Output.Size;
        db.Clear();
        for (int s0 = 0; s0 < batch; s0 += _group)
        {
            int g = Math.Min(_group, batch - s0);
            int columns = g * _pixels;
            Span<float> colT = scratch[..(_patch * columns)];
            Span<float> dcol = scratch.Slice(_patch * _group * _pixels, _patch * columns);
            Span<float> dproduct = scratch.Slice(2 * _patch * _group * _pixels, _filters * columns);
            for (int s = 0; s < g; s++)
            {
                Im2Row(x.Slice((s0 + s) * inSize, inSize), colT.Slice(s * _pixels * _patch, _pixels * _patch));
                ReadOnlySpan<float> dys = dy.Slice((s0 + s) * outSize, outSize);
                for (int f = 0; f < _filters; f++)
                {
                    ReadOnlySpan<float> row = dys.Slice(f * _pixels, _pixels);
                    row.CopyTo(dproduct.Slice((f * columns) + (s * _pixels), _pixels));
                    db[f] += TensorPrimitives.Sum(row);
                }
            }

            // dW += dproduct · colᵀ (filters × patch, summed over the group's pixels). colᵀ is built directly
            // (pixel-major) so the product is NN: packing a transposed operand costs 3-4x more than this layout.
            Gemm.Multiply(new GemmShape(_filters, _patch, columns), dproduct, colT, dw, accumulate: s0 > 0, gemm);
            if (needInputGradient)
            {
                // dcol = Wᵀ · dproduct, then scatter-add every sample's columns back to its image.
                Gemm.Multiply(new GemmShape(_patch, columns, _filters, TransposeA: true), w, dproduct, dcol, accumulate: false, gemm);
                for (int s = 0; s < g; s++)
                {
                    Col2Im(dcol[(s * _pixels)..], columns, dx.Slice((s0 + s) * inSize, inSize));
                }
            }
        }
    }

    /// <summary>col[(c·k + ki)·k + kj, oh·Wo + ow] = x[c, oh + ki − pad, ow + kj − pad] (0 outside); col rows are <paramref name="rowStride"/> apart.</summary>
    private unsafe void Im2Col(ReadOnlySpan<float> x, Span<float> col, int rowStride)
    {
        int h = Input.Height, wIn = Input.Width, ho = Output.Height, wo = Output.Width;
        fixed (float* px = x, pcol = col)
        {
            float* rowStart = pcol;
            for (int c = 0; c < Input.Channels; c++)
            {
                float* plane = px + ((nint)c * h * wIn);
                for (int ki = 0; ki < _k; ki++)
                {
                    for (int kj = 0; kj < _k; kj++, rowStart += rowStride)
                    {
                        int owStart = Math.Max(0, _pad - kj);
                        int owEnd = Math.Min(wo, wIn + _pad - kj);
                        float* dst = rowStart;
                        for (int oh = 0; oh < ho; oh++, dst += wo)
                        {
                            int ih = oh + ki - _pad;
                            if (ih < 0 || ih >= h || owEnd <= owStart)
                            {
                                ShortVectors.Clear(dst, wo);
                                continue;
                            }

                            ShortVectors.Clear(dst, owStart);
                            ShortVectors.Copy(plane + (ih * wIn) + owStart + kj - _pad, dst + owStart, owEnd - owStart);
                            ShortVectors.Clear(dst + owEnd, wo - owEnd);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Transposed im2col: colT[oh·Wo + ow, (c·k + ki)·k + kj] = x[c, oh + ki − pad, ow + kj − pad] (0 outside).</summary>
    private unsafe void Im2Row(ReadOnlySpan<float> x, Span<float> colT)
    {
        int h = Input.Height, wIn = Input.Width, ho = Output.Height, wo = Output.Width, k = _k, pad = _pad;
        if (colT.Length < _pixels * _patch)
        {
            throw new ArgumentException("colT is shorter than pixels × patch.", nameof(colT));
        }

        fixed (float* px = x, pcol = colT)
        {
            float* dst = pcol;
            for (int oh = 0; oh < ho; oh++)
            {
                for (int ow = 0; ow < wo; ow++)
                {
                    int iw0 = ow - pad;
                    bool inside = iw0 >= 0 && iw0 + k <= wIn;
                    for (int c = 0; c < Input.Channels; c++)
                    {
                        float* plane = px + ((nint)c * h * wIn);
                        for (int ki = 0; ki < k; ki++, dst += k)
                        {
                            int ih = oh + ki - pad;
                            if ((uint)ih >= (uint)h)
                            {
                                ShortVectors.Clear(dst, k);
                                continue;
                            }

                            float* src = plane + (ih * wIn) + iw0;
                            if (inside)
                            {
                                ShortVectors.Copy(src, dst, k);
                                continue;
                            }

                            for (int kj = 0; kj < k; kj++)
                            {
                                dst[kj] = (uint)(iw0 + kj) < (uint)wIn ? src[kj] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Adjoint of <see cref="Im2Col"/>: dx is overwritten with the scatter-sum of dcol.</summary>
    private unsafe void Col2Im(ReadOnlySpan<float> dcol, int rowStride, Span<float> dx)
    {
        int h = Input.Height, wIn = Input.Width, ho = Output.Height, wo = Output.Width;
        dx.Clear();
        fixed (float* pdx = dx, pcol = dcol)
        {
            float* rowStart = pcol;
            for (int c = 0; c < Input.Channels; c++)
            {
                float* plane = pdx + ((nint)c * h * wIn);
                for (int ki = 0; ki < _k; ki++)
                {
                    for (int kj = 0; kj < _k; kj++, rowStart += rowStride)
                    {
                        int owStart = Math.Max(0, _pad - kj);
                        int owEnd = Math.Min(wo, wIn + _pad - kj);
                        float* src = rowStart;
                        for (int oh = 0; oh < ho; oh++, src += wo)
                        {
                            int ih = oh + ki - _pad;
                            if (ih < 0 || ih >= h || owEnd <= owStart)
                            {
                                continue;
                            }

                            ShortVectors.Add(src + owStart, plane + (ih * wIn) + owStart + kj - _pad, owEnd - owStart);
                        }
                    }
                }
            }
        }
    }
}
