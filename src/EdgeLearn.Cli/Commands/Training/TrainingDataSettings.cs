using System.ComponentModel;
using System.Globalization;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Data.Cache;
using EdgeLearn.Data.Shift;
using EdgeLearn.Learning;
using EdgeLearn.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Training;

/// <summary>
/// Options of every command that builds a model and its data from a scenario (<c>calibrate</c>, <c>train</c>,
/// <c>train --scheme all</c>): the scenario, the data (dataset, shift, device split, sizes, cache), the model, the threads
/// and the seed. <see cref="Validate"/> checks every value and reports all problems, one line each.
/// </summary>
internal class TrainingDataSettings : ScenarioSettings
{
    /// <summary>Name of the made-up dataset that needs no download.</summary>
    public const string Synthetic = DataOptionRules.Synthetic;

    /// <summary>Base dataset.</summary>
    [CommandOption("--dataset <NAME>")]
    [Description("mnist or fashion (from the cache; 'edgelearn data fetch NAME' fills it), synthetic (8x8 images made on the spot, no download), or idx:PREFIX (your own IDX files PREFIX-images-idx3-ubyte and PREFIX-labels-idx1-ubyte, optionally .gz). Default: mnist.")]
    public string Dataset { get; init; } = "mnist";

    /// <summary>Cache folder; null for the default.</summary>
    [CommandOption("--cache <DIR>")]
    [Description("Dataset cache folder. Default: $EDGELEARN_CACHE, else ~/.cache/edgelearn.")]
    public string? Cache { get; init; }

    /// <summary>Rotation of the task images in degrees.</summary>
    [CommandOption("--rotate <DEG>")]
    [Description("Rotate every task image by DEG degrees (-360 to 360). Default: 0.")]
    public double Rotate { get; init; }

    /// <summary>Fraction of task images inverted.</summary>
    [CommandOption("--invert <FRAC>")]
    [Description("Invert this fraction of the task images (0 to 1). Default: 0.")]
    public double Invert { get; init; }

    /// <summary>Noise standard deviation of the task images.</summary>
    [CommandOption("--noise <STD>")]
    [Description("Gaussian pixel noise on the task images (0 to 1). Default: 0.")]
    public double Noise { get; init; }

    /// <summary>Device split.</summary>
    [CommandOption("--split <SPLIT>")]
    [Description("How the task data is split among devices: iid, or dirichlet:ALPHA (label skew, ALPHA > 0). Default: iid.")]
    public string Split { get; init; } = "iid";

    /// <summary>General data size.</summary>
    [CommandOption("--general-size <N>")]
    [Description("Images of the server's general data. Default: every training image not given to a device, at most 20000 (2000 for synthetic).")]
    public int? GeneralSize { get; init; }

    /// <summary>Task test set size.</summary>
    [CommandOption("--test-size <N>")]
    [Description("Images of the task test set. Default: the dataset's whole test part (1999 of mnist's 2000 with its class proportions, 10000 for fashion).")]
    public int? TestSize { get; init; }

    /// <summary>Seed.</summary>
    [CommandOption("--seed <S>")]
    [Description("Seed of the data split and shift, the model, every minibatch and the fading. Default: 1.")]
    public int? Seed { get; init; }

    /// <summary>Architecture.</summary>
    [CommandOption("--model <NAME>")]
    [Description("mlp or lenet. Default: mlp.")]
    public string Model { get; init; } = "mlp";

    /// <summary>MLP hidden widths.</summary>
    [CommandOption("--hidden <WIDTHS>")]
    [Description("Hidden layer widths of the MLP, comma-separated. Default: 128.")]
    public string Hidden { get; init; } = "128";

    /// <summary>Cores.</summary>
    [CommandOption("--threads <T>")]
    [Description("Threads for the devices of a round and the server's batch (1 to 64); results depend on it bit-wise. Default: 2.")]
    public int Threads { get; init; } = new TrainingOptions().Parallelism;

    /// <summary>The cache folder to use.</summary>
    public string CacheDirectory => DatasetCache.ResolveDirectory(Cache);

    /// <summary>The task data's shift; valid after <see cref="Validate"/>.</summary>
    public ShiftConfig ParsedShift { get; private set; } = new();

    /// <summary>The parsed split; valid after <see cref="Validate"/>.</summary>
    public DeviceSplit ParsedSplit { get; private set; }

    /// <summary>The parsed Dirichlet alpha; valid after <see cref="Validate"/>.</summary>
    public double DirichletAlpha { get; private set; } = 0.5;

    /// <summary>The model (architecture, widths, threads, seed) as training options; valid after <see cref="Validate"/>.</summary>
    public TrainingOptions ModelOptions { get; private set; } = new();

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        var errors = new List<string>();
        ValidateData(errors);
        ValidateMore(errors);
        if (errors.Count > 0)
        {
            return ValidationResult.Error(string.Join("\n", errors));
        }

        return base.Validate();
    }

    /// <summary>Validates the options a derived command adds, after the data and model options.</summary>
    /// <param name="errors">Receives one line per problem.</param>
    protected virtual void ValidateMore(List<string> errors)
    {
    }

    /// <summary>Rewrites a <see cref="TrainingOptions"/> message with the command line's option names.</summary>
    protected static string OptionMessage(string problem) => problem
        .Replace("evaluationInterval", "--eval-every", StringComparison.Ordinal)
        .Replace("gradientSamples", "--gradient-samples", StringComparison.Ordinal)
        .Replace("hiddenSizes", "--hidden", StringComparison.Ordinal)
        .Replace("parallelism", "--threads", StringComparison.Ordinal);

    /// <summary>Formats a number for a message.</summary>
    protected static string F(double value) => value.ToString(CultureInfo.InvariantCulture);

    private void ValidateData(List<string> errors)
    {
        bool synthetic = DataOptionRules.IsSynthetic(Dataset);
        DataOptionRules.Dataset(Dataset, allowSynthetic: true, errors);
        DataOptionRules.Cache(Cache, errors);
        ParsedShift = DataOptionRules.Shift(Rotate, Invert, Noise, errors);
        ParseSplit(errors);
        if (GeneralSize is < 0)
        {
            errors.Add($"--general-size is {GeneralSize}; it must be at least 0.");
        }

        if (TestSize is < 1)
        {
            errors.Add($"--test-size is {TestSize}; it must be at least 1.");
        }

        ModelKind model = ModelKind.Mlp;
        if (string.Equals(Model, "lenet", StringComparison.OrdinalIgnoreCase))
        {
            model = ModelKind.LeNet;
            if (synthetic)
            {
                errors.Add($"--model is lenet; it needs 28x28 images, so --dataset must be mnist or fashion, not {Synthetic}.");
            }
        }
        else if (!string.Equals(Model, "mlp", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"--model is '{Model}'; it must be mlp or lenet.");
        }

        var options = new TrainingOptions { Model = model, HiddenSizes = ParseHidden(errors), Parallelism = Threads, Seed = Seed ?? 1 };
        foreach (string problem in options.Validate())
        {
            errors.Add(OptionMessage(problem));
        }

        ModelOptions = options;
    }

    private void ParseSplit(List<string> errors)
    {
        if (string.Equals(Split, "iid", StringComparison.OrdinalIgnoreCase))
        {
            ParsedSplit = DeviceSplit.Iid;
            return;
        }

        const string prefix = "dirichlet:";
        if (Split.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && double.TryParse(Split[prefix.Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out double alpha)
            && alpha > 0 && !double.IsInfinity(alpha))
        {
            ParsedSplit = DeviceSplit.Dirichlet;
            DirichletAlpha = alpha;
            return;
        }

        errors.Add($"--split is '{Split}'; it must be iid or dirichlet:ALPHA with ALPHA a positive number (e.g. dirichlet:0.5).");
    }

    private int[] ParseHidden(List<string> errors)
    {
        var widths = new List<int>();
        foreach (string part in Hidden.Split(',', StringSplitOptions.TrimEntries))
        {
            // An empty list would silently train a linear model (no hidden layer); there is no option for that on purpose.
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int width) || width < 1)
            {
                errors.Add($"--hidden is '{Hidden}'; it must be comma-separated whole numbers of at least 1 (e.g. 128 or 256,128).");
                return [128];
            }

            widths.Add(width);
        }

        return [.. widths];
    }
}

/// <summary>
/// Options of the commands that train (<c>train</c>, <c>train --scheme all</c>) on top of the data and model: the output
/// folder, the seeds, what is measured, fading and the model-size check. The step sizes are the scenario's.
/// </summary>
internal class TrainingRunSettings : TrainingDataSettings
{
    /// <summary>Several seeds.</summary>
    [CommandOption("--seeds <LIST>")]
    [Description("Run once per seed (comma-separated, e.g. 1,2,3) and report mean ± standard deviation; with --out, one sub-folder seed-S per seed and a summary of the means.")]
    public string? SeedList { get; init; }

    /// <summary>Output folder.</summary>
    [CommandOption("--out <DIR>")]
    [Description("Write summary.json (with its provenance), rounds.csv, rounds.json, PNG plots and the model weights (model-pretrained.bin, model-final.bin) to DIR (it appears complete when the run ends; DIR must be new or empty, or an earlier run's output, which is replaced only with --force). Default: nothing is written.")]
    public string? Out { get; init; }

    /// <summary>Channel model.</summary>
    [CommandOption("--fading <MODEL>")]
    [Description("none (static channel: totals equal the plan's) or rayleigh (block fading, gain ~ Exp(mean h_k) per round; deadline misses counted). Default: none.")]
    public string Fading { get; init; } = "none";

    /// <summary>Evaluation interval.</summary>
    [CommandOption("--eval-every <ROUNDS>")]
    [Description("Rounds between test-set evaluations (the end of each stage is always evaluated). Default: 10.")]
    public int EvaluationInterval { get; init; } = new TrainingOptions().EvaluationInterval;

    /// <summary>Gradient sample size.</summary>
    [CommandOption("--gradient-samples <N>")]
    [Description("Task images drawn afresh every round to estimate |grad F|^2 over all task data without bias (10 groups; at least 20). Default: 1000.")]
    public int GradientSamples { get; init; } = new TrainingOptions().GradientSamples;

    /// <summary>Replace an earlier run's --out folder.</summary>
    [CommandOption("--force")]
    [Description("Replace the --out folder when it holds an earlier run's output (an EdgeLearn summary.json and only files a run writes). Without it an existing, non-empty --out is refused; a folder that is not an EdgeLearn output is never replaced.")]
    public bool Force { get; init; }

    /// <summary>Run a plan that breaks a constraint of its scenario.</summary>
    [CommandOption("--allow-violations")]
    [Description("Train a plan even when it breaks a constraint of the scenario (a budget, a round limit, a device's power, frequency or batch); the violations are printed and recorded in summary.json. Without it such a plan is refused with exit code 3.")]
    public bool AllowViolations { get; init; }

    /// <summary>Accept a scenario whose model.uploadBits is not the model's size.</summary>
    [CommandOption("--accept-model-size")]
    [Description("Train even when the scenario's model.uploadBits is not this model's parameters x 32 (the plan's upload costs then describe another model).")]
    public bool AcceptModelSize { get; init; }

    /// <summary>Weights to start from.</summary>
    [CommandOption("--init-from <FILE>")]
    [Description("Start from the weights in FILE (model-final.bin or model-pretrained.bin of an earlier train --out; docs/formats.md, \"Model weights\") instead of the seed's random initialization. The model (--model, --hidden, the dataset's image size and classes) must be the file's; otherwise exit 2 naming what differs.")]
    public string? InitFrom { get; init; }

    private bool UsesCache => !Dataset.StartsWith("idx:", StringComparison.OrdinalIgnoreCase) && !string.Equals(Dataset, "synthetic", StringComparison.OrdinalIgnoreCase);

    /// <summary>The files and folders the run reads (option, path), which must not lie inside <c>--out</c>.</summary>
    protected virtual IReadOnlyList<(string Option, string? Path)> InputPaths =>
    [
        ("--scenario", ScenarioPath),
        ("--init-from", InitFrom),
        (Cache is null ? "data cache" : "--cache", UsesCache ? CacheDirectory : null),
        ("--dataset", Dataset.StartsWith("idx:", StringComparison.OrdinalIgnoreCase) ? Dataset[4..] : null),
    ];

    /// <summary>SHA-256 of the <see cref="InitFrom"/> file, lowercase hex; valid after <see cref="TrainingDataSettings.Validate"/>.</summary>
    public string? InitialWeightsSha256 { get; private set; }

    /// <summary>The training options these settings describe, for the first seed; valid after <see cref="TrainingDataSettings.Validate"/>.</summary>
    public TrainingOptions TrainingOptions { get; private set; } = new();

    /// <summary>The seeds to run, in order (one unless --seeds); valid after <see cref="TrainingDataSettings.Validate"/>.</summary>
    public IReadOnlyList<int> Seeds { get; private set; } = [1];

    /// <inheritdoc/>
    protected override void ValidateMore(List<string> errors)
    {
        OutputPath.Directory("--out", Out, errors);
        OutputPath.NotInside("--out", Out, InputPaths, errors);

        ChannelFading fading = ChannelFading.None;
        if (string.Equals(Fading, "rayleigh", StringComparison.OrdinalIgnoreCase))
        {
            fading = ChannelFading.Rayleigh;
        }
        else if (!string.Equals(Fading, "none", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"--fading is '{Fading}'; it must be none or rayleigh.");
        }

        Seeds = ParseSeeds(errors);
        var options = ModelOptions with
        {
            InitialWeights = ReadInitialWeights(errors),
            EvaluationInterval = EvaluationInterval,
            GradientSamples = GradientSamples,
            Fading = fading,
            Seed = Seeds[0],
            AcceptModelSizeMismatch = AcceptModelSize,
            AllowViolations = AllowViolations,
        };
        foreach (string problem in options.Validate().Except(ModelOptions.Validate()))
        {
            errors.Add(OptionMessage(problem));
        }

        TrainingOptions = options;
    }

    /// <summary>Reads --init-from: a file that cannot be read or is not a valid weights file is one line (its fit to the
    /// run's model is checked once the data is known, by <see cref="TwoStageTrainer.Check"/>).</summary>
    private ModelWeights? ReadInitialWeights(List<string> errors)
    {
        if (InitFrom is null)
        {
            return null;
        }

        if (Directory.Exists(InitFrom))
        {
            errors.Add($"--init-from is '{InitFrom}', a folder; it must be a weights file (e.g. {Path.Combine(InitFrom, "model-final.bin")}).");
            return null;
        }

        try
        {
            byte[] bytes = File.ReadAllBytes(InitFrom);
            var weights = ModelFile.Deserialize(bytes);
            InitialWeightsSha256 = Provenance.Sha256(bytes);
            return weights;
        }
        catch (Exception e) when (e is InvalidDataException)
        {
            errors.Add($"--init-from is '{InitFrom}'; it must be a valid weights file (docs/formats.md, \"Model weights\"), but {e.Message.TrimEnd('.')}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add($"--init-from is '{InitFrom}'; it must be a readable weights file ({e.Message.TrimEnd('.')}).");
        }

        return null;
    }

    private IReadOnlyList<int> ParseSeeds(List<string> errors)
    {
        if (SeedList is null)
        {
            return [Seed ?? 1];
        }

        if (Seed is not null)
        {
            errors.Add("--seed and --seeds were both given; give one.");
            return [1];
        }

        var seeds = new List<int>();
        foreach (string part in SeedList.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int seed))
            {
                errors.Add($"--seeds is '{SeedList}'; it must be comma-separated whole numbers (e.g. 1,2,3).");
                return [1];
            }

            if (seeds.Contains(seed))
            {
                errors.Add($"--seeds is '{SeedList}'; seed {seed} appears twice, and every seed must appear once.");
                return [1];
            }

            seeds.Add(seed);
        }

        return seeds;
    }
}
