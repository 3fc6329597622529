using System.ComponentModel;
using EdgeLearn.Cli.Commands.Planning.Internal;
using EdgeLearn.Cli.Commands.Training.Internal;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;
using EdgeLearn.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Training;

/// <summary>Settings of <c>edgelearn train</c>: the data options plus the plan to run (a file or a scheme planned on the fly).</summary>
internal sealed class TrainSettings : TrainingRunSettings
{
    private Plan? _plan;

    /// <summary>Plan file.</summary>
    [CommandOption("--plan <FILE>")]
    [Description("Plan JSON file to run (docs/formats.md, e.g. from 'edgelearn plan --json FILE'). Default: plan --scheme now.")]
    public string? PlanPath { get; init; }

    /// <summary>Scheme planned on the fly.</summary>
    [CommandOption("--scheme <NAME>")]
    [Description("Scheme to plan and run when no --plan is given: joint or a baseline ('edgelearn compare' lists them; docs/model.md §6). Default: joint.")]
    public string? Scheme { get; init; }

    /// <summary>The plan read from <see cref="PlanPath"/>, or null to plan <see cref="ParsedScheme"/>; valid after <see cref="Validate"/>.</summary>
    public Plan? Plan => _plan;

    /// <summary>The scheme to plan; valid after <see cref="Validate"/>.</summary>
    public Scheme ParsedScheme { get; private set; } = EdgeLearn.Planning.Scheme.Joint;

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        if (PlanPath is not null && Scheme is not null)
        {
            return ValidationResult.Error("--plan and --scheme were both given; give one: a plan file to run, or a scheme to plan now.");
        }

        if (Scheme is not null)
        {
            if (!SchemeNames.TryParse(Scheme, out var scheme))
            {
                return ValidationResult.Error($"--scheme is '{Scheme}'; it must be one of: {SchemeNames.Valid}.");
            }

            ParsedScheme = scheme;
        }

        var baseResult = base.Validate();
        if (PlanPath is null)
        {
            return baseResult;
        }

        var lines = new List<string>();
        if (!baseResult.Successful)
        {
            lines.Add(baseResult.Message ?? "The settings are invalid.");
        }

        var read = PlanJson.Load(PlanPath);
        if (!read.IsValid)
        {
            lines.AddRange(read.Errors.Select(e => $"{PlanPath}: {e.Message}"));
        }
        else if (baseResult.Successful)
        {
            lines.AddRange(PlanEvaluator.Mismatches(Scenario, read.Plan!).Select(m => $"{PlanPath}: {m}"));
        }

        if (lines.Count > 0)
        {
            return ValidationResult.Error(string.Join("\n", lines));
        }

        _plan = read.Plan;
        return ValidationResult.Success();
    }
}

/// <summary>
/// <c>edgelearn train</c>: runs a plan for real — M pre-training rounds at the server, then N FedSGD rounds on the
/// simulated devices — with a progress bar per stage, then a plan-versus-actual table (measured average |∇F|² against
/// the bound, simulated time and energy against the plan, with ratios, and accuracy) and, with --out, the files of
/// formats.md. With --seeds it runs once per seed and reports mean ± standard deviation.
/// Exit code 2 for bad input (including a missing dataset or a plan that does not fit the scenario), 3 when the
/// scheme has no feasible plan.
/// </summary>
internal sealed class TrainCommand(CliOutput output) : Command<TrainSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        var scenario = settings.Scenario;
        var console = output.Console;
        Plan plan = settings.Plan ?? PlanScheme(settings);
        IReadOnlyList<int> seeds = settings.Seeds;
        using OutputFolder? folder = settings.Out is { } path ? OutputFolder.Create(path) : null;
        var runs = new List<TrainingResult>(seeds.Count);
        foreach (int seed in seeds)
        {
            var data = TrainingDataLoader.Load(settings, scenario, seed);
            var options = settings.TrainingOptions with { Seed = seed };
            var problems = TwoStageTrainer.Check(scenario, plan, data, options);
            if (problems.Count > 0)
            {
                throw new UserInputException([.. problems.Select(p => $"Unable to train: {p}")]);
            }

            console.MarkupLineInterpolated(
                $"[bold]Training[/] the {plan.Scheme.ToName()} plan ({settings.PlanPath ?? "planned now"}) on scenario '{scenario.Name}' ({settings.Source}): M = {plan.PretrainRounds}, N = {plan.FinetuneRounds}, {scenario.Devices.Count} devices; {data.Source.Config.BaseDataset}, {data.Source.General.Count} general / {data.Source.Task.Count} task / {data.Source.TaskTest.Count} test images; seed {seed}.");
            var result = TrainingProgress.Run(console, "", scenario, plan, data, options, cancellationToken);
            runs.Add(result);
            if (seeds.Count == 1)
            {
                console.Write(TrainingOutput.PlanVersusActual(result.Summary));
                console.Write(TrainingOutput.Run(result.Summary));
            }

            if (folder is not null)
            {
                TrainingOutput.WriteRun(seeds.Count == 1 ? folder : folder.Sub($"seed-{seed}"), result, plan);
            }
        }

        if (seeds.Count > 1)
        {
            var summaries = runs.Select(r => r.Summary).ToArray();
            var mean = SeedSummary.From(summaries);
            console.Write(TrainingOutput.Seeds(summaries, mean));
            if (folder is not null)
            {
                folder.WriteJson("summary.json", mean);
                folder.WriteText("summary.csv", TrainingCsv.Summaries(summaries));
                folder.WriteText("plan.json", PlanJson.Serialize(plan) + "\n");
            }
        }

        if (folder is not null)
        {
            folder.Commit();
            output.Error.WriteLine(seeds.Count == 1
                ? $"Wrote summary.json, rounds.csv, rounds.json, plan.json and training.png to {folder.Path}."
                : $"Wrote summary.json (means over {seeds.Count} seeds), summary.csv, plan.json and one seed-S folder per seed to {folder.Path}.");
        }

        return ExitCodes.Ok;
    }

    private Plan PlanScheme(TrainSettings settings)
    {
        var result = Planner.Plan(settings.Scenario, settings.ParsedScheme);
        if (PlanText.NotConvergedWarning(result) is { } warning) output.Error.WriteLine(warning);
        if (result.HasPlan) return result.Plan;
        var (why, exitCode) = PlanText.NoPlan(result);
        throw new UserInputException(exitCode, [$"Unable to train: the {settings.ParsedScheme.ToName()} scheme has no {(result.IsInfeasible ? "feasible " : "")}plan; {why}"]);
    }
}

/// <summary>Registers <c>calibrate</c> and <c>train</c>.</summary>
internal static class TrainingCommands
{
    /// <summary>Adds the commands to the app.</summary>
    public static void Register(IConfigurator config)
    {
        config.AddCommand<CalibrateCommand>("calibrate")
            .WithDescription("Fit the bound's constants to a model and its data by short pilot trainings, and write the scenario with them (calibrate before you plan).")
            .WithExample("calibrate", "--out", "calibrated.json")
            .WithExample("calibrate", "--dataset", "fashion", "--rotate", "30", "--out", "calibrated.json", "--report", "calibration.json");
        config.AddCommand<TrainCommand>("train")
            .WithDescription("Run a plan for real: server pre-training, then FedSGD fine-tuning on simulated wireless devices, with delay, energy and accuracy round by round.")
            .WithExample("train")
            .WithExample("train", "--scheme", "finetune-only", "--rotate", "30", "--out", "runs/finetune-only")
            .WithExample("train", "--plan", "plan.json", "--fading", "rayleigh", "--out", "runs/faded")
            .WithExample("train", "--scenario", "calibrated.json", "--seeds", "1,2,3", "--out", "runs/joint");
    }
}
