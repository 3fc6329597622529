namespace EdgeLearn.Data.Internal;

/// <summary>Seeded sampling primitives: shuffles, Gaussian, Gamma and Dirichlet draws. All state lives in the passed <see cref="Random"/>.</summary>
internal static class Sampling
{
    /// <summary>Fisher-Yates shuffle in place.</summary>
    public static void Shuffle<T>(Span<T> items, Random random)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A random permutation of 0..n-1.</summary>
    public static int[] Permutation(int n, Random random)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++)
        {
            p[i] = i;
        }

        Shuffle(p.AsSpan(), random);
        return p;
    }

    /// <summary>Indices of the images of each class, in ascending order.</summary>
    public static int[][] IndicesByClass(ReadOnlySpan<byte> labels, int classCount)
    {
        var counts = new int[classCount];
        foreach (byte label in labels)
        {
            counts[label]++;
        }

        var result = new int[classCount][];
        for (int c = 0; c < classCount; c++)
        {
            result[c] = new int[counts[c]];
        }

        Array.Clear(counts);
        for (int i = 0; i < labels.Length; i++)
        {
            byte label = labels[i];
            result[label][counts[label]++] = i;
        }

        return result;
    }

    /// <summary>A standard normal draw (Box-Muller, one of the pair).</summary>
    public static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(); // (0, 1]
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A Gamma(shape, 1) draw by Marsaglia and Tsang (2000), boosted for shape &lt; 1.</summary>
    public static double Gamma(double shape, Random random)
    {
        if (shape < 1)
        {
            double u = 1.0 - random.NextDouble();
            return Gamma(shape + 1, random) * Math.Pow(u, 1.0 / shape);
        }

        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Gaussian(random);
                v = 1.0 + c * x;
            }
            while (v <= 0);

            v = v * v * v;
            double u = 1.0 - random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v))
            {
                return d * v;
            }
        }
    }

    /// <summary>A Dirichlet(alpha, ..., alpha) draw of the given dimension.</summary>
    public static double[] SymmetricDirichlet(int dimension, double alpha, Random random)
    {
        var p = new double[dimension];
        double sum = 0;
        for (int i = 0; i < dimension; i++)
        {
            p[i] = Gamma(alpha, random);
            sum += p[i];
        }

        if (sum <= 0)
        {
            // Every draw underflowed (tiny alpha): put all mass on one class, which is the limit alpha -> 0.
            Array.Clear(p);
            p[random.Next(dimension)] = 1;
            return p;
        }

        for (int i = 0; i < dimension; i++)
        {
            p[i] /= sum;
        }

        return p;
    }

    /// <summary>Draws an index with probability proportional to <paramref name="weights"/>; -1 when all weights are zero.</summary>
    public static int Categorical(ReadOnlySpan<double> weights, Random random)
    {
        double total = 0;
        foreach (double w in weights)
        {
            total += w;
        }

        if (total <= 0)
        {
            return -1;
        }

        double target = random.NextDouble() * total;
        int last = -1;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0)
            {
                continue;
            }

            last = i;
            target -= weights[i];
            if (target < 0)
            {
                return i;
            }
        }

        return last;
    }

    /// <summary>Integer counts proportional to <paramref name="weights"/> summing to <paramref name="total"/> (largest remainder).</summary>
    public static int[] Apportion(ReadOnlySpan<double> weights, int total)
    {
        double sum = 0;
        foreach (double w in weights)
        {
            sum += w;
        }

        var counts = new int[weights.Length];
        var remainders = new double[weights.Length];
        int assigned = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            double exact = total * weights[i] / sum;
            counts[i] = (int)Math.Floor(exact);
            remainders[i] = exact - counts[i];
            assigned += counts[i];
        }

        while (assigned < total)
        {
            int best = 0;
            for (int i = 1; i < remainders.Length; i++)
            {
                if (remainders[i] > remainders[best])
                {
                    best = i;
                }
            }

            counts[best]++;
            remainders[best] = double.NegativeInfinity;
            assigned++;
        }

        return counts;
    }

    /// <summary>An independent seed for stream <paramref name="stream"/> of <paramref name="seed"/> (SplitMix64 finalizer; stable across processes, unlike HashCode).</summary>
    public static int DeriveSeed(int seed, int stream)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)stream) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return unchecked((int)(uint)(z ^ (z >> 31)));
    }
}
