using EdgeLearn.Data.Datasets;

namespace EdgeLearn.Training.Internal;

/// <summary>An image set in the model's input layout: features sample-major, labels as <c>int</c>.</summary>
internal sealed class LabelledSet
{
    private readonly ReadOnlyMemory<float> _features;
    private readonly int[] _labels;

    private LabelledSet(ReadOnlyMemory<float> features, int[] labels, int featureSize)
    {
        _features = features;
        _labels = labels;
        FeatureSize = featureSize;
    }

    /// <summary>Number of samples.</summary>
    public int Count => _labels.Length;

    /// <summary>Features per sample.</summary>
    public int FeatureSize { get; }

    /// <summary>All features, sample after sample.</summary>
    public ReadOnlySpan<float> Features => _features.Span;

    /// <summary>All labels.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Wraps a dataset (the pixel buffer is shared; for one channel H×W×C equals the models' C×H×W).</summary>
    public static LabelledSet From(ImageDataset set)
    {
        var labels = new int[set.Count];
        ReadOnlySpan<byte> source = set.Labels;
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = source[i];
        }

        return new LabelledSet(set.PixelMemory, labels, set.ImageSize);
    }

    /// <summary>A new set holding copies of the samples at <paramref name="indices"/>, in that order.</summary>
    public LabelledSet Select(ReadOnlySpan<int> indices)
    {
        var features = new float[(long)indices.Length * FeatureSize];
        var labels = new int[indices.Length];
        Gather(indices, features, labels);
        return new LabelledSet(features, labels, FeatureSize);
    }

    /// <summary>Copies the samples at <paramref name="indices"/> into <paramref name="features"/> and <paramref name="labels"/>.</summary>
    public void Gather(ReadOnlySpan<int> indices, Span<float> features, Span<int> labels)
    {
        ReadOnlySpan<float> all = _features.Span;
        int size = FeatureSize;
        for (int i = 0; i < indices.Length; i++)
        {
            int s = indices[i];
            all.Slice(s * size, size).CopyTo(features.Slice(i * size, size));
            labels[i] = _labels[s];
        }
    }
}
