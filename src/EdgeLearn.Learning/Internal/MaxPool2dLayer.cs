using System.Runtime.CompilerServices;

namespace EdgeLearn.Learning.Internal;

/// <summary>2×2 max pooling, stride 2; ties go to the first element in row-major window order.</summary>
internal sealed class MaxPool2dLayer : Layer
{
    public MaxPool2dLayer(TensorShape input)
        : base(input, new TensorShape(input.Channels, input.Height / 2, input.Width / 2), 0, 0)
    {
    }

    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch, Span<float> scratch, GemmScratch gemm)
    {
        int w = Input.Width, ho = Output.Height, wo = Output.Width;
        int planes = batch * Input.Channels;
        int inPlane = Input.Height * w, outPlane = ho * wo;
        for (int p = 0; p < planes; p++)
        {
            ReadOnlySpan<float> xp = x.Slice(p * inPlane, inPlane);
            Span<float> yp = y.Slice(p * outPlane, outPlane);
            for (int oh = 0; oh < ho; oh++)
            {
                ReadOnlySpan<float> r0 = xp.Slice(2 * oh * w, w);
                ReadOnlySpan<float> r1 = xp.Slice(((2 * oh) + 1) * w, w);
                Span<float> yr = yp.Slice(oh * wo, wo);
                for (int ow = 0; ow < wo; ow++)
                {
                    int j = 2 * ow;
                    yr[ow] = MathF.Max(MathF.Max(r0[j], r0[j + 1]), MathF.Max(r1[j], r1[j + 1]));
                }
            }
        }
    }

    public override unsafe void Backward(ReadOnlySpan<float> parameters, Span<float> gradients, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool needInputGradient, int batch, Span<float> scratch, GemmScratch gemm)
    {
        if (!needInputGradient)
        {
            return;
        }

        int w = Input.Width, ho = Output.Height, wo = Output.Width;
        int planes = batch * Input.Channels;
        int inPlane = Input.Height * w, outPlane = ho * wo;
        if (x.Length < planes * inPlane || y.Length < planes * outPlane || dy.Length < planes * outPlane || dx.Length < planes * inPlane)
        {
            throw new ArgumentException("Buffers are shorter than the batch.");
        }

        if ((Input.Height & 1) != 0 || (w & 1) != 0)
        {
            dx[..(planes * inPlane)].Clear(); // the dropped last row/column gets no gradient
        }

        fixed (float* px = x, py = y, pdy = dy, pdx = dx)
        {
            for (int p = 0; p < planes; p++)
            {
                float* xp = px + ((nint)p * inPlane);
                float* dxp = pdx + ((nint)p * inPlane);
                float* yp = py + ((nint)p * outPlane);
                float* dyp = pdy + ((nint)p * outPlane);
                for (int oh = 0; oh < ho; oh++)
                {
                    int i0 = 2 * oh * w, i1 = i0 + w;
                    for (int ow = 0; ow < wo; ow++)
                    {
                        int j = 2 * ow;
                        float m = yp[(oh * wo) + ow];
                        // The gradient goes to the first maximum in window order. Every window element is written (no
                        // separate clear) and the selection is arithmetic on 0/1 flags: with random data, branches
                        // mispredict so often that they cost ~20x the arithmetic.
                        float g = dyp[(oh * wo) + ow];
                        int a = Unsafe.BitCast<bool, byte>(xp[i0 + j] == m);
                        int b = Unsafe.BitCast<bool, byte>(xp[i0 + j + 1] == m) & (a ^ 1);
                        int c = Unsafe.BitCast<bool, byte>(xp[i1 + j] == m) & ((a | b) ^ 1);
                        int d = (a | b | c) ^ 1;
                        dxp[i0 + j] = g * a;
                        dxp[i0 + j + 1] = g * b;
                        dxp[i1 + j] = g * c;
                        dxp[i1 + j + 1] = g * d;
                    }
                }
            }
        }
    }
}
