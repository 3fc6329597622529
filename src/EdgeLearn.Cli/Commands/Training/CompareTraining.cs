using System.ComponentModel;
using EdgeLearn.Cli.Commands.Training.Internal;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;
using EdgeLearn.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Training;

/// <summary>The <c>--train</c> flag of <c>edgelearn compare</c> and, through <see cref="TrainingDataSettings"/>, the data options it uses.</summary>
internal class CompareTrainingSettings : TrainingDataSettings
{
    /// <summary>Whether to train every planned scheme.</summary>
    [CommandOption("--train")]
    [Description("Also train every feasible scheme on the same data and seed (the data options below apply), print one row per scheme and, with --out, write summary.json (array), summary.csv, rounds.csv and accuracy-energy.png.")]
    public bool Train { get; init; }
}

/// <summary><c>compare --train</c>: trains each planned scheme in turn on the same data and seed.</summary>
internal static class CompareTraining
{
    /// <summary>Trains every feasible plan of <paramref name="results"/>, prints the comparison table and writes the files.</summary>
    /// <returns>The exit code.</returns>
    public static int Run(CliOutput output, CompareTrainingSettings settings, IReadOnlyList<PlanResult> results, CancellationToken cancellationToken)
    {
        var scenario = settings.Scenario;
        var console = output.Console;
        var data = TrainingDataLoader.Load(settings, scenario);
        var plans = results.Where(r => r.Plan is not null).Select(r => r.Plan!).ToArray();
        foreach (var plan in plans)
        {
            var problems = TwoStageTrainer.Check(scenario, plan, data, settings.TrainingOptions);
            if (problems.Count > 0)
            {
                throw new UserInputException([.. problems.Select(p => $"Unable to train {plan.Scheme.ToName()}: {p}")]);
            }
        }

        OutputFolder? folder = settings.Out is { } path ? OutputFolder.Create(path) : null;
        console.WriteLine();
        console.MarkupLineInterpolated(
            $"[bold]Training[/] {plans.Length} schemes on {data.Source.Config.BaseDataset} ({data.Source.General.Count} general / {data.Source.Task.Count} task / {data.Source.TaskTest.Count} test images), seed {settings.Seed}.");
        var runs = new List<TrainingResult>(plans.Length);
        foreach (var plan in plans)
        {
            string label = $"{plan.Scheme.ToName(),-13} ";
            runs.Add(TrainingProgress.Run(console, label, scenario, plan, data, settings.TrainingOptions, cancellationToken));
        }

        var summaries = runs.Select(r => r.Summary).ToArray();
        console.Write(TrainingOutput.Comparison(summaries));
        if (folder is not null)
        {
            folder.WriteJson("summary.json", summaries);
            folder.WriteText("summary.csv", TrainingCsv.Summaries(summaries));
            folder.WriteText("rounds.csv", TrainingCsv.Rounds(runs));
            folder.WriteBytes("accuracy-energy.png", TrainingPlots.AccuracyVersusEnergy(runs));
            console.MarkupLineInterpolated($"Wrote summary.json, summary.csv, rounds.csv and accuracy-energy.png to {folder.Path}.");
        }

        return ExitCodes.Ok;
    }
}
