using EdgeLearn.Scenarios;
using EdgeLearn.Training.Calibration;
using EdgeLearn.Training.Study;

namespace EdgeLearn.Training.Tests.Study;

/// <summary>A tiny study on synthetic 8x8 images (3 devices, 2 schemes, 4 cells, one of them infeasible, calibrated per
/// shift level and trained), run once uninterrupted for the tests to compare against.</summary>
public sealed class StudyFixture : IDisposable
{
    public StudyFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"edgelearn-study-{Guid.NewGuid():N}");
        Reference = new StudyRunner(Setup(), Path.Combine(Folder, "reference")).Run();
    }

    public string Folder { get; }

    public StudyResult Reference { get; }

    /// <summary>The delay factor of the infeasible cell: 15 s × 1e-4 = 1.5 ms, less than one round takes.</summary>
    public const double InfeasibleDelay = 1e-4;

    public static StudySetup Setup(int parallel = 1)
    {
        var full = DefaultScenario.Create();
        var scenario = full with
        {
            Name = "tiny",
            Devices = full.Devices.Take(3).Select(d => d with { DatasetSize = 100, MaxBatch = 32 }).ToArray(),
            Budget = new BudgetSpec { EnergyJ = 3, DelayS = 15 },
            Limits = new LimitsSpec { MaxPretrainRounds = 30, MaxFinetuneRounds = 30 },
        };
        return new StudySetup
        {
            Scenario = scenario,
            Data = new DataSource { Dataset = "synthetic", GeneralSize = 300, TestSize = 200 },
            Training = new TrainingOptions { HiddenSizes = [16], GradientSamples = 100, EvaluationInterval = 5, Parallelism = 1 },
            Calibration = new CalibrationOptions
            {
                Repeats = 2, PilotSteps = 40, PilotBatch = 32, Checkpoints = 4, TaskPilotSteps = 20, TaskCheckpoints = 3,
                GradientSamples = 100, CurvatureSamples = 100, WassersteinSamples = 100, Parallelism = 1,
            },
            Grid = new StudyGrid
            {
                EnergyFactors = [0.5, 1],
                DelayFactors = [InfeasibleDelay, 1],
                Shift = new ShiftSweep(ShiftKind.Rotate, [0, 30]),
                GridEnergyFactors = [],
                GridDelayFactors = [],
                Seeds = [1],
                Schemes = [StudyScheme.All[0], StudyScheme.All[1]],
                Train = true,
            },
            Parallel = parallel,
        };
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
