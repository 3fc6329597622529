using System.Globalization;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;
using EdgeLearn.Training;
using EdgeLearn.Training.Reports;
using Spectre.Console;

namespace EdgeLearn.Cli.Commands.Training.Internal;

/// <summary>Tables and files of the training commands.</summary>
internal static class TrainingOutput
{
    /// <summary>Writes one run's files: summary.json, rounds.csv, rounds.json, plan.json and training.png.</summary>
    public static void WriteRun(OutputFolder folder, TrainingResult result, Plan plan)
    {
        folder.WriteJson("summary.json", result.Summary);
        folder.WriteText("rounds.csv", TrainingCsv.Rounds(result.Rounds));
        folder.WriteJson("rounds.json", result.Rounds);
        folder.WriteText("plan.json", PlanJson.Serialize(plan) + "\n");
        folder.WriteBytes("training.png", TrainingPlots.RunFigure(result));
    }

    /// <summary>Plan versus actual for one run: the bound against the measured average |∇F|², the planned delay and
    /// energy against the simulated ones, with their ratios. Numbers are sized to their columns so the table fits 80 columns;
    /// violated constraints (--allow-violations) follow it, one line each (<see cref="ViolationLines"/>).</summary>
    public static Table PlanVersusActual(TrainingSummary s)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle(Markup.Escape($"Plan versus actual: {s.Scheme} on {s.Dataset} (seed {s.Seed})")) };
        table.AddColumn("quantity");
        table.AddColumn(new TableColumn("planned").RightAligned());
        table.AddColumn(new TableColumn("measured").RightAligned());
        table.AddColumn(new TableColumn("ratio").RightAligned());
        table.AddColumn("verdict");
        table.AddRow("avg |grad F|^2", C(s.PredictedBound, 9),
            $"{C(s.AverageSquaredGradientNorm, 8)} ± {C(s.AverageSquaredGradientNormStdErr, 6, 2)}", C(s.BoundRatio, 6),
            s.BoundHeld ? "bound held" : "[red]bound broken[/]");
        table.AddRow("delay (s)", C(s.PredictedDelayS, 9), C(s.DelayS, 9), C(s.DelayRatio, 6), "budget " + C(s.BudgetDelayS, 7));
        table.AddRow("energy (J)", C(s.PredictedEnergyJ, 9), C(s.EnergyJ, 9), C(s.EnergyRatio, 6), "budget " + C(s.BudgetEnergyJ, 7));
        table.Caption = new TableTitle("avg |grad F|^2: planned = the plan's bound Gbar; measured = unbiased mean over the fine-tuning rounds ± standard error");
        return table;
    }

    /// <summary>"violated: budget.energyJ is 2487.9, must be ≤ 300 (slack -2187.9)", one line per constraint the plan
    /// breaks (trained anyway with --allow-violations); none for a feasible plan.</summary>
    public static IEnumerable<string> ViolationLines(TrainingSummary s) => s.Violations.Select(v => $"violated: {v}");

    /// <summary>What a run did and reached: rounds and batches, accuracy, step sizes, model, wall clock; one short value
    /// a row, with what the values mean in the caption.</summary>
    public static Table Run(TrainingSummary s)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle("Run") };
        table.AddColumn("quantity");
        table.AddColumn("value");
        table.AddRow("rounds M / N", $"{I(s.PretrainRounds)} / {I(s.FinetuneRounds)}");
        table.AddRow("batches B0 / bk", $"{I(s.PretrainBatch)} / {Batches(s.DeviceBatches)}");
        table.AddRow("test accuracy", P(s.FinalTestAccuracy));
        table.AddRow("  initial", P(s.InitialTestAccuracy));
        if (s.PretrainTestAccuracy is { } pre)
        {
            table.AddRow("  after pre-training", P(pre));
        }

        table.AddRow("test loss (nats)", C(s.FinalTestLoss, 8));
        table.AddRow("final |grad F|^2", $"{C(s.FinalSquaredGradientNorm, 8)} ± {C(s.FinalSquaredGradientNormStdErr, 6, 2)}");
        table.AddRow("step sizes eta0 / eta", $"{C(s.PretrainLearningRate, 8)} / {C(s.FinetuneLearningRate, 8)}");
        table.AddRow("model", Markup.Escape(s.Model));
        table.AddRow("parameters", s.ParameterCount.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("upload size S (bits)", C(s.UploadBits, 12));
        table.AddRow("deadline misses", $"{I(s.DeadlineMisses)} (fading {Markup.Escape(s.Fading)})");
        table.AddRow("wall clock (s)", N(s.WallClockS, "F1"));
        table.Caption = new TableTitle(Markup.Escape(FormattableString.Invariant(
            $"bk: the devices' batches; test: {s.TestSamples:N0} held-out task images; final |grad F|^2: unbiased, from {s.GradientSamples:N0} of the {s.TaskSamples:N0} task images a round; step sizes: the scenario's, used by the bound and by SGD")));
        return table;
    }

    /// <summary>One row per seed, then a mean row and a standard deviation row (train --seeds). The bound, the same for
    /// every seed (one plan), is in the title; the wall clock of all the runs under the table.</summary>
    public static Table Seeds(IReadOnlyList<TrainingSummary> runs, SeedSummary mean)
    {
        var table = new Table
        {
            Border = TableBorder.Rounded,
            Title = new TableTitle(Markup.Escape($"{mean.Scheme} on {mean.Dataset}: {runs.Count} seeds (M = {mean.PretrainRounds}, N = {mean.FinetuneRounds}, bound {C(mean.PredictedBound, 8)})")),
        };
        table.AddColumn(new TableColumn("seed").NoWrap());
        foreach (string column in new[] { "acc.%", "avg g2", "± se", "ratio", "held", "T (s)", "E (J)" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var s in runs)
        {
            table.AddRow(I(s.Seed), N(100 * s.FinalTestAccuracy, "F1"), C(s.AverageSquaredGradientNorm, 8), C(s.AverageSquaredGradientNormStdErr, 6, 2),
                C(s.BoundRatio, 6), s.BoundHeld ? "yes" : "[red]no[/]", C(s.DelayS, 8), C(s.EnergyJ, 8));
        }

        table.AddRow("[bold]mean[/]", N(100 * mean.FinalTestAccuracy.Mean, "F1"), C(mean.AverageSquaredGradientNorm.Mean, 8), "",
            C(mean.BoundRatio.Mean, 6), $"{mean.BoundHeldRuns}/{runs.Count}", C(mean.DelayS.Mean, 8), C(mean.EnergyJ.Mean, 8));
        table.AddRow("[bold]std[/]", N(100 * mean.FinalTestAccuracy.Std, "F1"), C(mean.AverageSquaredGradientNorm.Std, 8), "",
            C(mean.BoundRatio.Std, 6), "", C(mean.DelayS.Std, 8), C(mean.EnergyJ.Std, 8));
        table.Caption = new TableTitle(Markup.Escape(
            $"acc.% = final test accuracy; avg g2 = measured mean |grad F|^2 over the fine-tuning rounds, se its standard error; ratio = avg g2 / bound; held = the bound held; T, E = simulated totals; wall clock {N(mean.WallClockS, "F1")} s in all"));
        return table;
    }

    /// <summary>One row per scheme (train --scheme all); with several seeds the means, each followed by a "± std" row of
    /// standard deviations. Schemes whose bound broke on some seed are named by <see cref="BrokenBoundLine"/>.</summary>
    public static Table Comparison(IReadOnlyList<SeedSummary> schemes, double budgetDelayS, double budgetEnergyJ)
    {
        int seeds = schemes.Count == 0 ? 0 : schemes[0].Seeds.Count;
        string title = seeds > 1 ? $"Schemes trained on the same data, {seeds} seeds (mean, ± std)" : "Schemes trained on the same data and seed";
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle(title) };
        table.AddColumn(new TableColumn("scheme").NoWrap());
        foreach (string column in new[] { "M", "N", "acc.%", "avg g2", "bound", "ratio", "E (J)" })
        {
            table.AddColumn(new TableColumn(column).RightAligned().NoWrap());
        }

        foreach (var s in schemes)
        {
            table.AddRow(s.Scheme, I(s.PretrainRounds), I(s.FinetuneRounds), N(100 * s.FinalTestAccuracy.Mean, "F1"),
                C(s.AverageSquaredGradientNorm.Mean, 7), C(s.PredictedBound, 7), C(s.BoundRatio.Mean, 5), C(s.EnergyJ.Mean, 6));
            if (seeds > 1)
            {
                table.AddRow("  ± std", "", "", N(100 * s.FinalTestAccuracy.Std, "F1"),
                    C(s.AverageSquaredGradientNorm.Std, 7), "", C(s.BoundRatio.Std, 5), C(s.EnergyJ.Std, 6));
            }
        }

        table.Caption = new TableTitle(Markup.Escape(
            $"acc.% = final test accuracy; avg g2 = measured mean |grad F|^2 over the fine-tuning rounds; bound = the plan's Gbar; ratio = avg g2 / bound (above 1: the bound broke); E = simulated energy (budgets {C(budgetDelayS, 8)} s, {C(budgetEnergyJ, 8)} J)"));
        return table;
    }

    /// <summary>"The bound broke on 1 of 3 seeds for separate." for the schemes whose bound did not hold on every seed; null when it held everywhere.</summary>
    public static string? BrokenBoundLine(IReadOnlyList<SeedSummary> schemes)
    {
        var broken = schemes.Where(s => s.BoundHeldRuns < s.Seeds.Count).Select(s => $"{s.Seeds.Count - s.BoundHeldRuns} of {s.Seeds.Count} seed(s) for {s.Scheme}").ToArray();
        return broken.Length == 0 ? null : $"The bound broke on {string.Join(", ", broken)}.";
    }

    /// <summary>"16" when every device has the same batch, else "7 to 16".</summary>
    private static string Batches(IReadOnlyList<int> batches) =>
        batches.Count == 0 ? "—" : batches.Min() == batches.Max() ? I(batches[0]) : $"{I(batches.Min())} to {I(batches.Max())}";

    private static string C(double value, int width, int digits = 4) => CellText.Fit(value, width, digits);

    private static string P(double value) => value.ToString("P2", CultureInfo.InvariantCulture);

    private static string N(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The <c>summary.json</c> of a run that diverged (docs/formats.md): flagged, with where and why it stopped.</summary>
/// <param name="Scheme">Scheme of the plan.</param>
/// <param name="Seed">Seed of the run.</param>
/// <param name="PlannedPretrainRounds">M of the plan.</param>
/// <param name="PlannedFinetuneRounds">N of the plan.</param>
/// <param name="Stage">The stage that diverged: pretrain or finetune.</param>
/// <param name="Round">The round of that stage at which the run stopped.</param>
/// <param name="Reason">The message, as printed.</param>
internal sealed record DivergedSummary(string Scheme, int Seed, int PlannedPretrainRounds, int PlannedFinetuneRounds, string Stage, int Round, string Reason)
{
    /// <summary>Always true: this summary describes a run that diverged.</summary>
    public bool Diverged => true;

    /// <summary>With several seeds (top-level summary.json only): the seeds that completed before this one diverged.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int>? CompletedSeeds { get; init; }

    /// <summary>With several schemes: the schemes that completed on this seed before this one diverged.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? CompletedSchemes { get; init; }

    /// <summary>What the run came from (docs/formats.md, "Provenance").</summary>
    public Provenance? Provenance { get; init; }
}
