using System.ComponentModel;
using EdgeLearn.Cli.Commands.Planning.Internal;
using EdgeLearn.Cli.Commands.Training.Internal;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;
using EdgeLearn.Training;
using EdgeLearn.Training.Reports;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Training;

/// <summary>Settings of <c>edgelearn train</c>: the data options plus the plan to run (a file or a scheme planned on the fly).</summary>
internal sealed class TrainSettings : TrainingRunSettings
{
    /// <summary>Plan file.</summary>
    [CommandOption("--plan <FILE>")]
    [Description("Plan JSON file to run (docs/formats.md, e.g. from 'edgelearn plan --json FILE'). Default: plan --scheme now.")]
    public string? PlanPath { get; init; }

    /// <summary>Scheme(s) planned on the fly.</summary>
    [CommandOption("--scheme <NAMES>")]
    [Description("Scheme to plan and run when no --plan is given: joint or a baseline ('edgelearn compare' lists them; docs/model.md §6). Several, comma-separated, or all: train each on the same data and seeds, print one row per scheme with Kendall tau-b between bound and measurements and, with --out, write summary.json (array), summary.csv, ranking.json, rounds.csv and accuracy-energy.png. Default: joint.")]
    public string? Scheme { get; init; }

    /// <inheritdoc/>
    protected override IReadOnlyList<(string Option, string? Path)> InputPaths => [.. base.InputPaths, ("--plan", PlanPath)];

    /// <summary>The plan read from <see cref="PlanPath"/>, or null to plan <see cref="ParsedSchemes"/>; valid after <see cref="Validate"/>.</summary>
    public Plan? Plan { get; private set; }

    /// <summary>The schemes to plan, in the registry's order when <c>all</c>; valid after <see cref="Validate"/>.</summary>
    public IReadOnlyList<Scheme> ParsedSchemes { get; private set; } = [EdgeLearn.Planning.Scheme.Joint];

    /// <summary>Whether several schemes are trained side by side.</summary>
    public bool ComparesSchemes => Plan is null && ParsedSchemes.Count > 1;

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        var lines = new List<string>();
        if (PlanPath is not null && Scheme is not null)
        {
            lines.Add("--plan and --scheme were both given; give one: a plan file to run, or a scheme to plan now.");
        }
        else if (Scheme is not null)
        {
            ParsedSchemes = ParseSchemes(Scheme, lines);
        }

        var baseResult = base.Validate();
        if (!baseResult.Successful)
        {
            lines.Add(baseResult.Message ?? "The settings are invalid.");
        }

        if (PlanPath is not null)
        {
            Plan = PlanFile.Load(PlanPath, baseResult.Successful ? Scenario : null, lines)?.Plan;
        }

        return lines.Count > 0 ? ValidationResult.Error(string.Join("\n", lines)) : ValidationResult.Success();
    }

    private static Scheme[] ParseSchemes(string value, List<string> lines)
    {
        if (string.Equals(value.Trim(), "all", StringComparison.OrdinalIgnoreCase))
        {
            return [.. SchemeNames.All];
        }

        var schemes = new List<Scheme>();
        foreach (string name in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!SchemeNames.TryParse(name, out var scheme))
            {
                lines.Add($"--scheme is '{value}'; it must be one of {SchemeNames.Valid}, several of them comma-separated, or all.");
                return [EdgeLearn.Planning.Scheme.Joint];
            }

            if (schemes.Contains(scheme))
            {
                lines.Add($"--scheme is '{value}'; {scheme.ToName()} appears twice, and every scheme must appear once.");
                return [EdgeLearn.Planning.Scheme.Joint];
            }

            schemes.Add(scheme);
        }

        return [.. schemes];
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
        output.Warn(settings.Warnings);
        if (settings.ComparesSchemes)
        {
            var plans = PlanSchemes(settings, cancellationToken);
            foreach (var planned in plans)
            {
                CheckConstraints(settings, planned, $"the {planned.Scheme.ToName()} plan");
            }

            return CompareTraining.Run(output, settings, plans, RunProvenance.Create(output, context, settings, settings.Scenario), cancellationToken);
        }

        var scenario = settings.Scenario;
        var console = output.Console;
        Plan plan = settings.Plan ?? PlanScheme(settings, settings.ParsedSchemes[0], cancellationToken);
        CheckConstraints(settings, plan, settings.PlanPath is { } file ? $"the plan {file}" : $"the {plan.Scheme.ToName()} plan");
        IReadOnlyList<int> seeds = settings.Seeds;
        var provenance = RunProvenance.Create(output, context, settings, scenario) with
        {
            PlanSha256 = Provenance.PlanHash(plan),
            InitialWeightsSha256 = settings.InitialWeightsSha256,
        };
        var identities = new List<DataIdentity>(seeds.Count);
        using OutputFolder? folder = settings.Out is { } path ? OutputFolder.Create(path, settings.Force) : null;
        var runs = new List<TrainingResult>(seeds.Count);
        foreach (int seed in seeds)
        {
            var data = TrainingDataLoader.Load(settings, scenario, seed);
            var options = settings.TrainingOptions with { Seed = seed };
            if (!TwoStageTrainer.TryCreate(scenario, plan, data, options, out var trainer, out var problems))
            {
                throw new UserInputException([.. problems.Select(p => $"Unable to train: {p}")]);
            }

            var identity = DataIdentity.Of(data, seed);
            identities.Add(identity);
            var runProvenance = provenance with { Dataset = data.Source.Config.BaseDataset, Seeds = [seed], Data = [identity] };

            output.Status(
                $"Training the {plan.Scheme.ToName()} plan ({settings.PlanPath ?? "planned now"}) on scenario '{scenario.Name}' ({settings.Source}): M = {plan.PretrainRounds}, N = {plan.FinetuneRounds}, {scenario.Devices.Count} devices; {data.Source.Config.BaseDataset}, {data.Source.General.Count} general / {data.Source.Task.Count} task / {data.Source.TaskTest.Count} test images; seed {seed}.");
            TrainingResult result;
            try
            {
                result = TrainingProgress.Run(output, "", plan, trainer, cancellationToken);
            }
            catch (TrainingDivergedException e)
            {
                throw Diverged(e, plan, seed, seeds.Count == 1 ? folder : folder?.Sub($"seed-{seed}"), folder, runProvenance, seeds.Count == 1 ? null : [.. runs.Select(r => r.Summary.Seed)]);
            }

            result = result with { Summary = result.Summary with { Provenance = runProvenance } };
            runs.Add(result);
            if (seeds.Count == 1)
            {
                console.Write(TrainingOutput.PlanVersusActual(result.Summary));
                foreach (string line in TrainingOutput.ViolationLines(result.Summary))
                {
                    console.MarkupLine(Markup.Escape(line));
                }

                console.Write(TrainingOutput.Run(result.Summary));
            }

            if (folder is not null)
            {
                var runFolder = seeds.Count == 1 ? folder : folder.Sub($"seed-{seed}");
                TrainingOutput.WriteRun(runFolder, result, plan);
                WeightFiles.Write(runFolder, result);
            }
        }

        if (seeds.Count > 1)
        {
            var summaries = runs.Select(r => r.Summary).ToArray();
            var mean = SeedSummary.From(summaries) with
            {
                Provenance = provenance with { Dataset = summaries[0].Dataset, Seeds = [.. seeds], Data = [.. identities] },
            };
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
            output.Status(seeds.Count == 1
                ? $"Wrote summary.json, rounds.csv, rounds.json, plan.json and training.png to {folder.Path}, and the weights {Weights(plan)}."
                : $"Wrote summary.json (means over {seeds.Count} seeds), summary.csv, plan.json and one seed-S folder per seed (with the weights {Weights(plan)}) to {folder.Path}.");
        }

        return ExitCodes.Ok;
    }

    private static string Weights(Plan plan) =>
        plan.PretrainRounds > 0 ? $"{WeightFiles.Pretrained} and {WeightFiles.Final}" : WeightFiles.Final;

    /// <summary>A diverged run stops the command (exit 2); with --out the folder still appears, flagged: a summary.json
    /// with <c>"diverged": true</c>, where and why, and the rounds measured before it. With several seeds the diverged
    /// seed's folder holds those, the completed seeds keep their folders, and the top-level summary.json is flagged too,
    /// naming the seed that diverged and the seeds that completed. A run that could not even start (a non-finite starting
    /// model, nothing measured) and no completed seed: nothing is written.</summary>
    private static UserInputException Diverged(TrainingDivergedException e, Plan plan, int seed, OutputFolder? runFolder, OutputFolder? root, Provenance provenance, IReadOnlyList<int>? completedSeeds)
    {
        if (runFolder is null || root is null)
        {
            return new UserInputException($"Unable to train: {e.Message}");
        }

        if (e.Rounds.Count == 0 && (completedSeeds is null || completedSeeds.Count == 0))
        {
            return new UserInputException($"Unable to train: {e.Message} Nothing was written.");
        }

        var summary = new DivergedSummary(plan.Scheme.ToName(), seed, plan.PretrainRounds, plan.FinetuneRounds, e.Stage, e.Round, e.Message) { Provenance = provenance };
        runFolder.WriteJson("summary.json", summary);
        runFolder.WriteText("rounds.csv", TrainingCsv.Rounds(e.Rounds));
        runFolder.WriteText("plan.json", PlanJson.Serialize(plan) + "\n");
        if (completedSeeds is not null)
        {
            root.WriteJson("summary.json", summary with { CompletedSeeds = completedSeeds });
            root.WriteText("plan.json", PlanJson.Serialize(plan) + "\n");
        }

        root.Commit();
        string written = completedSeeds is null
            ? $" The rounds before it and a summary flagged \"diverged\" are in {root.Path}."
            : $" A summary flagged \"diverged\" is in {root.Path}, the rounds before it in {runFolder.Path}"
              + (completedSeeds.Count == 0 ? "." : $", and the completed seeds ({string.Join(", ", completedSeeds)}) in their seed-S folders.");
        return new UserInputException($"Unable to train{(completedSeeds is null ? "" : $" seed {seed}")}: {e.Message}{written}");
    }

    /// <summary>Re-checks a plan with the independent cost model before anything trains: a plan that breaks a constraint
    /// of the scenario is refused (exit 3) unless --allow-violations, which prints the violations as a warning.</summary>
    private void CheckConstraints(TrainSettings settings, Plan plan, string name)
    {
        var violated = PlanEvaluator.Evaluate(settings.Scenario, plan).Violations;
        if (violated.Count == 0)
        {
            return;
        }

        if (!settings.AllowViolations)
        {
            throw new UserInputException(ExitCodes.Infeasible,
                [$"Unable to train: {name} {PlanText.Violates(violated)}; fix the plan, or add --allow-violations to train it anyway."]);
        }

        output.Error.WriteLine($"Warning: {name} {PlanText.Violates(violated)}; training it anyway (--allow-violations).");
    }

    private Plan PlanScheme(TrainSettings settings, Scheme scheme, CancellationToken cancellationToken)
    {
        var result = PlanningDisplay.Run(output, progress => Planner.Plan(settings.Scenario, scheme, null, progress, cancellationToken));
        if (PlanText.NotConvergedWarning(result) is { } warning) output.Warn(warning);
        if (result.HasPlan) return result.Plan;
        var (why, exitCode) = PlanText.NoPlan(result);
        throw new UserInputException(exitCode, [$"Unable to train: the {scheme.ToName()} scheme has no {(result.IsInfeasible ? "feasible " : "")}plan; {why}"]);
    }

    /// <summary>Plans every scheme asked for; a scheme without a plan is named on stderr and left out.</summary>
    private Plan[] PlanSchemes(TrainSettings settings, CancellationToken cancellationToken)
    {
        var plans = new List<Plan>();
        foreach (var scheme in settings.ParsedSchemes)
        {
            var result = PlanningDisplay.Run(output, progress => Planner.Plan(settings.Scenario, scheme, null, progress, cancellationToken));
            if (PlanText.NotConvergedWarning(result) is { } warning) output.Warn(warning);
            if (result.HasPlan)
            {
                plans.Add(result.Plan);
                continue;
            }

            output.Warn($"{scheme.ToName()} {(result.IsInfeasible ? "is infeasible" : "has no plan")}: {PlanText.NoPlan(result).Why}");
        }

        return plans.Count > 0
            ? [.. plans]
            : throw new UserInputException(ExitCodes.Infeasible, ["Unable to train: no scheme asked for has a plan that fits the budgets."]);
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
            .WithExample("train", "--scenario", "calibrated.json", "--seeds", "1,2,3", "--out", "runs/joint")
            .WithExample("train", "--scenario", "calibrated.json", "--scheme", "all", "--seeds", "1,2,3", "--out", "runs/compare");
    }
}
