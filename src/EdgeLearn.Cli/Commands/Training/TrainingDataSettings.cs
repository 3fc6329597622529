using System.ComponentModel;
using System.Globalization;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Data;
using EdgeLearn.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Training;

/// <summary>
/// Options shared by <c>train</c> and <c>compare --train</c>: the scenario, the data (dataset, shift, device split,
/// sizes, cache), the model, the real learning rates, what is measured, fading, seed and the output folder.
/// <see cref="Validate"/> checks every value and reports all problems, one line each.
/// </summary>
internal class TrainingDataSettings : ScenarioSettings
{
    /// <summary>Name of the made-up dataset that needs no download.</summary>
    public const string Synthetic = SyntheticImages.Name;

    /// <summary>Base dataset.</summary>
    [CommandOption("--dataset <NAME>")]
    [Description("mnist or fashion (from the cache; 'edgelearn data fetch NAME' fills it), or synthetic (8x8 images made on the spot, no download). Default: mnist.")]
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
    [Description("Images of the task test set. Default: 1000 (fewer if the dataset's test part is smaller).")]
    public int? TestSize { get; init; }

    /// <summary>Seed.</summary>
    [CommandOption("--seed <S>")]
    [Description("Seed of the data split and shift, the model, every minibatch and the fading. Default: 1.")]
    public int Seed { get; init; } = 1;

    /// <summary>Output folder.</summary>
    [CommandOption("--out <DIR>")]
    [Description("Write summary.json, rounds.csv, rounds.json and PNG plots to DIR (created if missing). Default: nothing is written.")]
    public string? Out { get; init; }

    /// <summary>Channel model.</summary>
    [CommandOption("--fading <MODEL>")]
    [Description("none (static channel: totals equal the plan's) or rayleigh (block fading, gain ~ Exp(mean h_k) per round; deadline misses counted). Default: none.")]
    public string Fading { get; init; } = "none";

    /// <summary>Architecture.</summary>
    [CommandOption("--model <NAME>")]
    [Description("mlp or lenet. Default: mlp.")]
    public string Model { get; init; } = "mlp";

    /// <summary>MLP hidden widths.</summary>
    [CommandOption("--hidden <WIDTHS>")]
    [Description("Hidden layer widths of the MLP, comma-separated. Default: 128.")]
    public string Hidden { get; init; } = "128";

    /// <summary>Pre-training learning rate.</summary>
    [CommandOption("--pretrain-lr <RATE>")]
    [Description("Real SGD learning rate of pre-training (the bound uses learning.pretrainStepSize). Default: 0.1.")]
    public double PretrainLearningRate { get; init; } = new TrainingOptions().PretrainLearningRate;

    /// <summary>Fine-tuning learning rate.</summary>
    [CommandOption("--finetune-lr <RATE>")]
    [Description("Real SGD learning rate of the FedSGD steps (the bound uses learning.stepSize). Default: 0.1.")]
    public double FinetuneLearningRate { get; init; } = new TrainingOptions().FinetuneLearningRate;

    /// <summary>Evaluation interval.</summary>
    [CommandOption("--eval-every <ROUNDS>")]
    [Description("Rounds between test-set evaluations (the end of each stage is always evaluated). Default: 10.")]
    public int EvaluationInterval { get; init; } = new TrainingOptions().EvaluationInterval;

    /// <summary>Gradient subset size.</summary>
    [CommandOption("--gradient-samples <N>")]
    [Description("Task images of the fixed subset on which |grad F|^2 is measured every round. Default: 1000.")]
    public int GradientSamples { get; init; } = new TrainingOptions().GradientSamples;

    /// <summary>Cores.</summary>
    [CommandOption("--threads <T>")]
    [Description("Threads for the devices of a round and the server's batch (1 to 64); results depend on it bit-wise. Default: 2.")]
    public int Threads { get; init; } = new TrainingOptions().Parallelism;

    /// <summary>The cache folder to use.</summary>
    public string CacheDirectory => DatasetCache.ResolveDirectory(Cache);

    /// <summary>The parsed split; valid after <see cref="Validate"/>.</summary>
    public DeviceSplit ParsedSplit { get; private set; }

    /// <summary>The parsed Dirichlet alpha; valid after <see cref="Validate"/>.</summary>
    public double DirichletAlpha { get; private set; } = 0.5;

    /// <summary>The training options these settings describe; valid after <see cref="Validate"/>.</summary>
    public TrainingOptions TrainingOptions { get; private set; } = new();

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        var errors = new List<string>();
        bool synthetic = string.Equals(Dataset, Synthetic, StringComparison.OrdinalIgnoreCase);
        if (!synthetic && !KnownDataset.TryFind(Dataset, out _))
        {
            errors.Add($"--dataset is '{Dataset}'; it must be one of: {string.Join(", ", KnownDataset.All.Select(d => d.Name))}, {Synthetic}.");
        }

        if (Cache is { Length: 0 })
        {
            errors.Add("--cache is empty; it must be a folder path.");
        }

        if (!(Rotate >= -360 && Rotate <= 360))
        {
            errors.Add($"--rotate is {F(Rotate)}; it must be between -360 and 360 degrees.");
        }

        if (!(Invert >= 0 && Invert <= 1))
        {
            errors.Add($"--invert is {F(Invert)}; it must be a fraction between 0 and 1.");
        }

        if (!(Noise >= 0 && Noise <= 1))
        {
            errors.Add($"--noise is {F(Noise)}; it must be between 0 and 1.");
        }

        ParseSplit(errors);
        if (GeneralSize is < 0)
        {
            errors.Add($"--general-size is {GeneralSize}; it must be at least 0.");
        }

        if (TestSize is < 1)
        {
            errors.Add($"--test-size is {TestSize}; it must be at least 1.");
        }

        if (Out is { Length: 0 })
        {
            errors.Add("--out is empty; it must be a folder path.");
        }

        ChannelFading fading = ChannelFading.None;
        if (string.Equals(Fading, "rayleigh", StringComparison.OrdinalIgnoreCase))
        {
            fading = ChannelFading.Rayleigh;
        }
        else if (!string.Equals(Fading, "none", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"--fading is '{Fading}'; it must be none or rayleigh.");
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

        int[] hidden = ParseHidden(errors);
        var options = new TrainingOptions
        {
            PretrainLearningRate = PretrainLearningRate,
            FinetuneLearningRate = FinetuneLearningRate,
            EvaluationInterval = EvaluationInterval,
            GradientSamples = GradientSamples,
            Fading = fading,
            Model = model,
            HiddenSizes = hidden,
            Parallelism = Threads,
            Seed = Seed,
        };
        foreach (string problem in options.Validate())
        {
            errors.Add(OptionMessage(problem));
        }

        if (errors.Count > 0)
        {
            return ValidationResult.Error(string.Join("\n", errors));
        }

        TrainingOptions = options;
        return base.Validate();
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
        foreach (string part in Hidden.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int width) || width < 1)
            {
                errors.Add($"--hidden is '{Hidden}'; it must be comma-separated whole numbers of at least 1 (e.g. 128 or 256,128).");
                return [128];
            }

            widths.Add(width);
        }

        return [.. widths];
    }

    // TrainingOptions names its fields; the command line names its options.
    private static string OptionMessage(string problem) => problem
        .Replace("pretrainLearningRate", "--pretrain-lr", StringComparison.Ordinal)
        .Replace("finetuneLearningRate", "--finetune-lr", StringComparison.Ordinal)
        .Replace("evaluationInterval", "--eval-every", StringComparison.Ordinal)
        .Replace("gradientSamples", "--gradient-samples", StringComparison.Ordinal)
        .Replace("hiddenSizes", "--hidden", StringComparison.Ordinal)
        .Replace("parallelism", "--threads", StringComparison.Ordinal);

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
