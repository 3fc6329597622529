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
        dx[..(planes * inPlane)].Clear();
        if (x.Length < planes * inPlane || y.Length < planes * outPlane || dy.Length < planes * outPlane)
        {
            throw new ArgumentException("Buffers are shorter than the batch.");
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
                        // First maximum in window order, written as conditional moves (random data would mispredict branches).
                        int at = i1 + j + 1;
                        at = xp[i1 + j] == m ? i1 + j : at;
                        at = xp[i0 + j + 1] == m ? i0 + j + 1 : at;
                        at = xp[i0 + j] == m ? i0 + j : at;
                        dxp[at] = dyp[(oh * wo) + ow];
                    }
                }
            }
        }
    }
}
