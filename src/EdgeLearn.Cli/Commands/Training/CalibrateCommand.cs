using System.ComponentModel;
using System.Globalization;
using EdgeLearn.Cli.Commands.Training.Internal;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Scenarios;
using EdgeLearn.Training;
using EdgeLearn.Training.Calibration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Training;

/// <summary>Settings of <c>edgelearn calibrate</c>: the data and model options of <c>train</c>, the output files and the pilots.</summary>
internal sealed class CalibrateSettings : TrainingDataSettings
{
    /// <summary>Calibrated scenario file.</summary>
    [CommandOption("--out <FILE>")]
    [Description("Write the calibrated scenario (the input scenario with learning and model.uploadBits fitted) to FILE. Required.")]
    public string? Out { get; init; }

    /// <summary>Report file.</summary>
    [CommandOption("--report <FILE>")]
    [Description("Also write the calibration report JSON (every constant: value, spread, method, compute; every checkpoint) to FILE.")]
    public string? Report { get; init; }

    /// <summary>Pilots.</summary>
    [CommandOption("--repeats <R>")]
    [Description("Independent pilots (1 to 20); every constant is their mean, its spread their standard deviation. Default: 3.")]
    public int Repeats { get; init; } = new CalibrationOptions().Repeats;

    /// <summary>Pilot length.</summary>
    [CommandOption("--pilot-steps <N>")]
    [Description("SGD steps of each pilot's pre-training path on the general data. Default: 500.")]
    public int PilotSteps { get; init; } = new CalibrationOptions().PilotSteps;

    /// <summary>Pilot batch.</summary>
    [CommandOption("--pilot-batch <B>")]
    [Description("Minibatch of the pilots' SGD steps (Lemma 1's noise floor is fitted at it). Default: 32.")]
    public int PilotBatch { get; init; } = new CalibrationOptions().PilotBatch;

    /// <summary>Fine-tuning path length.</summary>
    [CommandOption("--task-steps <N>")]
    [Description("SGD steps of each pilot's two fine-tuning paths on the task data (0: none). Default: 300.")]
    public int TaskSteps { get; init; } = new CalibrationOptions().TaskPilotSteps;

    /// <summary>Checkpoints.</summary>
    [CommandOption("--checkpoints <J>")]
    [Description("Checkpoints after the initial model, spaced geometrically over the pilot. Default: 10.")]
    public int Checkpoints { get; init; } = new CalibrationOptions().Checkpoints;

    /// <summary>Step fraction.</summary>
    [CommandOption("--step-fraction <C>")]
    [Description("Step sizes eta0 = eta = C / L, with 0 < C <= 1. Default: 1.")]
    public double StepFraction { get; init; } = new CalibrationOptions().StepFraction;

    /// <summary>Where W1 is measured.</summary>
    [CommandOption("--shift-space <SPACE>")]
    [Description("Where the debiased W1 is measured: features (the pilot network's last hidden layer) or pixels. Default: features.")]
    public string ShiftSpace { get; init; } = "features";

    /// <summary>The calibration options; valid after <see cref="TrainingDataSettings.Validate"/>.</summary>
    public CalibrationOptions Options { get; private set; } = new();

    /// <inheritdoc/>
    protected override void ValidateMore(List<string> errors)
    {
        if (Out is null)
        {
            errors.Add("--out is missing; it is required (the file the calibrated scenario is written to, e.g. --out calibrated.json).");
        }

        OutputPath.File("--out", Out, errors);
        OutputPath.File("--report", Report, errors);
        OutputPath.Distinct([("--scenario", ScenarioPath)], [("--out", Out), ("--report", Report)], errors);

        EdgeLearn.Training.Calibration.ShiftSpace space = EdgeLearn.Training.Calibration.ShiftSpace.Features;
        if (string.Equals(ShiftSpace, "pixels", StringComparison.OrdinalIgnoreCase))
        {
            space = EdgeLearn.Training.Calibration.ShiftSpace.Pixels;
        }
        else if (!string.Equals(ShiftSpace, "features", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"--shift-space is '{ShiftSpace}'; it must be features or pixels.");
        }

        var options = new CalibrationOptions
        {
            Repeats = Repeats,
            PilotSteps = PilotSteps,
            PilotBatch = PilotBatch,
            TaskPilotSteps = TaskSteps,
            Checkpoints = Checkpoints,
            StepFraction = StepFraction,
            ShiftSpace = space,
            Parallelism = Threads,
        };
        foreach (string problem in options.Validate())
        {
            errors.Add(problem
                .Replace("repeats", "--repeats", StringComparison.Ordinal)
                .Replace("pilotSteps", "--pilot-steps", StringComparison.Ordinal)
                .Replace("pilotBatch", "--pilot-batch", StringComparison.Ordinal)
                .Replace("taskPilotSteps", "--task-steps", StringComparison.Ordinal)
                .Replace("checkpoints", "--checkpoints", StringComparison.Ordinal)
                .Replace("stepFraction", "--step-fraction", StringComparison.Ordinal)
                .Replace("parallelism", "--threads", StringComparison.Ordinal));
        }

        Options = options;
    }
}

/// <summary>
/// <c>edgelearn calibrate</c>: fits the bound's constants (model.md §9) to the model and data a run will use by short
/// pilot trainings, writes the scenario with its <c>learning</c> section and <c>model.uploadBits</c> replaced, and
/// prints every constant with its spread over the pilots and the compute it took. Exit code 2 for bad input.
/// </summary>
internal sealed class CalibrateCommand(CliOutput output) : Command<CalibrateSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, CalibrateSettings settings, CancellationToken cancellationToken)
    {
        output.Warn(settings.Warnings);
        var scenario = settings.Scenario;
        var console = output.Console;
        int seed = settings.ModelOptions.Seed;
        var options = settings.Options;
        var data = TrainingDataLoader.Load(settings, scenario, seed);
        var provenance = RunProvenance.Create(output, context, settings, scenario) with
        {
            Dataset = data.Source.Config.BaseDataset,
            Seeds = [seed],
            Data = [DataIdentity.Of(data, seed)],
        };
        var problems = Calibrator.Check(data, settings.ModelOptions, options);
        if (problems.Count > 0)
        {
            throw new UserInputException([.. problems.Select(p => $"Unable to calibrate: {OptionName(p)}")]);
        }

        output.Status(
            $"Calibrating scenario '{scenario.Name}' ({settings.Source}) on {data.Source.Config.BaseDataset}: {data.Source.General.Count} general / {data.Source.Task.Count} task images, {options.Repeats} pilots of {options.PilotSteps} steps; seed {seed}.");
        CalibrationResult? result = null;
        if (output.ShowsProgress)
        {
            output.ErrorConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(progress => result = Calibrate(settings, data, new Progress(progress.AddTask("calibrating", maxValue: 1)), cancellationToken));
        }
        else
        {
            result = Calibrate(settings, data, null, cancellationToken);
        }

        var calibrated = result!.Apply(scenario) with { Name = CalibratedName(scenario.Name) };
        var errors = ScenarioValidator.Validate(calibrated);
        if (errors.Count > 0)
        {
            throw new UserInputException([.. errors.Select(e => $"Unable to calibrate: the fitted constants are not a valid scenario: {e.Message}")]);
        }

        var report = result.Report;
        console.Write(CalibrationTable.Of(
            FormattableString.Invariant($"Calibrated constants: {report.Model} on {report.Dataset} (rotate {report.RotateDeg:G4}°, {report.Repeats} pilots)"),
            report.Constants, scenario.Learning));
        console.MarkupLine(Markup.Escape(ShiftLine(report.Shift, result.Learning.Shift.Gap)));
        console.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"Compute: {report.Total.Seconds:F1} s, {report.Total.SampleGradients:N0} sample gradients, {report.Total.SampleForwards:N0} sample forwards.")));

        AtomicFile.WriteAllText(settings.Out!, ScenarioJson.Serialize(calibrated));
        output.Status($"Wrote the calibrated scenario '{calibrated.Name}' to {settings.Out}.");
        if (settings.Report is { } reportPath)
        {
            AtomicFile.WriteJson(reportPath, report with { Provenance = provenance });
            output.Status($"Wrote the calibration report to {reportPath}.");
        }

        return ExitCodes.Ok;
    }

    private static CalibrationResult Calibrate(CalibrateSettings settings, TrainingData data, IProgress<CalibrationProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            return Calibrator.Run(data, settings.ModelOptions, settings.Options, progress, cancellationToken);
        }
        catch (CalibrationException e)
        {
            throw new UserInputException($"Unable to calibrate: {e.Message}");
        }
    }

    private static string CalibratedName(string name) => name.EndsWith("-calibrated", StringComparison.Ordinal) ? name : name + "-calibrated";

    private static string ShiftLine(ShiftMeasurement s, double gap) => FormattableString.Invariant(
        $"Shift: W1 in {(s.Space == "features" ? "feature" : "pixel")} space = {s.Raw:G4} (general vs task) - {s.Floor:G4} (general vs general) = {s.Debiased:G4} ± {s.Spread:G2}; ")
        + (s.Significant
            ? FormattableString.Invariant($"Gamma = {gap:G4}, so G = Gamma / W1 = {s.DataLipschitz:G4}.")
            : FormattableString.Invariant($"W1 is within twice its spread of 0, so G is not defined (written as 0); Gamma = {gap:G4} is used."));

    private static string OptionName(string problem) => problem
        .Replace("hiddenSizes", "--hidden", StringComparison.Ordinal)
        .Replace("parallelism", "--threads", StringComparison.Ordinal);

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private sealed class Progress(ProgressTask task) : IProgress<CalibrationProgress>
    {
        public void Report(CalibrationProgress value)
        {
            task.MaxValue = value.Total;
            task.Value = value.Done;
            task.Description = Markup.Escape($"calibrating: {value.Stage}, {value.Done}/{value.Total} measurements");
        }
    }
}
