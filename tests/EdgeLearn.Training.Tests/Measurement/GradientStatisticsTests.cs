using EdgeLearn.Training.Measurement;

namespace EdgeLearn.Training.Tests.Measurement;

public sealed class GradientStatisticsTests
{
    /// <summary>A population of N vectors in d dimensions: mean (0.3, 0, …), per-sample noise of standard deviation 2.</summary>
    private static double[][] Population(int n, int d, int seed)
    {
        var random = new Random(seed);
        var population = new double[n][];
        for (int i = 0; i < n; i++)
        {
            population[i] = new double[d];
            for (int k = 0; k < d; k++)
            {
                population[i][k] = (k == 0 ? 0.3 : 0) + (2 * Gaussian(random));
            }
        }

        return population;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Draws n = G·m without replacement, averages each group and returns the Gram matrix of the group means.</summary>
    private static double[] Gram(double[][] population, int groups, int size, Random random)
    {
        int d = population[0].Length;
        int[] order = Enumerable.Range(0, population.Length).ToArray();
        random.Shuffle(order);
        var means = new double[groups][];
        for (int a = 0; a < groups; a++)
        {
            means[a] = new double[d];
            for (int j = 0; j < size; j++)
            {
                double[] x = population[order[(a * size) + j]];
                for (int k = 0; k < d; k++)
                {
                    means[a][k] += x[k] / size;
                }
            }
        }

        var gram = new double[groups * groups];
        for (int a = 0; a < groups; a++)
        {
            for (int b = 0; b < groups; b++)
            {
                gram[(a * groups) + b] = means[a].Zip(means[b], (x, y) => x * y).Sum();
            }
        }

        return gram;
    }

    private static (double MeanSquared, double Trace) Truth(double[][] population)
    {
        int d = population[0].Length;
        var mean = new double[d];
        foreach (var x in population)
        {
            for (int k = 0; k < d; k++)
            {
                mean[k] += x[k] / population.Length;
            }
        }

        double trace = population.Average(x => x.Zip(mean, (a, b) => (a - b) * (a - b)).Sum());
        return (mean.Sum(m => m * m), trace);
    }

    [Fact]
    public void FromGram_ManyDraws_UnbiasedWhereThePlugInIsNot()
    {
        var population = Population(600, 20, seed: 1);
        var (truth, trace) = Truth(population);
        var random = new Random(2);
        var estimates = Enumerable.Range(0, 4000)
            .Select(_ => GradientStatistics.FromGram(Gram(population, 10, 10, random), 10, 10, population.Length)).ToArray();

        double mean = estimates.Average(e => e.Value);
        double sd = Math.Sqrt(estimates.Average(e => (e.Value - mean) * (e.Value - mean)));
        double plugIn = estimates.Average(e => e.PlugIn);

        // The mean of 4000 draws is within 4 standard errors of the truth; the plug-in is off by (1/n - 1/N) S^2 ≈ 0.67.
        Assert.InRange(mean, truth - (4 * sd / Math.Sqrt(4000)), truth + (4 * sd / Math.Sqrt(4000)));
        Assert.Equal(truth + (((1.0 / 100) - (1.0 / 600)) * trace * 600 / 599), plugIn, 0.05);
        Assert.Equal(trace, estimates.Average(e => e.VarianceTrace), trace * 0.02);
        // The jackknife standard error is of the size of the real spread and errs on the safe side (it overstates the
        // variance of a pair estimator whose signal is small beside the noise, as here).
        Assert.InRange(estimates.Average(e => e.StdErr), sd, 1.6 * sd);
    }

    [Fact]
    public void FromGram_WholePopulation_IsExactWithNoError()
    {
        var population = Population(120, 5, seed: 3);
        var (truth, _) = Truth(population);

        var estimate = GradientStatistics.FromGram(Gram(population, 12, 10, new Random(4)), 12, 10, population.Length);

        Assert.Equal(truth, estimate.Value, 12);
        Assert.Equal(truth, estimate.PlugIn, 12);
        Assert.Equal(0, estimate.StdErr);
    }

    [Fact]
    public void FromGram_InfinitePopulation_IsTheMeanOfCrossProducts()
    {
        double[] gram = [4, 1, 2, 1, 9, 3, 2, 3, 16];

        var estimate = GradientStatistics.FromGram(gram, 3, 5, population: 0);

        Assert.Equal((1 + 2 + 3) * 2 / 6.0, estimate.Value, 12);
        Assert.Equal((4 + 9 + 16 + (2 * 6)) / 9.0, estimate.PlugIn, 12);
    }

    [Theory]
    [InlineData(1, 3, 10)]
    [InlineData(3, 0, 10)]
    [InlineData(3, 3, 5)]
    public void FromGram_InconsistentSizes_Throw(int groups, int size, int population) =>
        Assert.ThrowsAny<ArgumentException>(() => GradientStatistics.FromGram(new double[groups * groups], groups, size, population));

    [Fact]
    public void FromGram_GroupOrder_DoesNotMatter()
    {
        var population = Population(300, 4, seed: 5);
        double[] gram = Gram(population, 6, 20, new Random(6));
        int[] order = [3, 0, 5, 1, 4, 2];
        var permuted = new double[36];
        for (int a = 0; a < 6; a++)
        {
            for (int b = 0; b < 6; b++)
            {
                permuted[(a * 6) + b] = gram[(order[a] * 6) + order[b]];
            }
        }

        var x = GradientStatistics.FromGram(gram, 6, 20, 300);
        var y = GradientStatistics.FromGram(permuted, 6, 20, 300);

        Assert.Equal(x.Value, y.Value, 12);
        Assert.Equal(x.StdErr, y.StdErr, 12);
    }
}
