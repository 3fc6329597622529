using System.Globalization;
using EdgeLearn.Cli.Commands.Training.Internal;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;
using EdgeLearn.Training;
using EdgeLearn.Training.Measurement;
using EdgeLearn.Training.Reports;
using Spectre.Console;

namespace EdgeLearn.Cli.Commands.Training;

/// <summary>How well the bound ranked the schemes: Kendall τ-b per seed and their mean (<c>ranking.json</c>).</summary>
/// <param name="Schemes">The schemes trained, in order.</param>
/// <param name="Seeds">The seeds.</param>
/// <param name="BoundVsGradientNorm">τ-b between the predicted bound and the measured average |∇F|² for each seed (null: undefined).</param>
/// <param name="BoundVsGradientNormMean">Mean of the defined values of <paramref name="BoundVsGradientNorm"/>.</param>
/// <param name="BoundVsTestError">τ-b between the predicted bound and the test error for each seed.</param>
/// <param name="BoundVsTestErrorMean">Mean of the defined values of <paramref name="BoundVsTestError"/>.</param>
internal sealed record RankingReport(
    IReadOnlyList<string> Schemes, IReadOnlyList<int> Seeds,
    IReadOnlyList<double?> BoundVsGradientNorm, double? BoundVsGradientNormMean,
    IReadOnlyList<double?> BoundVsTestError, double? BoundVsTestErrorMean)
{
    /// <summary>Ranks the runs of each seed.</summary>
    public static RankingReport Of(IReadOnlyList<string> schemes, IReadOnlyList<int> seeds, IReadOnlyList<IReadOnlyList<TrainingSummary>> bySeed)
    {
        var agreements = bySeed.Select(Ranking.Of).ToArray();
        double?[] norm = agreements.Select(a => a.BoundVsGradientNorm).ToArray();
        double?[] error = agreements.Select(a => a.BoundVsTestError).ToArray();
        return new RankingReport(schemes, seeds, norm, Mean(norm), error, Mean(error));
    }

    /// <summary>What the comparison came from (docs/formats.md, "Provenance"; no single plan, so no plan hash).</summary>
    public Provenance? Provenance { get; init; }

    private static double? Mean(double?[] values)
    {
        double[] defined = values.Where(v => v is not null).Select(v => v!.Value).ToArray();
        return defined.Length == 0 ? null : defined.Average();
    }
}

/// <summary><c>train --scheme all</c> (or several schemes): trains each planned scheme in turn on the same data, for every seed.</summary>
internal static class CompareTraining
{
    /// <summary>Trains every plan under every seed, prints the comparison table and the rank agreement, and writes the files.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="settings">The settings.</param>
    /// <param name="plans">The plans, one per scheme.</param>
    /// <param name="provenance">The command's provenance; every summary gets it with its plan, seeds and data added.</param>
    /// <param name="cancellationToken">Checked before every round.</param>
    /// <returns>The exit code.</returns>
    public static int Run(CliOutput output, TrainingRunSettings settings, IReadOnlyList<Plan> plans, Provenance provenance, CancellationToken cancellationToken)
    {
        provenance = provenance with { InitialWeightsSha256 = settings.InitialWeightsSha256 };
        var identities = new List<DataIdentity>(settings.Seeds.Count);
        var scenario = settings.Scenario;
        var console = output.Console;
        IReadOnlyList<int> seeds = settings.Seeds;
        using OutputFolder? folder = settings.Out is { } path ? OutputFolder.Create(path, settings.Force) : null;
        var bySeed = new List<IReadOnlyList<TrainingResult>>(seeds.Count);
        foreach (int seed in seeds)
        {
            var data = TrainingDataLoader.Load(settings, scenario, seed);
            var options = settings.TrainingOptions with { Seed = seed };
            // Every plan is checked before the first one trains; each trainer (K device models) exists only while it runs.
            foreach (var plan in plans)
            {
                var problems = TwoStageTrainer.Check(scenario, plan, data, options);
                if (problems.Count > 0)
                {
                    throw Unfit(plan, problems);
                }
            }

            var identity = DataIdentity.Of(data, seed);
            identities.Add(identity);
            var seedProvenance = provenance with { Dataset = data.Source.Config.BaseDataset, Seeds = [seed], Data = [identity] };
            output.Status(
                $"Training {plans.Count} schemes on {data.Source.Config.BaseDataset} ({data.Source.General.Count} general / {data.Source.Task.Count} task / {data.Source.TaskTest.Count} test images), seed {seed}.");
            var runs = new List<TrainingResult>(plans.Count);
            foreach (var plan in plans)
            {
                string label = $"{plan.Scheme.ToName(),-13} ";
                if (!TwoStageTrainer.TryCreate(scenario, plan, data, options, out var trainer, out var problems))
                {
                    throw Unfit(plan, problems);
                }

                try
                {
                    var result = TrainingProgress.Run(output, label, plan, trainer, cancellationToken);
                    runs.Add(result with { Summary = result.Summary with { Provenance = seedProvenance with { PlanSha256 = Provenance.PlanHash(plan) } } });
                }
                catch (TrainingDivergedException e)
                {
                    throw Diverged(e, plan, seed, runs, seeds.Count == 1 ? folder : folder?.Sub($"seed-{seed}"), folder, seedProvenance with { PlanSha256 = Provenance.PlanHash(plan) }, [.. bySeed.Select(r => r[0].Summary.Seed)]);
                }
            }

            bySeed.Add(runs);
            if (folder is not null)
            {
                WriteSeed(seeds.Count == 1 ? folder : folder.Sub($"seed-{seed}"), runs);
            }
        }

        var allSeeds = provenance with { Dataset = bySeed[0][0].Summary.Dataset, Seeds = [.. seeds], Data = [.. identities] };
        var schemes = plans.Select((plan, i) => SeedSummary.From(bySeed.Select(runs => runs[i].Summary).ToArray())
            with { Provenance = allSeeds with { PlanSha256 = Provenance.PlanHash(plan) } }).ToArray();
        console.Write(TrainingOutput.Comparison(schemes, scenario.Budget.DelayS, scenario.Budget.EnergyJ));
        if (TrainingOutput.BrokenBoundLine(schemes) is { } broken)
        {
            console.MarkupLine(Markup.Escape(broken));
        }

        var ranking = RankingReport.Of(
            plans.Select(p => p.Scheme.ToName()).ToArray(), seeds, bySeed.Select(runs => (IReadOnlyList<TrainingSummary>)runs.Select(r => r.Summary).ToArray()).ToArray())
            with { Provenance = allSeeds };
        console.MarkupLine(Markup.Escape(
            $"Kendall tau-b across the schemes: bound vs measured |grad F|^2 {Tau(ranking.BoundVsGradientNormMean)}, bound vs test error {Tau(ranking.BoundVsTestErrorMean)}"
            + (seeds.Count > 1 ? $" (means over {seeds.Count} seeds)." : ".")));
        if (folder is not null)
        {
            folder.WriteJson("ranking.json", ranking);
            if (seeds.Count > 1)
            {
                folder.WriteJson("summary.json", schemes);
            }

            folder.Commit();
            output.Status(seeds.Count == 1
                ? $"Wrote summary.json, summary.csv, ranking.json, rounds.csv and accuracy-energy.png to {folder.Path}, and every scheme's weights (model-final-SCHEME.bin)."
                : $"Wrote summary.json (means per scheme over {seeds.Count} seeds), ranking.json and one seed-S folder per seed to {folder.Path}.");
        }

        return ExitCodes.Ok;
    }

    /// <summary>A scheme diverged: the command stops (exit 2); with --out the folder still appears, flagged like a single
    /// run's: a top-level summary.json with <c>"diverged": true</c>, the scheme and seed, where and why, and the schemes
    /// and seeds that completed; the completed runs' files stay, and the diverged run's rounds are added to rounds.csv
    /// (its plan in plan.json). Nothing is written when nothing was measured (a non-finite starting model on the first run).</summary>
    private static UserInputException Diverged(TrainingDivergedException e, Plan plan, int seed, IReadOnlyList<TrainingResult> completed,
        OutputFolder? seedFolder, OutputFolder? root, Provenance provenance, IReadOnlyList<int> completedSeeds)
    {
        string scheme = plan.Scheme.ToName();
        if (seedFolder is null || root is null)
        {
            return new UserInputException($"Unable to train {scheme} (seed {seed}): {e.Message}");
        }

        if (e.Rounds.Count == 0 && completed.Count == 0 && completedSeeds.Count == 0)
        {
            return new UserInputException($"Unable to train {scheme} (seed {seed}): {e.Message} Nothing was written.");
        }

        if (completed.Count > 0)
        {
            WriteSeed(seedFolder, completed);
        }

        string divergedRounds = TrainingCsv.Rounds(e.Rounds, scheme);
        string rounds = completed.Count > 0 ? TrainingCsv.Rounds(completed) + divergedRounds[(divergedRounds.IndexOf('\n', StringComparison.Ordinal) + 1)..] : divergedRounds;
        seedFolder.WriteText("rounds.csv", rounds);
        seedFolder.WriteText("plan.json", PlanJson.Serialize(plan) + "\n");
        root.WriteJson("summary.json", new DivergedSummary(scheme, seed, plan.PretrainRounds, plan.FinetuneRounds, e.Stage, e.Round, e.Message)
        {
            CompletedSchemes = [.. completed.Select(r => r.Summary.Scheme)],
            CompletedSeeds = completedSeeds,
            Provenance = provenance,
        });
        root.Commit();
        return new UserInputException(
            $"Unable to train {scheme} (seed {seed}): {e.Message} A summary flagged \"diverged\" is in {root.Path}, with the rounds before it (rounds.csv, beside the completed runs' files) in {seedFolder.Path}.");
    }

    private static UserInputException Unfit(Plan plan, IReadOnlyList<string> problems) =>
        new([.. problems.Select(p => $"Unable to train {plan.Scheme.ToName()}: {p}")]);

    private static void WriteSeed(OutputFolder folder, IReadOnlyList<TrainingResult> runs)
    {
        var summaries = runs.Select(r => r.Summary).ToArray();
        folder.WriteJson("summary.json", summaries);
        folder.WriteText("summary.csv", TrainingCsv.Summaries(summaries));
        folder.WriteText("rounds.csv", TrainingCsv.Rounds(runs));
        folder.WriteBytes("accuracy-energy.png", TrainingPlots.AccuracyVersusEnergy(runs));
        foreach (var run in runs)
        {
            WeightFiles.Write(folder, run, run.Summary.Scheme);
        }
    }

    private static string Tau(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "undefined (ties)";
}
