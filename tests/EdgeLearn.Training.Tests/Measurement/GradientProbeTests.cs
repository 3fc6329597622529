using System.Numerics.Tensors;
using EdgeLearn.Learning;
using EdgeLearn.Training.Measurement;

namespace EdgeLearn.Training.Tests.Measurement;

public sealed class GradientProbeTests
{
    [Fact]
    public void Measure_WholePopulation_EqualsTheFullGradient()
    {
        var data = Fixtures.Data(Fixtures.Scenario());
        var network = Mlp.Create(3, new MlpOptions { InputSize = data.InputSize, HiddenSizes = [16], ClassCount = data.ClassCount });
        var set = data.TaskSet;
        var probe = new GradientProbe(network, set, samples: set.Count, groups: 10, seed: 1);

        var result = probe.Measure(network.Parameters);
        var reference = network.CloneNetwork(network.Options);
        float loss = reference.ComputeGradient(set.Features, set.Labels);

        Assert.Equal(TensorPrimitives.SumOfSquares(reference.Gradients), result.Gradient.Value, 1e-4);
        Assert.Equal(loss, result.Loss, 1e-4);
        Assert.Equal(0, result.Gradient.StdErr);
        Assert.True(result.Gradient.VarianceTrace > 0);
    }

    [Fact]
    public void Measure_Subsample_UnbiasedOverDraws()
    {
        var data = Fixtures.Data(Fixtures.Scenario());
        var network = Mlp.Create(3, new MlpOptions { InputSize = data.InputSize, HiddenSizes = [16], ClassCount = data.ClassCount });
        var set = data.TaskSet;
        var reference = network.CloneNetwork(network.Options);
        reference.ComputeGradient(set.Features, set.Labels);
        double truth = TensorPrimitives.SumOfSquares(reference.Gradients);
        var probe = new GradientProbe(network, set, samples: 60, groups: 6, seed: 2);

        var values = Enumerable.Range(0, 300).Select(_ => probe.Measure(network.Parameters).Gradient).ToArray();
        double mean = values.Average(v => v.Value);
        double plugIn = values.Average(v => v.PlugIn);
        double se = values.Average(v => v.StdErr) / Math.Sqrt(values.Length);

        Assert.InRange(mean, truth - (4 * se), truth + (4 * se));
        Assert.True(plugIn > truth + (4 * se), $"the plug-in |mean|^2 {plugIn} should sit clearly above the truth {truth}");
    }
}
