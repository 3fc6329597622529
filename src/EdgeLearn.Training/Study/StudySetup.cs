using System.Globalization;
using System.Text;
using EdgeLearn.Scenarios;
using EdgeLearn.Training.Calibration;

namespace EdgeLearn.Training.Study;

/// <summary>Everything a study needs besides its grid: the scenario at the centre, where the data comes from, how each
/// run trains and, unless null, how each shift level's scenario is calibrated.</summary>
public sealed record StudySetup
{
    /// <summary>The scenario at the centre of the sweeps (budgets ×1, its own fleet).</summary>
    public required Scenario Scenario { get; init; }

    /// <summary>The data: dataset, split, sizes and the centre's shift (each shift level replaces one of its components).</summary>
    public DataSource Data { get; init; } = new();

    /// <summary>The model and the measurements of every training (the seed is set per cell).</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>How each shift level's scenario is calibrated (model.md §9), once per shift level and seed; null to plan
    /// every cell with the scenario's own constants.</summary>
    public CalibrationOptions? Calibration { get; init; } = new();

    /// <summary>The grid.</summary>
    public StudyGrid Grid { get; init; } = StudyGrid.Default;

    /// <summary>Cells run at once (each with <see cref="TrainingOptions.Parallelism"/> threads); results do not depend on it.</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>Whether the study needs images: to calibrate or to train.</summary>
    public bool NeedsData => Calibration is not null || Grid.Train || Grid.TrainGrid;

    /// <summary>The cells of the grid around this setup's scenario and shift.</summary>
    public IReadOnlyList<StudyCell> Cells() => Grid.Cells(Data.Shift, Scenario.Devices.Count);

    /// <summary>The text every result of this setup depends on (besides its cell and seed): the scenario, the data, the
    /// model and the measurements, the calibration and the schemes. Results are reused by <c>--resume</c> only when
    /// their fingerprint matches, so a changed option recomputes instead of mixing results.</summary>
    public string Fingerprint()
    {
        var t = Training;
        var text = new StringBuilder("edgelearn-study-1\n");
        text.Append(ScenarioJson.Serialize(Scenario)).Append('\n');
        text.Append(Invariant($"data {Data.Dataset} {Data.Split} {Data.DirichletAlpha:R} {Data.GeneralSize} {Data.TestSize} {Data.Shift.RotationDegrees:R} {Data.Shift.InvertFraction:R} {Data.Shift.NoiseStd:R}\n"));
        text.Append(Invariant($"training {t.Model} {string.Join(',', t.HiddenSizes)} {t.EvaluationInterval} {t.GradientSamples} {t.Fading} {t.Parallelism} {t.AcceptModelSizeMismatch} {t.AllowViolations}\n"));
        if (Calibration is { } c)
        {
            text.Append(Invariant($"calibration {c.Repeats} {c.PilotSteps} {c.TaskPilotSteps} {c.TaskCheckpoints} {c.PilotBatch} {c.Checkpoints} {c.StepFraction:R} {c.HoldoutFraction:R} {c.GradientSamples} {c.GradientGroups} {c.CurvatureSamples} {c.PowerIterations} {c.ShiftSpace} {c.WassersteinSamples} {c.WassersteinRepeats} {c.Parallelism}\n"));
        }

        text.Append("schemes ").Append(string.Join(',', Grid.Schemes.Select(s => s.Name))).Append('\n');
        return Provenance.Sha256(text.ToString());
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
