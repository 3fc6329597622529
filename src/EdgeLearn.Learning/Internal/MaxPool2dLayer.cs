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

    public override void Backward(ReadOnlySpan<float> parameters, Span<float> gradients, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool needInputGradient, int batch, Span<float> scratch, GemmScratch gemm)
    {
        if (!needInputGradient)
        {
            return;
        }

        int w = Input.Width, ho = Output.Height, wo = Output.Width;
        int planes = batch * Input.Channels;
        int inPlane = Input.Height * w, outPlane = ho * wo;
        dx[..(planes * inPlane)].Clear();
        for (int p = 0; p < planes; p++)
        {
            ReadOnlySpan<float> xp = x.Slice(p * inPlane, inPlane);
            ReadOnlySpan<float> yp = y.Slice(p * outPlane, outPlane);
            ReadOnlySpan<float> dyp = dy.Slice(p * outPlane, outPlane);
            Span<float> dxp = dx.Slice(p * inPlane, inPlane);
            for (int oh = 0; oh < ho; oh++)
            {
                int i0 = 2 * oh * w, i1 = i0 + w;
                for (int ow = 0; ow < wo; ow++)
                {
                    int j = 2 * ow;
                    float m = yp[(oh * wo) + ow];
                    float g = dyp[(oh * wo) + ow];
                    int at = xp[i0 + j] == m ? i0 + j
                        : xp[i0 + j + 1] == m ? i0 + j + 1
                        : xp[i1 + j] == m ? i1 + j
                        : i1 + j + 1;
                    dxp[at] += g;
                }
            }
        }
    }
}
