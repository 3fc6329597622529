using System.Numerics.Tensors;

namespace EdgeLearn.Learning.Internal;

/// <summary>Softmax cross-entropy L = log Σ_j e^{z_j} − z_y, averaged over a minibatch of size B.</summary>
internal static class SoftmaxCrossEntropy
{
    /// <summary>Returns Σ_rows L_i / <paramref name="totalBatch"/> and writes ∂/∂z = (softmax(z) − onehot(y)) / totalBatch.</summary>
    public static double LossAndGradient(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, int totalBatch, Span<float> dlogits)
    {
        double sum = 0;
        float scale = 1f / totalBatch;
        for (int r = 0; r < labels.Length; r++)
        {
            int y = labels[r];
            if ((uint)y >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), y, $"labels[{r}] must be in [0, {classes}).");
            }

            ReadOnlySpan<float> z = logits.Slice(r * classes, classes);
            Span<float> d = dlogits.Slice(r * classes, classes);
            float max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, d);
            TensorPrimitives.Exp(d, d);
            float total = TensorPrimitives.Sum(d);
            sum += Math.Log(total) - (z[y] - max);
            TensorPrimitives.Multiply(d, scale / total, d);
            d[y] -= scale;
        }

        return sum / totalBatch;
    }
}
