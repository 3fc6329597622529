using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using EdgeLearn.Cli.Commands.Training;
using EdgeLearn.Cli.Commands.Training.Internal;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Training;
using EdgeLearn.Training.Calibration;
using EdgeLearn.Training.Study;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Study;

/// <summary>Settings of <c>edgelearn study</c>: the data and model options of <c>train</c>, the grid, and how the study runs.</summary>
internal sealed class StudySettings : TrainingDataSettings
{
    /// <summary>Output folder.</summary>
    [CommandOption("--out <DIR>")]
    [Description("Write cells.csv, cells.json, frontier.csv, the figures (PNG and SVG), report.md and report.html to DIR, with one result file per cell (cells/) for --resume. DIR appears when the study ends. Default: study.")]
    public string Out { get; init; } = "study";

    /// <summary>Small grid.</summary>
    [CommandOption("--quick")]
    [Description("The small grid: budgets ×0.5, ×1, ×2, rotations 0, 45, 90°, one seed, a 5 x 5 planning grid (under 10 minutes on MNIST with --train on 2 cores). Options given with it override its values.")]
    public bool Quick { get; init; }

    /// <summary>Train the one-factor cells.</summary>
    [CommandOption("--train")]
    [Description("Also train every plan of the one-factor sweeps (energy, delay, shift, devices) and measure accuracy and |grad F|^2. Default: plan only.")]
    public bool Train { get; init; }

    /// <summary>Train the grid too.</summary>
    [CommandOption("--train-grid")]
    [Description("Also train the cells of the energy x delay grid (many cells: slow). Default: the grid is planned only.")]
    public bool TrainGrid { get; init; }

    /// <summary>Seeds.</summary>
    [CommandOption("--seeds <LIST>")]
    [Description("Seeds of every cell, comma-separated (data, model, minibatches, calibration). Default: 1,2,3 (--quick: 1; --seed S: S).")]
    public string? SeedList { get; init; }

    /// <summary>Energy sweep.</summary>
    [CommandOption("--energy <FACTORS>")]
    [Description("Factors on the scenario's energy budget Emax, comma-separated. Default: 0.25,0.5,1,2,4 (--quick: 0.5,1,2).")]
    public string? Energy { get; init; }

    /// <summary>Delay sweep.</summary>
    [CommandOption("--delay <FACTORS>")]
    [Description("Factors on the scenario's delay budget Tmax, comma-separated. Default: 0.25,0.5,1,2,4 (--quick: 0.5,1,2).")]
    public string? Delay { get; init; }

    /// <summary>Shift sweep.</summary>
    [CommandOption("--shift <KIND:LEVELS>")]
    [Description("The shift sweep: rotate:DEGREES, invert:FRACTIONS or noise:STDS (comma-separated levels; the other shift options stay as given), or none. Default: rotate:0,15,30,45,60,90 (--quick: rotate:0,45,90).")]
    public string? Shift { get; init; }

    /// <summary>Devices sweep.</summary>
    [CommandOption("--devices <COUNTS>")]
    [Description("Also sweep the fleet size K, comma-separated (fewer: the scenario's first K devices; more: copies of its devices in turn). Default: no devices sweep.")]
    public string? Devices { get; init; }

    /// <summary>Grid energy factors.</summary>
    [CommandOption("--grid-energy <FACTORS>")]
    [Description("Energy factors of the energy x delay grid behind the frontier figure, or none (no grid). Default: 9 factors from 0.25 to 4 in steps of sqrt 2 (--quick: 0.25,0.5,1,2,4).")]
    public string? GridEnergy { get; init; }

    /// <summary>Grid delay factors.</summary>
    [CommandOption("--grid-delay <FACTORS>")]
    [Description("Delay factors of the grid, or none (either one none: no grid). Default: 9 factors from 0.25 to 4 in steps of sqrt 2 (--quick: 0.25,0.5,1,2,4).")]
    public string? GridDelay { get; init; }

    /// <summary>Schemes.</summary>
    [CommandOption("--schemes <LIST>")]
    [Description("Schemes planned in every cell, comma-separated: joint, finetune-only, separate, fixed-batch, max-resource, pretrain-only, joint-pretrain (joint with M >= 1). Default: the six of model.md §6.")]
    public string? Schemes { get; init; }

    /// <summary>Do not calibrate.</summary>
    [CommandOption("--no-calibrate")]
    [Description("Plan every cell with the scenario's own learning constants instead of calibrating each shift level's scenario on its data (then the plans do not change with the shift).")]
    public bool NoCalibrate { get; init; }

    /// <summary>Pilots per calibration.</summary>
    [CommandOption("--repeats <R>")]
    [Description("Pilots of each calibration (as calibrate --repeats). Default: 3.")]
    public int Repeats { get; init; } = new CalibrationOptions().Repeats;

    /// <summary>Pilot length.</summary>
    [CommandOption("--pilot-steps <N>")]
    [Description("SGD steps of each calibration pilot (as calibrate --pilot-steps). Default: 500.")]
    public int PilotSteps { get; init; } = new CalibrationOptions().PilotSteps;

    /// <summary>Evaluation interval.</summary>
    [CommandOption("--eval-every <ROUNDS>")]
    [Description("Rounds between test-set evaluations of each training. Default: 10.")]
    public int EvaluationInterval { get; init; } = new TrainingOptions().EvaluationInterval;

    /// <summary>Gradient samples.</summary>
    [CommandOption("--gradient-samples <N>")]
    [Description("Task images drawn every round to estimate |grad F|^2 (as train). Default: 1000.")]
    public int GradientSamples { get; init; } = new TrainingOptions().GradientSamples;

    /// <summary>Accept a scenario whose model size is not the model's.</summary>
    [CommandOption("--accept-model-size")]
    [Description("With --no-calibrate and --train: train even when the scenario's model.uploadBits is not this model's parameters x 32 (the plans' upload costs then describe another model).")]
    public bool AcceptModelSize { get; init; }

    /// <summary>Cells at once.</summary>
    [CommandOption("--parallel <P>")]
    [Description("Cells run at the same time (1 to 64), each with --threads threads; the results do not depend on it. Default: 1.")]
    public int Parallel { get; init; } = 1;

    /// <summary>Resume.</summary>
    [CommandOption("--resume")]
    [Description("Continue an interrupted study into the same --out (or extend a finished one): cells already computed with the same options are kept, the rest computed.")]
    public bool Resume { get; init; }

    /// <summary>Replace.</summary>
    [CommandOption("--force")]
    [Description("Replace an earlier study's --out folder (computing every cell afresh).")]
    public bool Force { get; init; }

    /// <summary>The study's setup; valid after <see cref="TrainingDataSettings.Validate"/>.</summary>
    public StudyGrid Grid { get; private set; } = StudyGrid.Default;

    /// <summary>Calibration options (null: --no-calibrate); valid after validation.</summary>
    public CalibrationOptions? Calibration { get; private set; }

    /// <summary>Training options; valid after validation.</summary>
    public TrainingOptions Training { get; private set; } = new();

    /// <inheritdoc/>
    protected override void ValidateMore(List<string> errors)
    {
        var grid = Quick ? StudyGrid.Quick : StudyGrid.Default;
        grid = grid with { Train = Train, TrainGrid = TrainGrid };
        if (Factors("--energy", Energy, errors, allowNone: false) is { } energy) grid = grid with { EnergyFactors = energy };
        if (Factors("--delay", Delay, errors, allowNone: false) is { } delay) grid = grid with { DelayFactors = delay };
        if (Factors("--grid-energy", GridEnergy, errors, allowNone: true) is { } gridEnergy) grid = grid with { GridEnergyFactors = gridEnergy };
        if (Factors("--grid-delay", GridDelay, errors, allowNone: true) is { } gridDelay) grid = grid with { GridDelayFactors = gridDelay };
        if ((GridEnergy is null) != (GridDelay is null) && (grid.GridEnergyFactors.Count == 0 || grid.GridDelayFactors.Count == 0))
        {
            grid = grid with { GridEnergyFactors = [], GridDelayFactors = [] }; // "none" on one axis means no grid
        }
        if (Shift is not null)
        {
            if (string.Equals(Shift, "none", StringComparison.OrdinalIgnoreCase))
            {
                grid = grid with { Shift = null };
            }
            else if (ShiftSweep.TryParse(Shift, out var sweep, out string? error))
            {
                grid = grid with { Shift = sweep };
            }
            else
            {
                errors.Add(error!);
            }
        }

        if (Devices is not null)
        {
            var counts = new List<int>();
            foreach (string part in Devices.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int k))
                {
                    errors.Add($"--devices is '{Devices}'; it must be comma-separated whole numbers from 1 to 100000 (e.g. 5,10,20).");
                    counts.Clear();
                    break;
                }

                counts.Add(k);
            }

            if (counts.Count > 0)
            {
                grid = grid with { DeviceCounts = counts };
            }
        }

        if (SeedList is not null)
        {
            var seeds = new List<int>();
            foreach (string part in SeedList.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int s))
                {
                    errors.Add($"--seeds is '{SeedList}'; it must be comma-separated whole numbers (e.g. 1,2,3).");
                    seeds.Clear();
                    break;
                }

                seeds.Add(s);
            }

            if (seeds.Count > 0)
            {
                grid = grid with { Seeds = seeds };
            }
        }
        else if (Seed is { } seed)
        {
            grid = grid with { Seeds = [seed] };
        }

        if (SeedList is not null && Seed is not null)
        {
            errors.Add($"--seed ({Seed}) and --seeds ({SeedList}) are both given; give one (--seeds 1,2,3 runs every cell once per seed).");
        }

        if (Schemes is not null)
        {
            var schemes = new List<StudyScheme>();
            foreach (string name in Schemes.Split(',', StringSplitOptions.TrimEntries))
            {
                if (StudyScheme.Parse(name) is not { } scheme)
                {
                    errors.Add($"--schemes is '{Schemes}'; '{name}' is not one of joint, finetune-only, separate, fixed-batch, max-resource, pretrain-only, joint-pretrain.");
                    schemes.Clear();
                    break;
                }

                schemes.Add(scheme);
            }

            if (schemes.Count > 0)
            {
                // The readings and the rounds and frontier figures are about the first scheme: joint, when it is studied.
                grid = grid with { Schemes = [.. schemes.Where(s => s.Name == "joint"), .. schemes.Where(s => s.Name != "joint")] };
            }
        }

        errors.AddRange(grid.Validate());
        if (Parallel is < 1 or > 64)
        {
            errors.Add($"--parallel is {Parallel}; it must be between 1 and 64.");
        }

        if (Resume && Force)
        {
            errors.Add("--resume and --force are both given; --resume keeps the finished cells, --force computes every cell afresh: give one.");
        }

        OutputPath.Directory("--out", Out, errors);
        Training = ModelOptions with { EvaluationInterval = EvaluationInterval, GradientSamples = GradientSamples, AcceptModelSizeMismatch = AcceptModelSize };
        foreach (string problem in Training.Validate().Except(ModelOptions.Validate()))
        {
            errors.Add(OptionMessage(problem));
        }

        if (!NoCalibrate)
        {
            var calibration = new CalibrationOptions { Repeats = Repeats, PilotSteps = PilotSteps, Parallelism = Threads };
            foreach (string problem in calibration.Validate())
            {
                errors.Add(problem.Replace("repeats", "--repeats", StringComparison.Ordinal).Replace("pilotSteps", "--pilot-steps", StringComparison.Ordinal)
                    .Replace("parallelism", "--threads", StringComparison.Ordinal));
            }

            Calibration = calibration;
        }

        Grid = grid;
    }

    private static double[]? Factors(string option, string? text, List<string> errors, bool allowNone)
    {
        if (text is null)
        {
            return null;
        }

        if (allowNone && string.Equals(text.Trim(), "none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var values = new List<double>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v <= 0 || v > 1000)
            {
                errors.Add($"{option} is '{text}'; it must be comma-separated factors greater than 0 and at most 1000 (e.g. 0.25,0.5,1,2,4){(allowNone ? ", or none" : "")}.");
                return null;
            }

            values.Add(v);
        }

        return [.. values];
    }
}

/// <summary>
/// <c>edgelearn study</c>: sweeps the energy budget, the delay budget, the shift (and optionally the fleet size) around a
/// scenario, plans every scheme in every cell and seed, trains them when asked, and writes the cells, figures and a report
/// with generated readings (issue 11). Resumable, parallel over cells, with a progress bar and an estimate of the time left.
/// </summary>
internal sealed class StudyCommand(CliOutput output) : Command<StudySettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, StudySettings settings, CancellationToken cancellationToken)
    {
        output.Warn(settings.Warnings);
        var scenario = settings.Scenario;
        var setup = new StudySetup
        {
            Scenario = scenario,
            Data = TrainingDataLoader.Source(settings),
            Training = settings.Training,
            Calibration = settings.Calibration,
            Grid = settings.Grid,
            Parallel = settings.Parallel,
        };
        if (!setup.NeedsData && setup.Grid.Seeds.Count > 1 && settings.SeedList is null)
        {
            // Without data (no calibration, no training) every seed gives the same plans.
            setup = setup with { Grid = setup.Grid with { Seeds = [setup.Grid.Seeds[0]] } };
        }

        if (setup.Grid.Shift is not null && setup.Calibration is null)
        {
            output.Warn("warning: --no-calibrate with a shift sweep: every shift level is planned with the same constants, so the plans do not change with the shift (only the training does).");
        }

        var problems = StudyRunner.Check(setup);
        if (problems.Count > 0)
        {
            throw new UserInputException([.. problems.Select(p => $"Unable to run the study: {p}")]);
        }

        using var folder = StudyFolder.Open(settings.Out, settings.Force, settings.Resume, output);
        var runner = new StudyRunner(setup, folder.WorkPath);
        int reused = runner.Finished();
        if (runner.Stale() is > 0 and int stale)
        {
            output.Status($"{stale} stored cell-seed(s) in {folder.WorkPath} were made with other options (scenario, data, model, calibration or training) and are computed again.");
        }

        var cells = setup.Cells();
        int units = cells.Count * setup.Grid.Seeds.Count;
        int trained = cells.Count(c => c.Train) * setup.Grid.Seeds.Count;
        output.Status($"Study of scenario '{scenario.Name}' ({settings.Source}){(setup.NeedsData ? $" on {setup.Data.Dataset}" : "")}: {cells.Count} cells x {setup.Grid.Seeds.Count} seed(s) x {setup.Grid.Schemes.Count} schemes, {trained} cell-seeds to train"
            + (reused > 0 ? $"; {reused} finished cell-seed(s) found for --resume." : "."));
        var clock = Stopwatch.StartNew();
        StudyResult result;
        try
        {
            result = output.ShowsProgress ? WithBar(runner, units, cancellationToken) : runner.Run(new LineProgress(output), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            int kept = runner.Finished();
            throw new ResultsKeptException(
                $"{kept} of {units} cell-seeds are finished and kept in {folder.WorkPath}; run the same command with --resume to continue.");
        }

        var provenance = RunProvenance.Create(output, context, settings, scenario) with { Dataset = setup.NeedsData ? setup.Data.Dataset : null, Seeds = setup.Grid.Seeds };
        string command = "edgelearn " + string.Join(" ", output.Arguments.Count > 0 ? output.Arguments : context.Arguments);
        var figures = StudyReport.Write(folder.WorkPath, result, provenance, command, clock.Elapsed);
        folder.Commit();
        var rows = result.Rows.ToArray();
        output.Console.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"Study done: {cells.Count} cells, {rows.Length} rows ({rows.Count(r => r.Infeasible)} infeasible, {rows.Count(r => r.Trained)} trained), {result.Computed} cell-seeds computed in {clock.Elapsed.TotalMinutes:F1} min.")));
        foreach (var reading in new StudyAnalysis(rows, setup.Grid.Shift?.Kind, setup.Calibration is not null).Readings())
        {
            output.Console.MarkupLine(Markup.Escape($"{reading.Figure}: {reading.Text}"));
        }

        output.Status($"Wrote cells.csv, cells.json, frontier.csv, {figures.Count} figures (PNG and SVG), report.md and report.html to {folder.Path}.");
        return ExitCodes.Ok;
    }

    private StudyResult WithBar(StudyRunner runner, int units, CancellationToken cancellationToken)
    {
        StudyResult? result = null;
        output.ErrorConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape($"study: 0/{units} cell-seeds"), maxValue: 1);
                result = runner.Run(new BarProgress(task), cancellationToken);
            });
        return result!;
    }

    private static string Left(TimeSpan? remaining) => remaining is not { } r ? "estimating the time left"
        : r.TotalMinutes >= 1.5 ? FormattableString.Invariant($"about {r.TotalMinutes:F0} min left")
        : FormattableString.Invariant($"about {Math.Ceiling(r.TotalSeconds):F0} s left");

    private sealed class LineProgress(CliOutput output) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value) => output.Status(FormattableString.Invariant(
            $"[{value.Done}/{value.Total}, {value.Elapsed.TotalMinutes:F1} min, {Left(value.Remaining)}] {value.Line}"));
    }

    private sealed class BarProgress(ProgressTask task) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value)
        {
            task.Value = value.Fraction;
            task.Description = Markup.Escape($"study: {value.Done}/{value.Total} cell-seeds, {Left(value.Remaining)}");
        }
    }
}

/// <summary>Adds <c>study</c> to the app.</summary>
internal static class StudyCommands
{
    /// <summary>Registers the command.</summary>
    public static void Register(IConfigurator config) =>
        config.AddCommand<StudyCommand>("study")
            .WithDescription("Sweep the energy budget, the delay budget and the shift around a scenario for every scheme (planned, and trained with --train), and write the cells, figures and a report.")
            .WithExample("study", "--quick", "--train")
            .WithExample("study", "--scenario", "scenario.json", "--energy", "0.25,0.5,1,2,4", "--shift", "rotate:0,30,60,90", "--train", "--seeds", "1,2,3", "--out", "study")
            .WithExample("study", "--no-calibrate", "--shift", "none", "--out", "plan-study");
}
