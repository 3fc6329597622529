using EdgeLearn.Learning;
using EdgeLearn.Training.Calibration.Internal;

namespace EdgeLearn.Training.Tests.Calibration;

public sealed class CurvatureTests
{
    [Fact]
    public void Largest_LogisticRegression_MatchesTheExplicitHessian()
    {
        var (network, x, y) = SoftmaxRegression();
        double exact = LargestEigenvalue(ExplicitHessian(network, x, y));

        var curvature = new Curvature(network, seed: 6);
        double estimate = curvature.Largest(network.Parameters, x, y, iterations: 60);

        Assert.Equal(exact, estimate, exact * 0.02);
        Assert.Equal(120L * 40, curvature.SampleGradients);
    }

    [Fact]
    public void Quadratic_AlongAnEigenvector_IsItsEigenvalueTimesTheSquaredLength()
    {
        var (network, x, y) = SoftmaxRegression();
        double[,] h = ExplicitHessian(network, x, y);
        float[] d = Enumerable.Range(0, 8).Select(i => (float)(0.3 * (i + 1))).ToArray();
        double expected = 0;
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                expected += d[i] * h[i, j] * d[j];
            }
        }

        double quadratic = new Curvature(network, seed: 6).Quadratic(network.Parameters, d, x, y);

        Assert.Equal(expected, quadratic, Math.Abs(expected) * 0.02);
    }

    /// <summary>Softmax regression on 3 features and 2 classes (8 parameters) with 40 random samples: small enough to
    /// build its Hessian column by column from gradients.</summary>
    private static (Network Network, float[] X, int[] Y) SoftmaxRegression()
    {
        var network = Network.Create(new TensorShape(1, 1, 3), [new DenseSpec(2)], seed: 4);
        var random = new Random(5);
        float[] x = Enumerable.Range(0, 40 * 3).Select(_ => (float)random.NextDouble()).ToArray();
        int[] y = Enumerable.Range(0, 40).Select(i => i % 2).ToArray();
        return (network, x, y);
    }

    private static double[,] ExplicitHessian(Network network, float[] x, int[] y)
    {
        int p = network.ParameterCount;
        var h = new double[p, p];
        var probe = network.CloneNetwork(network.Options);
        const float Step = 1e-2f;
        for (int j = 0; j < p; j++)
        {
            network.Parameters.CopyTo(probe.Parameters);
            probe.Parameters[j] += Step;
            probe.ComputeGradient(x, y);
            float[] plus = probe.Gradients.ToArray();
            probe.Parameters[j] -= 2 * Step;
            probe.ComputeGradient(x, y);
            for (int i = 0; i < p; i++)
            {
                h[i, j] = (plus[i] - probe.Gradients[i]) / (2.0 * Step);
            }
        }

        return h;
    }

    /// <summary>Largest |eigenvalue| of a symmetric matrix by many power iterations.</summary>
    private static double LargestEigenvalue(double[,] h)
    {
        int n = h.GetLength(0);
        var v = Enumerable.Range(0, n).Select(i => 1.0 + i).ToArray();
        double lambda = 0;
        for (int it = 0; it < 5000; it++)
        {
            var w = new double[n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    w[i] += 0.5 * (h[i, j] + h[j, i]) * v[j];
                }
            }

            lambda = Math.Sqrt(w.Sum(z => z * z));
            v = w.Select(z => z / lambda).ToArray();
        }

        return lambda;
    }
}
