using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using EdgeLearn.Training;
using EdgeLearn.Training.Calibration;

namespace EdgeLearn.Fidelity;

/// <summary>A change of the calibrated scenario's budgets: the default ones, or one budget scaled.</summary>
/// <param name="Name">Short name used in file names and tables, e.g. <c>tmax0.25</c>.</param>
/// <param name="Label">Human label, e.g. <c>Tmax × 0.25</c>.</param>
/// <param name="EnergyFactor">Factor on Emax.</param>
/// <param name="DelayFactor">Factor on Tmax.</param>
public sealed record BudgetVariant(string Name, string Label, double EnergyFactor, double DelayFactor)
{
    public static BudgetVariant Default { get; } = new("default", "default budgets", 1, 1);

    public static BudgetVariant HalfEnergy { get; } = new("emax0.5", "Emax × 0.5", 0.5, 1);

    public static BudgetVariant QuarterDelay { get; } = new("tmax0.25", "Tmax × 0.25", 1, 0.25);

    public static BudgetVariant DoubleDelay { get; } = new("tmax2", "Tmax × 2", 1, 2);

    public Scenario Apply(Scenario scenario) => scenario with
    {
        Budget = new BudgetSpec { EnergyJ = scenario.Budget.EnergyJ * EnergyFactor, DelayS = scenario.Budget.DelayS * DelayFactor },
    };
}

/// <summary>One calibrated setting of the grid: a dataset and a rotation of its task data, run at several budgets.</summary>
/// <param name="Dataset">mnist, fashion or synthetic.</param>
/// <param name="Rotation">Rotation of the task images, degrees.</param>
/// <param name="Budgets">The budget variants run on the calibrated scenario.</param>
public sealed record Setting(string Dataset, double Rotation, IReadOnlyList<BudgetVariant> Budgets)
{
    public string Key => FormattableString.Invariant($"{Dataset}-rot{Rotation:0}");
}

/// <summary>A plan to run in every cell: a scheme of model.md §6, or joint with pre-training forced on.</summary>
/// <param name="Name">Name in the results: the scheme's, or <c>joint-pretrain</c>.</param>
/// <param name="Scheme">The scheme planned.</param>
/// <param name="MinPretrainRounds">Fewest pre-training rounds (1 for joint-pretrain).</param>
public sealed record PlanKind(string Name, Scheme Scheme, int MinPretrainRounds)
{
    public const string JointPretrain = "joint-pretrain";

    public static IReadOnlyList<PlanKind> Schemes { get; } = SchemeNames.All.Select(s => new PlanKind(s.ToName(), s, 0)).ToArray();

    public static PlanKind ForcedPretraining { get; } = new(JointPretrain, Scheme.Joint, 1);
}

/// <summary>The grid of the fidelity benchmark (issue 7): calibrated scenarios, 5 schemes × seeds each.</summary>
/// <param name="Settings">The calibrated settings.</param>
/// <param name="Seeds">Seeds of every cell (data, model, minibatches).</param>
/// <param name="BaseScenario">The scenario calibrated for each setting and seed.</param>
/// <param name="Description">One line for the report.</param>
/// <param name="Training">Training options (the seed is set per run).</param>
/// <param name="Calibration">Calibration options.</param>
/// <param name="GeneralSize">General images (null: the data source's default).</param>
/// <param name="TestSize">Task test images (null: the data source's default).</param>
public sealed record Grid(
    IReadOnlyList<Setting> Settings, IReadOnlyList<int> Seeds, Scenario BaseScenario, string Description,
    TrainingOptions Training, CalibrationOptions Calibration, int? GeneralSize = null, int? TestSize = null)
{
    /// <summary>The rotations of the shift sweep (0 is the no-shift MNIST setting).</summary>
    public static IReadOnlyList<double> Rotations { get; } = [15, 30, 45, 60, 90];

    /// <summary>MNIST and Fashion-MNIST at four budgets without shift, MNIST rotated at the default budgets.</summary>
    public static Grid Full(IReadOnlyList<int> seeds, IReadOnlySet<string> parts)
    {
        BudgetVariant[] budgets = [BudgetVariant.Default, BudgetVariant.HalfEnergy, BudgetVariant.QuarterDelay, BudgetVariant.DoubleDelay];
        var settings = new List<Setting>();
        if (parts.Contains("mnist"))
        {
            settings.Add(new Setting("mnist", 0, budgets));
        }

        if (parts.Contains("fashion"))
        {
            settings.Add(new Setting("fashion", 0, budgets));
        }

        if (parts.Contains("rotation"))
        {
            settings.AddRange(Rotations.Select(r => new Setting("mnist", r, [BudgetVariant.Default])));
        }

        return new Grid(settings, seeds, DefaultScenario.Create(),
            "default scenario (10 devices, 300 J, 300 s) calibrated per dataset, rotation and seed; MLP 784-128-10",
            new TrainingOptions(), new CalibrationOptions());
    }

    /// <summary>The CI version: synthetic 8x8 images, three devices, one seed, short pilots; seconds in all.</summary>
    public static Grid Tiny()
    {
        var full = DefaultScenario.Create();
        var scenario = full with
        {
            Name = "tiny",
            Devices = full.Devices.Take(3).Select(d => d with { DatasetSize = 100, MaxBatch = 32 }).ToArray(),
            Budget = new BudgetSpec { EnergyJ = 3, DelayS = 15 },
            Limits = new LimitsSpec { MaxPretrainRounds = 40, MaxFinetuneRounds = 40 },
        };
        return new Grid(
            [new Setting("synthetic", 0, [BudgetVariant.Default, BudgetVariant.QuarterDelay]), new Setting("synthetic", 30, [BudgetVariant.Default])],
            [1], scenario, "tiny synthetic scenario (3 devices, 3 J, 15 s); CI smoke run, no claims",
            new TrainingOptions { HiddenSizes = [16], GradientSamples = 100, EvaluationInterval = 5 },
            new CalibrationOptions { Repeats = 2, PilotSteps = 40, PilotBatch = 32, Checkpoints = 4, GradientSamples = 100, CurvatureSamples = 100, WassersteinSamples = 100 },
            GeneralSize: 300, TestSize: 200);
    }
}
