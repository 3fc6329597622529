using EdgeLearn.Data.Shift;
using EdgeLearn.Training.Internal;

namespace EdgeLearn.Training;

/// <summary>
/// The data of one run: the server's general data, each device's task data, all task data together (the population of
/// the target objective F, on which |∇F|² is measured) and the task test set.
/// </summary>
public sealed class TrainingData
{
    private TrainingData(ShiftedData source, LabelledSet general, LabelledSet[] devices, LabelledSet task, LabelledSet test)
    {
        Source = source;
        General = general;
        Devices = devices;
        TaskSet = task;
        Test = test;
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

    internal LabelledSet General { get; }

    internal IReadOnlyList<LabelledSet> Devices { get; }

    /// <summary>All devices' task data in device order (device k holds the share ρk of it).</summary>
    internal LabelledSet TaskSet { get; }

    internal LabelledSet Test { get; }

    /// <summary>Prepares shifted data for training.</summary>
    /// <param name="data">General, device and test data (<see cref="ShiftedDataBuilder"/>); at least two task images.</param>
    /// <returns>The prepared data.</returns>
    public static TrainingData Create(ShiftedData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(data.Task.Count, 2);
        return new TrainingData(
            data,
            LabelledSet.From(data.General),
            data.Devices.Select(LabelledSet.From).ToArray(),
            LabelledSet.From(data.Task),
            LabelledSet.From(data.TaskTest));
    }
}
