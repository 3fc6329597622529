using System.ComponentModel;
using System.Globalization;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Data;
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
    [Description("Cached base dataset: mnist or fashion. Default: mnist.")]
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

    /// <summary>Report file.</summary>
    [CommandOption("--json <FILE>")]
    [Description("Also write the shift report (formats.md) to FILE, atomically.")]
    public string? Json { get; init; }

    /// <summary>The parsed estimator; valid after <see cref="Validate"/>.</summary>
    public WassersteinMethod ParsedMethod =>
        string.Equals(Method, "sliced", StringComparison.OrdinalIgnoreCase) ? WassersteinMethod.Sliced : WassersteinMethod.Exact;

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        var errors = new List<string>();
        if (!KnownDataset.TryFind(Dataset, out _))
        {
            errors.Add($"--dataset is '{Dataset}'; it must be one of: {string.Join(", ", KnownDataset.All.Select(d => d.Name))}.");
        }

        if (!(Rotate >= -360 && Rotate <= 360))
        {
            errors.Add($"--rotate is {Format(Rotate)}; it must be between -360 and 360 degrees.");
        }

        if (!(Invert >= 0 && Invert <= 1))
        {
            errors.Add($"--invert is {Format(Invert)}; it must be a fraction between 0 and 1.");
        }

        if (!(Noise >= 0 && Noise <= 1))
        {
            errors.Add($"--noise is {Format(Noise)}; it must be between 0 and 1.");
        }

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

        if (Json is { Length: 0 })
        {
            errors.Add("--json is empty; it must be a file path.");
        }

        if (errors.Count > 0)
        {
            return ValidationResult.Error(string.Join("\n", errors));
        }

        return base.Validate();
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The shift report of formats.md ("Shift report"), plus the run's settings.</summary>
/// <param name="Dataset">Base dataset name.</param>
/// <param name="RotateDeg">Rotation of the task images in degrees.</param>
/// <param name="InvertFraction">Fraction of task images inverted.</param>
/// <param name="NoiseStd">Standard deviation of the task images' pixel noise.</param>
/// <param name="Wasserstein">Estimated W1(P0, P), mean over repeats (pixel units).</param>
/// <param name="WassersteinSpread">Standard deviation of W1 over repeats.</param>
/// <param name="Samples">Images per set per repeat.</param>
/// <param name="Method">exact or sliced.</param>
/// <param name="Repeats">Number of repeats.</param>
/// <param name="LabelWeight">Label weight lambda of the ground cost.</param>
/// <param name="Seed">Seed of the run.</param>
/// <param name="GeneralSize">Images of the general set P0.</param>
/// <param name="TaskSize">Images of the task set P.</param>
/// <param name="Projections">Random directions per repeat (sliced only).</param>
internal sealed record ShiftReport(
    string Dataset, double RotateDeg, double InvertFraction, double NoiseStd, double Wasserstein, double WassersteinSpread,
    int Samples, WassersteinMethod Method, int Repeats, double LabelWeight, int Seed, int GeneralSize, int TaskSize, int? Projections);

/// <summary>
/// <c>edgelearn data shift</c>: splits the cached dataset's training part into disjoint general (P0) and task (P)
/// halves, shifts the task half (rotation, inversion, noise), estimates W1(P0, P) and prints it with its spread.
/// Exit code 2 when the dataset is not cached.
/// </summary>
internal sealed class ShiftDataCommand(CliOutput output) : Command<ShiftDataSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ShiftDataSettings settings, CancellationToken cancellationToken)
    {
        KnownDataset.TryFind(settings.Dataset, out KnownDataset? known);
        string path = DatasetCache.PathFor(settings.CacheDirectory, known!.Name);
        if (!File.Exists(path))
        {
            throw new UserInputException(
                $"Dataset {known.Name} is not cached in {settings.CacheDirectory}; run 'edgelearn data fetch {known.Name}' first.");
        }

        if (!DatasetCache.TryRead(path, out CachedDataset? cached, out string? error))
        {
            throw new UserInputException(error!);
        }

        DatasetSplit split = cached!.Split;
        int generalSize = split.Train.Count / 2;
        var config = new DataConfig
        {
            BaseDataset = known.Name,
            GeneralSize = generalSize,
            DeviceSizes = [split.Train.Count - generalSize],
            TaskTestSize = 0,
            Seed = settings.Seed,
            Shift = new ShiftConfig { RotationDegrees = settings.Rotate, InvertFraction = settings.Invert, NoiseStd = settings.Noise },
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
        WassersteinEstimate w = Wasserstein.Estimate(data!.General, data.Task, options);
        var report = new ShiftReport(
            known.Name, settings.Rotate, settings.Invert, settings.Noise, w.Value, w.Spread, w.Samples, method,
            w.Repeats.Count, settings.LabelWeight, settings.Seed, data.General.Count, data.Task.Count,
            method == WassersteinMethod.Sliced ? options.Projections : null);

        output.Console.MarkupLineInterpolated(
            $"W1(P0, P) = [bold]{w.Value:F4}[/] ± {w.Spread:F4} ({method.ToString().ToLowerInvariant()}, {w.Samples} samples x {w.Repeats.Count} repeats; {known.Name}, rotate {settings.Rotate}°, invert {settings.Invert}, noise {settings.Noise}, label weight {settings.LabelWeight}).");
        if (settings.Json is { } json)
        {
            AtomicFile.WriteJson(json, report);
            output.Console.MarkupLineInterpolated($"Wrote the shift report to {json}.");
        }

        return ExitCodes.Ok;
    }
}
