using System.ComponentModel;
using EdgeLearn.Cli.Commands.Training.Internal;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;
using EdgeLearn.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Training;

/// <summary>Settings of <c>edgelearn train</c>: the data options plus the plan to run (a file or a scheme planned on the fly).</summary>
internal sealed class TrainSettings : TrainingDataSettings
{
    private Plan? _plan;

    /// <summary>Plan file.</summary>
    [CommandOption("--plan <FILE>")]
    [Description("Plan JSON file to run (formats.md, e.g. from 'edgelearn plan --json FILE'). Default: plan --scheme now.")]
    public string? PlanPath { get; init; }

    /// <summary>Scheme planned on the fly.</summary>
    [CommandOption("--scheme <NAME>")]
    [Description("Scheme to plan and run when no --plan is given: joint, finetune-only, separate, fixed-batch, max-resource. Default: joint.")]
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
/// simulated devices — with a progress bar per stage, then a summary table (accuracy, measured average |∇F|² next to
/// the bound, simulated time and energy against the budgets) and, with --out, the files of formats.md.
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
        var data = TrainingDataLoader.Load(settings, scenario);
        var problems = TwoStageTrainer.Check(scenario, plan, data, settings.TrainingOptions);
        if (problems.Count > 0)
        {
            throw new UserInputException([.. problems.Select(p => $"Unable to train: {p}")]);
        }

        OutputFolder? folder = settings.Out is { } path ? OutputFolder.Create(path) : null;
        console.MarkupLineInterpolated(
            $"[bold]Training[/] the {plan.Scheme.ToName()} plan ({settings.PlanPath ?? "planned now"}) on scenario '{scenario.Name}' ({settings.Source}): M = {plan.PretrainRounds}, N = {plan.FinetuneRounds}, {scenario.Devices.Count} devices; {data.Source.Config.BaseDataset}, {data.Source.General.Count} general / {data.Source.Task.Count} task / {data.Source.TaskTest.Count} test images.");
        var result = TrainingProgress.Run(console, "", scenario, plan, data, settings.TrainingOptions, cancellationToken);
        console.Write(TrainingOutput.Summary(result.Summary));
        if (folder is not null)
        {
            TrainingOutput.WriteRun(folder, result, plan);
            console.MarkupLineInterpolated($"Wrote summary.json, rounds.csv, rounds.json, plan.json and training.png to {folder.Path}.");
        }

        return ExitCodes.Ok;
    }

    private static Plan PlanScheme(TrainSettings settings)
    {
        var result = Planner.Plan(settings.Scenario, settings.ParsedScheme);
        return result.Plan ?? throw new UserInputException(ExitCodes.Infeasible,
            [$"Unable to train: the {settings.ParsedScheme.ToName()} scheme has no feasible plan; {result.Infeasibility?.Message ?? "no plan fits the budgets."}"]);
    }
}

/// <summary>Registers <c>train</c>.</summary>
internal static class TrainingCommands
{
    /// <summary>Adds the command to the app.</summary>
    public static void Register(IConfigurator config) =>
        config.AddCommand<TrainCommand>("train")
            .WithDescription("Run a plan for real: server pre-training, then FedSGD fine-tuning on simulated wireless devices, with delay, energy and accuracy round by round.")
            .WithExample("train")
            .WithExample("train", "--scheme", "finetune-only", "--rotate", "30", "--out", "runs/finetune-only")
            .WithExample("train", "--plan", "plan.json", "--fading", "rayleigh", "--out", "runs/faded");
}
