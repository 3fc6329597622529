using EdgeLearn.Data;
using EdgeLearn.Training.Internal;

namespace EdgeLearn.Training;

/// <summary>
/// The data of one run: the server's general data, each device's task data, the task test set and the fixed
/// evaluation subset of the task data on which the full target-loss gradient is measured.
/// </summary>
public sealed class TrainingData
{
    private TrainingData(ShiftedData source, LabelledSet general, LabelledSet[] devices, LabelledSet test, LabelledSet gradientSet)
    {
        Source = source;
        General = general;
        Devices = devices;
        Test = test;
        GradientSet = gradientSet;
    }

    /// <summary>The shifted data this was built from (configuration, shift and split included).</summary>
    public ShiftedData Source { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width => Source.Task.Width;

    /// <summary>Image height in pixels.</summary>
    public int Height => Source.Task.Height;

    /// <summary>Channels per pixel.</summary>
    public int Channels => Source.Task.Channels;

    /// <summary>Features per sample (W·H·C).</summary>
    public int InputSize => Source.Task.ImageSize;

    /// <summary>Number of classes.</summary>
    public int ClassCount => Source.Task.ClassCount;

    /// <summary>Samples of the fixed gradient-evaluation subset.</summary>
    public int GradientSamples => GradientSet.Count;

    internal LabelledSet General { get; }

    internal IReadOnlyList<LabelledSet> Devices { get; }

    internal LabelledSet Test { get; }

    internal LabelledSet GradientSet { get; }

    /// <summary>Prepares shifted data for training.</summary>
    /// <param name="data">General, device and test data (<see cref="ShiftedDataBuilder"/>).</param>
    /// <param name="gradientSamples">Size of the gradient-evaluation subset, drawn uniformly without replacement from the
    /// task data (all device data together, so device k is represented in proportion to ρk); at least 1, clipped to the task size.</param>
    /// <param name="seed">Seed of the subset.</param>
    /// <returns>The prepared data.</returns>
    public static TrainingData Create(ShiftedData data, int gradientSamples, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(gradientSamples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(data.Task.Count, 1);
        var random = new Random(Seeds.Derive(seed, Seeds.GradientSubset));
        int n = Math.Min(gradientSamples, data.Task.Count);
        int[] order = new int[data.Task.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        for (int i = 0; i < n; i++)
        {
            int j = i + random.Next(order.Length - i);
            (order[i], order[j]) = (order[j], order[i]);
        }

        int[] subset = order[..n];
        Array.Sort(subset);
        ImageDataset gradientSet = data.Task.Select(subset, data.Task.Name + "/gradient");
        return new TrainingData(
            data,
            LabelledSet.From(data.General),
            data.Devices.Select(LabelledSet.From).ToArray(),
            LabelledSet.From(data.TaskTest),
            LabelledSet.From(gradientSet));
    }
}
