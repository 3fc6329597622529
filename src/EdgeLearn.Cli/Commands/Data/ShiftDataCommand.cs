using System.ComponentModel;
using System.Globalization;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Data.Cache;
using EdgeLearn.Data.Datasets;
using EdgeLearn.Data.Shift;
using EdgeLearn.Data.Transport;
using EdgeLearn.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Data;

/// <summary>Settings of <c>edgelearn data shift</c>.</summary>
internal sealed class ShiftDataSettings : DataCacheSettings
{
    /// <summary>Largest exact subsample.</summary>
    public const int MaxExactSamples = 5000;

    /// <summary>Base dataset.</summary>
    [CommandOption("--dataset <NAME>")]
    [Description("Cached base dataset, mnist or fashion, or your own IDX files as idx:PREFIX (PREFIX-images-idx3-ubyte, PREFIX-labels-idx1-ubyte). Default: mnist.")]
    public string Dataset { get; init; } = "mnist";

    /// <summary>Rotation of the task images in degrees.</summary>
    [CommandOption("--rotate <DEG>")]
    [Description("Rotate every task image by DEG degrees (-360 to 360, bilinear). Default: 0.")]
    public double Rotate { get; init; }

    /// <summary>Fraction of task images inverted.</summary>
    [CommandOption("--invert <FRAC>")]
    [Description("Invert intensities (x -> 1 - x) of this fraction of the task images (0 to 1). Default: 0.")]
    public double Invert { get; init; }

    /// <summary>Noise standard deviation.</summary>
    [CommandOption("--noise <STD>")]
    [Description("Add Gaussian pixel noise of this standard deviation to the task images (0 to 1, clipped to [[0, 1]]). Default: 0.")]
    public double Noise { get; init; }

    /// <summary>Images per set per repeat.</summary>
    [CommandOption("--samples <N>")]
    [Description("Images drawn from each set per repeat. Default: 1000 for exact (1 to 5000), all for sliced.")]
    public int? Samples { get; init; }

    /// <summary>Repeats.</summary>
    [CommandOption("--repeats <R>")]
    [Description("Independent repeats; the spread is their standard deviation (1 to 1000). Default: 5.")]
    public int Repeats { get; init; } = 5;

    /// <summary>Estimator.</summary>
    [CommandOption("--method <METHOD>")]
    [Description("exact (optimal transport on subsamples) or sliced (random 1-D projections, whole sets). Default: exact.")]
    public string Method { get; init; } = "exact";

    /// <summary>Label weight lambda.</summary>
    [CommandOption("--label-weight <L>")]
    [Description("Weight lambda of the label term of the cost ||x - x'|| + lambda [[y != y']] (at least 0). Default: 0.")]
    public double LabelWeight { get; init; }

    /// <summary>Seed.</summary>
    [CommandOption("--seed <S>")]
    [Description("Seed of the data split, the transforms and the subsamples. Default: 0.")]
    public int Seed { get; init; }

    /// <summary>Where W1 is measured.</summary>
    [CommandOption("--space <SPACE>")]
    [Description("pixels (flattened images) or features (the last hidden layer of a 784-128-10 MLP trained on half of the general data; W1 is measured on the other half). Default: pixels.")]
    public string Space { get; init; } = "pixels";

    /// <summary>Training steps of the feature network.</summary>
    [CommandOption("--feature-steps <N>")]
    [Description("SGD steps (batch 128, step 0.1) of the feature network on the general data (1 to 100000). Default: 1000.")]
    public int FeatureSteps { get; init; } = new FeatureSpaceOptions().Steps;

    /// <summary>Report file.</summary>
    [CommandOption("--json <FILE>")]
    [Description("Also write the shift report (docs/formats.md) to FILE, atomically.")]
    public string? Json { get; init; }

    /// <summary>The task data's shift; valid after <see cref="Validate"/>.</summary>
    public ShiftConfig ParsedShift { get; private set; } = new();

    /// <summary>Whether W1 is measured in the feature space.</summary>
    public bool InFeatures => string.Equals(Space, "features", StringComparison.OrdinalIgnoreCase);

    /// <summary>The parsed estimator; valid after <see cref="Validate"/>.</summary>
    public WassersteinMethod ParsedMethod =>
        string.Equals(Method, "sliced", StringComparison.OrdinalIgnoreCase) ? WassersteinMethod.Sliced : WassersteinMethod.Exact;

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        var errors = new List<string>();
        DataOptionRules.Dataset(Dataset, allowSynthetic: false, errors);
        ParsedShift = DataOptionRules.Shift(Rotate, Invert, Noise, errors);

        bool exact = string.Equals(Method, "exact", StringComparison.OrdinalIgnoreCase);
        if (!exact && !string.Equals(Method, "sliced", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"--method is '{Method}'; it must be exact or sliced.");
        }

        if (Samples is { } n && (n < 1 || (exact && n > MaxExactSamples)))
        {
            errors.Add(exact
                ? $"--samples is {n}; it must be between 1 and {MaxExactSamples} for the exact method."
                : $"--samples is {n}; it must be at least 1.");
        }

        if (Repeats is < 1 or > 1000)
        {
            errors.Add($"--repeats is {Repeats}; it must be between 1 and 1000.");
        }

        if (!(LabelWeight >= 0) || double.IsInfinity(LabelWeight))
        {
            errors.Add($"--label-weight is {Format(LabelWeight)}; it must be a finite number of at least 0.");
        }

        OutputPath.File("--json", Json, errors);
        OutputPath.Distinct(DatasetFiles(), [("--json", Json)], errors);

        if (!string.Equals(Space, "pixels", StringComparison.OrdinalIgnoreCase) && !string.Equals(Space, "features", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"--space is '{Space}'; it must be pixels or features.");
        }

        if (FeatureSteps is < 1 or > 100_000)
        {
            errors.Add($"--feature-steps is {FeatureSteps}; it must be between 1 and 100000.");
        }

        if (errors.Count > 0)
        {
            return ValidationResult.Error(string.Join("\n", errors));
        }

        return base.Validate();
    }

    /// <summary>The files the dataset is read from: the cache file, or the IDX files of idx:PREFIX when they exist.</summary>
    private List<(string Option, string? Path)> DatasetFiles() =>
        !Dataset.StartsWith("idx:", StringComparison.OrdinalIgnoreCase) ? [("--dataset (its cache file)", DatasetCache.PathFor(CacheDirectory, Dataset))]
        : IdxFormat.TryFindFiles(Dataset[4..], out string images, out string labels) ? [("--dataset", images), ("--dataset", labels)]
        : [];

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The shift report of formats.md ("Shift report"), plus the run's settings.</summary>
/// <param name="Dataset">Base dataset name.</param>
/// <param name="RotateDeg">Rotation of the task images in degrees.</param>
/// <param name="InvertFraction">Fraction of task images inverted.</param>
/// <param name="NoiseStd">Standard deviation of the task images' pixel noise.</param>
/// <param name="Wasserstein">Raw estimated W1(P0, P), mean over repeats (pixel or feature units).</param>
/// <param name="WassersteinSpread">Standard deviation of the raw W1 over repeats.</param>
/// <param name="Samples">Images per set per repeat.</param>
/// <param name="Method">exact or sliced.</param>
/// <param name="Floor">W1 between two disjoint samples of the general data, the same size: the finite-sample floor.</param>
/// <param name="FloorSpread">Its spread over repeats.</param>
/// <param name="Debiased">Mean over repeats of raw − floor: the shift itself, ≈ 0 without a shift.</param>
/// <param name="DebiasedSpread">Spread of raw − floor over repeats.</param>
/// <param name="Space">pixels or features.</param>
/// <param name="Repeats">Number of repeats.</param>
/// <param name="LabelWeight">Label weight lambda of the ground cost.</param>
/// <param name="Seed">Seed of the run.</param>
/// <param name="GeneralSize">Images of the general set P0.</param>
/// <param name="TaskSize">Images of the task set P.</param>
/// <param name="Projections">Random directions per repeat (sliced only).</param>
/// <param name="FeatureSteps">SGD steps of the feature network (features only).</param>
internal sealed record ShiftReport(
    string Dataset, double RotateDeg, double InvertFraction, double NoiseStd, double Wasserstein, double WassersteinSpread,
    int Samples, WassersteinMethod Method, double Floor, double FloorSpread, double Debiased, double DebiasedSpread, string Space,
    int Repeats, double LabelWeight, int Seed, int GeneralSize, int TaskSize, int? Projections, int? FeatureSteps);

/// <summary>
/// <c>edgelearn data shift</c>: splits the cached dataset's training part into disjoint general (P0) and task (P)
/// halves, shifts the task half (rotation, inversion, noise), estimates W1(P0, P), the same-distribution floor W1
/// between two general samples and their difference (the debiased shift), in pixel or feature space, with spreads.
/// Exit code 2 when the dataset is not cached.
/// </summary>
internal sealed class ShiftDataCommand(CliOutput output) : Command<ShiftDataSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ShiftDataSettings settings, CancellationToken cancellationToken)
    {
        DatasetSplit split = Load(settings, out string name);
        int generalSize = split.Train.Count / 2;
        var config = new DataConfig
        {
            BaseDataset = name,
            GeneralSize = generalSize,
            DeviceSizes = [split.Train.Count - generalSize],
            TaskTestSize = 0,
            Seed = settings.Seed,
            Shift = settings.ParsedShift,
        };
        if (!ShiftedDataBuilder.TryBuild(split, config, out ShiftedData? data, out IReadOnlyList<string> problems))
        {
            throw new UserInputException([.. problems]);
        }

        WassersteinMethod method = settings.ParsedMethod;
        var options = new WassersteinOptions
        {
            Method = method,
            Samples = settings.Samples ?? (method == WassersteinMethod.Exact ? 1000 : 0),
            Repeats = settings.Repeats,
            LabelWeight = settings.LabelWeight,
            Seed = settings.Seed,
        };
        ImageDataset general = data!.General, task = data.Task;
        int needed = settings.InFeatures ? 4 : 2;
        if (general.Count < needed)
        {
            throw new UserInputException($"--dataset {name} leaves {general.Count} general images; measuring the shift with its floor needs at least {needed}.");
        }

        // Every repeat draws two disjoint general samples (raw and floor) and one task sample of --samples images each.
        int measured = settings.InFeatures ? general.Count - (general.Count / 2) : general.Count;
        int largest = Math.Min(measured / 2, task.Count);
        if (settings.Samples is { } samples && samples > largest)
        {
            string halves = settings.InFeatures ? $"the {measured} general images not used to train the feature network" : $"the {measured} general images";
            throw new UserInputException(
                $"--samples is {samples}; it must be at most {largest} for {name} here: each repeat draws two disjoint samples from {halves} and one from the {task.Count} task images.");
        }

        if (settings.InFeatures)
        {
            // The network learns on one half of the general data; W1 is measured on the other half, unseen like the task data.
            int half = general.Count / 2;
            var network = FeatureSpace.Pretrain(general.Slice(0, half), new FeatureSpaceOptions { Steps = settings.FeatureSteps, Seed = settings.Seed });
            general = FeatureSpace.Embed(network, general.Slice(half, general.Count - half));
            task = FeatureSpace.Embed(network, task);
        }

        ShiftEstimate w = Wasserstein.EstimateShift(general, task, options);
        string space = settings.InFeatures ? "features" : "pixels";
        string prose = settings.InFeatures ? "feature" : "pixel";
        var report = new ShiftReport(
            name, settings.Rotate, settings.Invert, settings.Noise, w.Raw.Value, w.Raw.Spread, w.Raw.Samples, method,
            w.Floor.Value, w.Floor.Spread, w.Debiased, w.DebiasedSpread, space,
            w.Raw.Repeats.Count, settings.LabelWeight, settings.Seed, data.General.Count, data.Task.Count,
            method == WassersteinMethod.Sliced ? options.Projections : null, settings.InFeatures ? settings.FeatureSteps : null);

        output.Console.MarkupLineInterpolated($"W1(P0, P) = [bold]{w.Debiased:F4}[/] ± {w.DebiasedSpread:F4} (debiased)");
        output.Console.Write(ShiftTable(w, $"{method.ToString().ToLowerInvariant()} W1 in {prose} space"));
        output.Console.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"{w.Raw.Samples} samples x {w.Raw.Repeats.Count} repeats; {name}, rotate {settings.Rotate}°, invert {settings.Invert}, noise {settings.Noise}, label weight {settings.LabelWeight}.")));
        if (settings.Json is { } json)
        {
            AtomicFile.WriteAllText(json, RunProvenance.AddTo(CliJson.FileText(report), RunProvenance.Create(output, context, settings) with
            {
                Dataset = name,
                Seeds = [settings.Seed],
            }));
            output.Status($"Wrote the shift report to {json}.");
        }

        return ExitCodes.Ok;
    }
    /// <summary>The raw distance, its floor and the debiased shift, each with its spread over the repeats.</summary>
    private static Table ShiftTable(ShiftEstimate w, string title)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(title)), Border = TableBorder.Rounded };
        table.AddColumn("distance");
        table.AddColumn(new TableColumn("W1").RightAligned());
        table.AddColumn(new TableColumn("± spread").RightAligned());
        table.AddRow("general vs task (raw)", Compact(w.Raw.Value, 12), Compact(w.Raw.Spread, 10));
        table.AddRow("general vs general (floor)", Compact(w.Floor.Value, 12), Compact(w.Floor.Spread, 10));
        table.AddRow("[bold]shift = raw - floor[/]", Compact(w.Debiased, 12), Compact(w.DebiasedSpread, 10));
        return table;
    }

    /// <summary>Four decimals while that fits <paramref name="width"/> characters, else fewer digits (<see cref="CellText.Fit"/>).</summary>
    private static string Compact(double value, int width)
    {
        string fixedPoint = value.ToString("F4", CultureInfo.InvariantCulture);
        return fixedPoint.Length <= width ? fixedPoint : CellText.Fit(value, width);
    }

    private static DatasetSplit Load(ShiftDataSettings settings, out string name)
    {
        name = settings.Dataset;
        if (UserIdxDataset.IsUserDataset(settings.Dataset))
        {
            return UserIdxDataset.TryLoad(settings.Dataset, out DatasetSplit? user, out string? idxError) ? user! : throw new UserInputException(idxError!);
        }

        KnownDataset.TryFind(settings.Dataset, out KnownDataset? known);
        name = known!.Name;
        string path = DatasetCache.PathFor(settings.CacheDirectory, known.Name);
        if (!File.Exists(path))
        {
            throw new UserInputException(
                $"Dataset {known.Name} is not cached in {settings.CacheDirectory}; run 'edgelearn data fetch {known.Name}' first.");
        }

        return DatasetCache.TryRead(path, out CachedDataset? cached, out string? error) ? cached!.Split : throw new UserInputException(error!);
    }
}
