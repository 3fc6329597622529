using System.Globalization;
using EdgeLearn.Training;
using EdgeLearn.Training.Calibration;
using EdgeLearn.Training.Study;

namespace EdgeLearn.Fidelity;

/// <summary>One trained plan of the grid.</summary>
/// <param name="Setting">The setting's key, e.g. <c>mnist-rot0</c>.</param>
/// <param name="Dataset">Dataset.</param>
/// <param name="Rotation">Rotation of the task images.</param>
/// <param name="Budget">Budget variant name.</param>
/// <param name="Seed">Seed.</param>
/// <param name="Plan">Plan kind: a scheme or <c>joint-pretrain</c>.</param>
/// <param name="Summary">The run's summary; null when the plan was infeasible.</param>
/// <param name="Infeasible">Why no plan fits, when none does.</param>
public sealed record RunRecord(string Setting, string Dataset, double Rotation, string Budget, int Seed, string Plan, TrainingSummary? Summary, string? Infeasible);

/// <summary>A calibrated scenario and its report.</summary>
public sealed record CalibrationRecord(string Setting, int Seed, string ScenarioJson, CalibrationReport Report);

/// <summary>
/// Runs the grid on the study engine (<see cref="StudyRunner"/>, the one behind <c>edgelearn study</c>): one study per
/// dataset, whose one-factor sweeps are the grid's budget variants and rotations, with every scheme and joint-pretrain,
/// calibrated per rotation and seed, trained; results are the study's cell files under <c>study-DATASET/</c>, so an
/// interrupted run resumes where it stopped.
/// </summary>
public sealed class Runner(Grid grid, string folder, string? cache, TextWriter log)
{
    public void Run()
    {
        foreach (string dataset in grid.Settings.Select(s => s.Dataset).Distinct())
        {
            var setup = Setup(dataset);
            log.WriteLine($"study of {dataset}: {setup.Cells().Count} cells x {setup.Grid.Seeds.Count} seeds x {setup.Grid.Schemes.Count} plans");
            new StudyRunner(setup, Path.Combine(folder, "study-" + dataset)).Run(new Log(log));
        }
    }

    /// <summary>The study of one dataset: the budget factors of its rotation-0 setting, the rotations of the others.</summary>
    public StudySetup Setup(string dataset)
    {
        var settings = grid.Settings.Where(s => s.Dataset == dataset).ToArray();
        var budgets = settings.Where(s => s.Rotation == 0).SelectMany(s => s.Budgets).DefaultIfEmpty(BudgetVariant.Default).ToArray();
        double[] rotations = [.. settings.Where(s => s.Rotation != 0).Select(s => s.Rotation)];
        return new StudySetup
        {
            Scenario = grid.BaseScenario,
            Data = new DataSource { Dataset = dataset, CacheDirectory = cache, GeneralSize = grid.GeneralSize, TestSize = grid.TestSize },
            Training = grid.Training,
            Calibration = grid.Calibration,
            Grid = new StudyGrid
            {
                EnergyFactors = [.. budgets.Select(b => b.EnergyFactor).Append(1).Distinct()],
                DelayFactors = [.. budgets.Select(b => b.DelayFactor).Append(1).Distinct()],
                Shift = rotations.Length == 0 ? null : new ShiftSweep(ShiftKind.Rotate, [0, .. rotations]),
                GridEnergyFactors = [],
                GridDelayFactors = [],
                Seeds = grid.Seeds,
                Schemes = [.. StudyScheme.All, StudyScheme.JointPretrain],
                Train = true,
            },
        };
    }

    /// <summary>Every result of the grid's settings found in the folder, as runs and calibrations of the report.</summary>
    public (IReadOnlyList<RunRecord> Runs, IReadOnlyList<CalibrationRecord> Calibrations) Load()
    {
        var runs = new List<RunRecord>();
        var calibrations = new List<CalibrationRecord>();
        foreach (string dataset in grid.Settings.Select(s => s.Dataset).Distinct())
        {
            // Only this grid's results: those of its options (the fingerprint) and seeds, not an earlier run's in the same folder.
            string fingerprint = Setup(dataset).Fingerprint();
            var (all, allCalibrated) = StudyRunner.Load(Path.Combine(folder, "study-" + dataset));
            var cells = all.Where(c => c.Fingerprint == fingerprint && grid.Seeds.Contains(c.Seed));
            var calibrated = allCalibrated.Where(c => c.Fingerprint == fingerprint && grid.Seeds.Contains(c.Seed));
            foreach (var cell in cells)
            {
                double rotation = cell.Cell.Shift.RotationDegrees;
                var setting = grid.Settings.FirstOrDefault(s => s.Dataset == dataset && s.Rotation == rotation);
                var budget = setting?.Budgets.FirstOrDefault(b => b.EnergyFactor == cell.Cell.EnergyFactor && b.DelayFactor == cell.Cell.DelayFactor);
                if (setting is null || budget is null)
                {
                    continue; // a cell of the study that is not a setting of this grid (e.g. the centre when rot0 is not asked for)
                }

                for (int i = 0; i < cell.Rows.Count; i++)
                {
                    var row = cell.Rows[i];
                    runs.Add(new RunRecord(setting.Key, dataset, rotation, budget.Name, cell.Seed, row.Scheme, cell.Summaries[i],
                        cell.Summaries[i] is null ? row.Reason ?? row.Status : null));
                }
            }

            foreach (var c in calibrated)
            {
                if (grid.Settings.FirstOrDefault(s => s.Dataset == dataset && s.Rotation == c.RotateDeg) is { } setting)
                {
                    calibrations.Add(new CalibrationRecord(setting.Key, c.Seed, c.ScenarioJson, c.Report));
                }
            }
        }

        return (runs, calibrations);
    }

    private sealed class Log(TextWriter log) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value) => log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{value.Done}/{value.Total}, {value.Elapsed.TotalMinutes:F1} min] {value.Line}"));
    }
}
