using System.Numerics.Tensors;
using EdgeLearn.Learning;
using EdgeLearn.Training.Internal;

namespace EdgeLearn.Training.Measurement;

/// <summary>What one probe measured at one model: the loss over the samples and the gradient statistics.</summary>
/// <param name="Loss">Mean loss over the n samples, nats (an unbiased estimate of the population's mean loss).</param>
/// <param name="Gradient">|∇F|² and tr Σ estimates.</param>
internal readonly record struct ProbeResult(double Loss, GradientNormEstimate Gradient);

/// <summary>
/// Measures the full gradient of an objective over a finite population (all task data, or the general data) at a given
/// model without bias: draws n samples without replacement (fresh each call, seeded), splits them into G groups, computes
/// each group's mean gradient and combines them with <see cref="GradientStatistics.FromGram"/>.
/// </summary>
/// <remarks>Buffers are allocated once; a measurement allocates nothing. Not thread-safe.</remarks>
internal sealed class GradientProbe
{
    private readonly Network _network;
    private readonly LabelledSet _set;
    private readonly MinibatchSampler _sampler;
    private readonly float[] _groupGradients;
    private readonly float[] _mean;
    private readonly double[] _gram;

    /// <param name="template">Model whose architecture and engine options the probe copies.</param>
    /// <param name="set">The population.</param>
    /// <param name="samples">n, samples per measurement; clipped to the population (then every sample is used).</param>
    /// <param name="groups">G, at least 2; clipped to n.</param>
    /// <param name="seed">Seed of the draws.</param>
    public GradientProbe(Network template, LabelledSet set, int samples, int groups, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(set.Count, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 2);
        _network = template.CloneNetwork(template.Options);
        _set = set;
        int n = Math.Min(samples, set.Count);
        Groups = Math.Min(groups, n);
        GroupSize = n / Groups;

        // A draw of at most the set's size is a uniform sample without replacement in random order, so groups are random.
        _sampler = new MinibatchSampler(set, Groups * GroupSize, seed);
        _groupGradients = new float[(long)Groups * _network.ParameterCount];
        _mean = new float[_network.ParameterCount];
        _gram = new double[Groups * Groups];
    }

    /// <summary>G, the number of groups.</summary>
    public int Groups { get; }

    /// <summary>m, samples per group.</summary>
    public int GroupSize { get; }

    /// <summary>n = G·m, samples per measurement.</summary>
    public int Samples => _sampler.Batch;

    /// <summary>N, the population size.</summary>
    public int Population => _set.Count;

    /// <summary>The sample mean gradient ḡ of the last <see cref="Measure(ReadOnlySpan{float})"/> (the full gradient when n = N).</summary>
    public ReadOnlySpan<float> MeanGradient => _mean;

    /// <summary>Group a's mean gradient g_a of the last <see cref="Measure(ReadOnlySpan{float})"/>.</summary>
    /// <param name="group">a, from 0 to <see cref="Groups"/> − 1.</param>
    public ReadOnlySpan<float> GroupGradient(int group) =>
        _groupGradients.AsSpan(group * _network.ParameterCount, _network.ParameterCount);

    /// <summary>Measures the loss and the gradient statistics at <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The model's parameters w.</param>
    /// <returns>The loss and the estimates.</returns>
    public ProbeResult Measure(ReadOnlySpan<float> parameters)
    {
        _sampler.Draw();
        return MeasureDrawn(parameters);
    }

    /// <summary>Measures at <paramref name="parameters"/> on a sample that depends on <paramref name="drawSeed"/> alone
    /// (<see cref="MinibatchSampler.Draw(int)"/>), not on earlier measurements.</summary>
    /// <param name="parameters">The model's parameters w.</param>
    /// <param name="drawSeed">Seed of this measurement's sample.</param>
    /// <returns>The loss and the estimates.</returns>
    public ProbeResult Measure(ReadOnlySpan<float> parameters, int drawSeed)
    {
        _sampler.Draw(drawSeed);
        return MeasureDrawn(parameters);
    }

    private ProbeResult MeasureDrawn(ReadOnlySpan<float> parameters)
    {
        parameters.CopyTo(_network.Parameters);
        ReadOnlySpan<float> features = _sampler.Features;
        ReadOnlySpan<int> labels = _sampler.Labels;
        int p = _network.ParameterCount, size = _set.FeatureSize, m = GroupSize;
        double loss = 0;
        for (int a = 0; a < Groups; a++)
        {
            loss += _network.ComputeGradient(features.Slice(a * m * size, m * size), labels.Slice(a * m, m));
            _network.Gradients.CopyTo(_groupGradients.AsSpan(a * p, p));
        }

        _mean.AsSpan().Clear();
        for (int a = 0; a < Groups; a++)
        {
            ReadOnlySpan<float> ga = _groupGradients.AsSpan(a * p, p);
            TensorPrimitives.Add(_mean, ga, _mean);
            for (int b = 0; b <= a; b++)
            {
                double dot = TensorPrimitives.Dot(ga, _groupGradients.AsSpan(b * p, p));
                _gram[(a * Groups) + b] = dot;
                _gram[(b * Groups) + a] = dot;
            }
        }

        TensorPrimitives.Multiply(_mean, 1f / Groups, _mean);
        var estimate = GradientStatistics.FromGram(_gram, Groups, m, _set.Count);
        return new ProbeResult(loss / Groups, estimate);
    }
}
