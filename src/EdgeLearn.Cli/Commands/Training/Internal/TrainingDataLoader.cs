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

    /// <summary>Test images of the synthetic dataset when --test-size is absent.</summary>
    private const int SyntheticTestSize = 1000;

    /// <summary>General images of the synthetic dataset when --general-size is absent.</summary>
    private const int SyntheticGeneralSize = 2000;

    /// <summary>Loads and builds the data.</summary>
    /// <exception cref="UserInputException">The dataset is not cached or unreadable, or the scenario asks for more images
    /// than it holds (exit code 2).</exception>
    public static TrainingData Load(TrainingDataSettings settings, Scenario scenario, int seed)
    {
        int taskSize = scenario.Devices.Sum(d => d.DatasetSize);
        DatasetSplit source = Source(settings, taskSize, seed);
        var shift = new ShiftConfig { RotationDegrees = settings.Rotate, InvertFraction = settings.Invert, NoiseStd = settings.Noise };
        int remaining = Math.Max(0, source.Train.Count - taskSize);
        var config = new DataConfig
        {
            BaseDataset = UserIdxDataset.IsUserDataset(settings.Dataset) ? settings.Dataset : source.Train.Name.Split('/')[0],
            DeviceSizes = scenario.Devices.Select(d => d.DatasetSize).ToArray(),
            GeneralSize = settings.GeneralSize ?? Math.Min(DefaultGeneralCap, remaining),
            TaskTestSize = settings.TestSize ?? ShiftedDataBuilder.LargestTaskTestSize(source, shift),
            Shift = shift,
            DeviceSplit = settings.ParsedSplit,
            DirichletAlpha = settings.DirichletAlpha,
            Seed = seed,
        };
        if (!ShiftedDataBuilder.TryBuild(source, config, out ShiftedData? data, out IReadOnlyList<string> problems))
        {
            throw new UserInputException([.. problems.Select(p =>
                $"Unable to build the training data from {config.BaseDataset} for {scenario.Devices.Count} devices (sum of datasetSize = {taskSize}): {p}")]);
        }

        return TrainingData.Create(data!);
    }

    private static DatasetSplit Source(TrainingDataSettings settings, int taskSize, int seed)
    {
        if (string.Equals(settings.Dataset, TrainingDataSettings.Synthetic, StringComparison.OrdinalIgnoreCase))
        {
            return SyntheticImages.Create(new SyntheticImagesOptions
            {
                TrainCount = taskSize + (settings.GeneralSize ?? SyntheticGeneralSize),
                TestCount = settings.TestSize ?? SyntheticTestSize,
                Seed = seed,
            });
        }

        if (UserIdxDataset.IsUserDataset(settings.Dataset))
        {
            return UserIdxDataset.TryLoad(settings.Dataset, out DatasetSplit? split, out string? idxError)
                ? split!
                : throw new UserInputException(idxError!);
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
