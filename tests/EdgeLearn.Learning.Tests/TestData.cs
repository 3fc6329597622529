namespace EdgeLearn.Learning.Tests;

/// <summary>Seeded random inputs for tests.</summary>
internal static class TestData
{
    public static float[] Uniform(int length, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1) * scale;
        }

        return values;
    }

    public static int[] Labels(int length, int classes, int seed)
    {
        var random = new Random(seed);
        var labels = new int[length];
        for (int i = 0; i < length; i++)
        {
            labels[i] = random.Next(classes);
        }

        return labels;
    }

    /// <summary>Gaussian blobs around well-separated class centres: linearly separable with high probability.</summary>
    public static (float[] X, int[] Y) Blobs(int count, int dimension, int classes, int seed)
    {
        var random = new Random(seed);
        var centres = new float[classes * dimension];
        for (int i = 0; i < centres.Length; i++)
        {
            centres[i] = (float)((random.NextDouble() * 2) - 1) * 3f;
        }

        var x = new float[count * dimension];
        var y = new int[count];
        for (int s = 0; s < count; s++)
        {
            int c = random.Next(classes);
            y[s] = c;
            for (int d = 0; d < dimension; d++)
            {
                double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
                double gauss = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                x[(s * dimension) + d] = centres[(c * dimension) + d] + (float)(0.5 * gauss);
            }
        }

        return (x, y);
    }
}
