using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Data;
using EdgeLearn.Scenarios;
using EdgeLearn.Training;

namespace EdgeLearn.Cli.Commands.Training.Internal;

/// <summary>Builds a run's data from the settings: the base dataset (cache or synthetic), one task set of size Dk per
/// scenario device, the general data from the remaining training images, the task test set, the shift and the split.</summary>
internal static class TrainingDataLoader
{
    /// <summary>Largest default general dataset.</summary>
    private const int DefaultGeneralCap = 20_000;

    /// <summary>Default task test set size.</summary>
    private const int DefaultTestSize = 1000;

    /// <summary>General images of the synthetic dataset when --general-size is absent.</summary>
    private const int SyntheticGeneralSize = 2000;

    /// <summary>Loads and builds the data.</summary>
    /// <exception cref="UserInputException">The dataset is not cached or unreadable, or the scenario asks for more images
    /// than it holds (exit code 2).</exception>
    public static TrainingData Load(TrainingDataSettings settings, Scenario scenario)
    {
        int taskSize = scenario.Devices.Sum(d => d.DatasetSize);
        DatasetSplit source = Source(settings, taskSize);
        int remaining = Math.Max(0, source.Train.Count - taskSize);
        var config = new DataConfig
        {
            BaseDataset = source.Train.Name.Split('/')[0],
            DeviceSizes = scenario.Devices.Select(d => d.DatasetSize).ToArray(),
            GeneralSize = settings.GeneralSize ?? Math.Min(DefaultGeneralCap, remaining),
            TaskTestSize = settings.TestSize ?? Math.Min(DefaultTestSize, source.Test.Count),
            Shift = new ShiftConfig { RotationDegrees = settings.Rotate, InvertFraction = settings.Invert, NoiseStd = settings.Noise },
            DeviceSplit = settings.ParsedSplit,
            DirichletAlpha = settings.DirichletAlpha,
            Seed = settings.Seed,
        };
        if (!ShiftedDataBuilder.TryBuild(source, config, out ShiftedData? data, out IReadOnlyList<string> problems))
        {
            throw new UserInputException([.. problems.Select(p =>
                $"Unable to build the training data from {config.BaseDataset} for {scenario.Devices.Count} devices (sum of datasetSize = {taskSize}): {p}")]);
        }

        return TrainingData.Create(data!, settings.TrainingOptions.GradientSamples, settings.Seed);
    }

    private static DatasetSplit Source(TrainingDataSettings settings, int taskSize)
    {
        if (string.Equals(settings.Dataset, TrainingDataSettings.Synthetic, StringComparison.OrdinalIgnoreCase))
        {
            return SyntheticImages.Create(new SyntheticImagesOptions
            {
                TrainCount = taskSize + (settings.GeneralSize ?? SyntheticGeneralSize),
                TestCount = settings.TestSize ?? DefaultTestSize,
                Seed = settings.Seed,
            });
        }

        KnownDataset.TryFind(settings.Dataset, out KnownDataset? known);
        string path = DatasetCache.PathFor(settings.CacheDirectory, known!.Name);
        if (!File.Exists(path))
        {
            throw new UserInputException(
                $"Dataset {known.Name} is not cached in {settings.CacheDirectory}; run 'edgelearn data fetch {known.Name}' first (or use --dataset synthetic).");
        }

        if (!DatasetCache.TryRead(path, out CachedDataset? cached, out string? error))
        {
            throw new UserInputException($"{error} Run 'edgelearn data fetch {known.Name}' again to rebuild it.");
        }

        return cached!.Split;
    }
}
