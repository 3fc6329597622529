using EdgeLearn.Data.Cache;
using EdgeLearn.Data.Datasets;
using EdgeLearn.Data.Shift;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Training;

/// <summary>Where a run's images come from and how they are shifted and split (the data options of <c>train</c>,
/// <c>calibrate</c> and <c>train --scheme all</c>).</summary>
public sealed record DataSource
{
    /// <summary>The most images a run loads or makes (general, task and test together): well above every built-in
    /// dataset (70,000), and small enough that image and label arrays stay within .NET's array limits.</summary>
    public const int MaxImages = 1_000_000;

    /// <summary>Largest default general dataset.</summary>
    public const int DefaultGeneralCap = 20_000;

    /// <summary>General images of the synthetic dataset when <see cref="GeneralSize"/> is absent.</summary>
    public const int SyntheticGeneralSize = 2000;

    /// <summary>Test images of the synthetic dataset when <see cref="TestSize"/> is absent.</summary>
    public const int SyntheticTestSize = 1000;

    /// <summary><c>mnist</c> or <c>fashion</c> (from the cache), <c>synthetic</c>, or <c>idx:PREFIX[,TEST_PREFIX]</c>
    /// (<see cref="UserIdxDataset"/>); default <c>mnist</c>.</summary>
    public string Dataset { get; init; } = "mnist";

    /// <summary>Cache folder of the known datasets (<see cref="DatasetCache.ResolveDirectory"/>); default: the default cache.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Shift of the task images; default none.</summary>
    public ShiftConfig Shift { get; init; } = new();

    /// <summary>How the task data is split among devices; default IID.</summary>
    public DeviceSplit Split { get; init; } = DeviceSplit.Iid;

    /// <summary>Alpha of a Dirichlet split; default 0.5.</summary>
    public double DirichletAlpha { get; init; } = 0.5;

    /// <summary>General images; default every training image not given to a device, at most <see cref="DefaultGeneralCap"/>
    /// (<see cref="SyntheticGeneralSize"/> for synthetic data).</summary>
    public int? GeneralSize { get; init; }

    /// <summary>Task test images; default the dataset's whole test part as far as the task's class proportions allow
    /// (<see cref="SyntheticTestSize"/> for synthetic data).</summary>
    public int? TestSize { get; init; }

    /// <summary>Whether <see cref="Dataset"/> is made on the spot.</summary>
    public bool IsSynthetic => string.Equals(Dataset, SyntheticImages.Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Builds the data of a run: one task set of Dk images per scenario device (shifted and split), the general
    /// data from the remaining training images, and the task test set.</summary>
    /// <param name="scenario">The scenario (its devices' <c>datasetSize</c>).</param>
    /// <param name="seed">Seed of the synthetic images, the draws, the shift and the split.</param>
    /// <param name="data">The data when it could be built.</param>
    /// <param name="errors">One line per problem otherwise: a dataset that is not cached or unreadable, or more images
    /// asked for than it holds.</param>
    /// <returns>Whether the data was built.</returns>
    public bool TryLoad(Scenario scenario, int seed, out TrainingData? data, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        data = null;
        long taskImages = scenario.Devices.Sum(d => (long)d.DatasetSize);
        if (taskImages > MaxImages)
        {
            errors = [FormattableString.Invariant(
                $"the scenario's {scenario.Devices.Count} devices need {taskImages:N0} task images in all (the sum of devices[*].datasetSize), more than any dataset here holds ({MaxImages:N0} at most); use fewer devices or smaller devices[*].datasetSize.")];
            return false;
        }

        int taskSize = (int)taskImages;
        if (taskSize < 2)
        {
            errors = [$"the scenario's devices hold {taskSize} task image in all (the sum of devices[*].datasetSize); at least 2 are needed to measure |grad F|^2 over them."];
            return false;
        }

        if (!TrySource(taskSize, seed, out DatasetSplit? source, out string? error))
        {
            errors = [error!];
            return false;
        }

        if (taskSize > source!.Train.Count)
        {
            errors = [TooFewImages(scenario, taskSize, source.Train.Count)];
            return false;
        }

        int remaining = Math.Max(0, source.Train.Count - taskSize);
        var config = new DataConfig
        {
            BaseDataset = UserIdxDataset.IsUserDataset(Dataset) ? Dataset : source.Train.Name.Split('/')[0],
            DeviceSizes = scenario.Devices.Select(d => d.DatasetSize).ToArray(),
            GeneralSize = GeneralSize ?? Math.Min(DefaultGeneralCap, remaining),
            TaskTestSize = TestSize ?? ShiftedDataBuilder.LargestTaskTestSize(source, Shift),
            Shift = Shift,
            DeviceSplit = Split,
            DirichletAlpha = DirichletAlpha,
            Seed = seed,
        };
        if (!ShiftedDataBuilder.TryBuild(source, config, out ShiftedData? shifted, out IReadOnlyList<string> problems))
        {
            errors = problems.Select(p =>
                $"Unable to build the training data from {config.BaseDataset} for {scenario.Devices.Count} devices (sum of datasetSize = {taskSize}): {p}").ToArray();
            return false;
        }

        data = TrainingData.Create(shifted!);
        errors = [];
        return true;
    }

    /// <summary>One line with the numbers and the ways out: fewer or smaller devices, or a larger dataset.</summary>
    private string TooFewImages(Scenario scenario, int taskSize, int available)
    {
        string name = KnownDataset.TryFind(Dataset, out KnownDataset? known) ? known!.Name : Dataset;
        var larger = KnownDataset.All
            .Select(d => (d.Name, Train: (int)Math.Round(d.ExpectedCount * (1 - d.TestFraction))))
            .Where(d => d.Name != name && d.Train > taskSize)
            .Select(d => FormattableString.Invariant($", or --dataset {d.Name} ({d.Train:N0} training images)"));
        return FormattableString.Invariant(
            $"the scenario's {scenario.Devices.Count} devices need {taskSize:N0} task images in all (the sum of devices[*].datasetSize), but {name}'s training part holds {available:N0}; use fewer devices or smaller devices[*].datasetSize (at most {available:N0} in all, less the server's general images)")
            + string.Concat(larger) + ".";
    }

    private bool TrySource(int taskSize, int seed, out DatasetSplit? source, out string? error)
    {
        error = null;
        if (IsSynthetic)
        {
            long images = (long)taskSize + (GeneralSize ?? SyntheticGeneralSize) + (TestSize ?? SyntheticTestSize);
            if (images > MaxImages)
            {
                source = null;
                error = FormattableString.Invariant(
                    $"the synthetic dataset makes at most {MaxImages:N0} images, and this run needs {images:N0} ({taskSize:N0} task images for the devices, {GeneralSize ?? SyntheticGeneralSize:N0} general, {TestSize ?? SyntheticTestSize:N0} test); use fewer or smaller devices, or a smaller --general-size or --test-size.");
                return false;
            }

            source = SyntheticImages.Create(new SyntheticImagesOptions
            {
                TrainCount = taskSize + (GeneralSize ?? SyntheticGeneralSize),
                TestCount = TestSize ?? SyntheticTestSize,
                Seed = seed,
            });
            return true;
        }

        if (UserIdxDataset.IsUserDataset(Dataset))
        {
            return UserIdxDataset.TryLoad(Dataset, out source, out error);
        }

        source = null;
        if (!KnownDataset.TryFind(Dataset, out KnownDataset? known))
        {
            error = $"dataset '{Dataset}' is unknown; it must be one of: {string.Join(", ", KnownDataset.All.Select(d => d.Name))}, {SyntheticImages.Name}, or idx:PREFIX.";
            return false;
        }

        string directory = DatasetCache.ResolveDirectory(CacheDirectory);
        string path = DatasetCache.PathFor(directory, known!.Name);
        if (!File.Exists(path))
        {
            error = $"Dataset {known.Name} is not cached in {directory}; run 'edgelearn data fetch {known.Name}' first (or use --dataset synthetic).";
            return false;
        }

        if (!DatasetCache.TryRead(path, out CachedDataset? cached, out error))
        {
            error = $"{error} Run 'edgelearn data fetch {known.Name}' again to rebuild it.";
            return false;
        }

        source = cached!.Split;
        return true;
    }
}
