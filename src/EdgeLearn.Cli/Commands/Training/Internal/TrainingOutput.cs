using System.Globalization;
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
    /// energy against the simulated ones, with their ratios.</summary>
    public static Table PlanVersusActual(TrainingSummary s)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle(Markup.Escape($"Plan versus actual: {s.Scheme} on {s.Dataset} (seed {s.Seed})")) };
        table.AddColumn("quantity");
        table.AddColumn(new TableColumn("planned").RightAligned());
        table.AddColumn(new TableColumn("measured").RightAligned());
        table.AddColumn(new TableColumn("ratio").RightAligned());
        table.AddColumn("verdict");
        table.AddRow("avg |grad F|^2", N(s.PredictedBound, "G4"),
            $"{N(s.AverageSquaredGradientNorm, "G4")} ± {N(s.AverageSquaredGradientNormStdErr, "G2")}", N(s.BoundRatio, "F3"),
            s.BoundHeld ? "bound held" : "[red]bound broken[/]");
        table.AddRow("delay (s)", N(s.PredictedDelayS, "F2"), N(s.DelayS, "F2"), N(s.DelayRatio, "F3"), $"budget {N(s.BudgetDelayS, "G6")}");
        table.AddRow("energy (J)", N(s.PredictedEnergyJ, "F2"), N(s.EnergyJ, "F2"), N(s.EnergyRatio, "F3"), $"budget {N(s.BudgetEnergyJ, "G6")}");
        foreach (string violation in s.Violations)
        {
            table.AddRow("[red]violated[/]", "", "", "", Markup.Escape(violation));
        }

        table.Caption = new TableTitle("avg |grad F|^2: planned = the plan's bound Gbar; measured = unbiased mean over the fine-tuning rounds ± standard error"
            + (s.Violations.Count > 0 ? "; violated = a constraint of the scenario the plan breaks (--allow-violations)" : ""));
        return table;
    }

    /// <summary>What a run did and reached: rounds and batches, accuracy, step sizes, model, wall clock.</summary>
    public static Table Run(TrainingSummary s)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle("Run") };
        table.AddColumn("quantity");
        table.AddColumn("value");
        table.AddRow("rounds M / N", $"{s.PretrainRounds} / {s.FinetuneRounds} (B0 = {s.PretrainBatch}, bk = {Batches(s.DeviceBatches)})");
        table.AddRow("test accuracy", s.PretrainTestAccuracy is { } pre
            ? $"{P(s.FinalTestAccuracy)} (initial {P(s.InitialTestAccuracy)}, after pre-training {P(pre)})"
            : $"{P(s.FinalTestAccuracy)} (initial {P(s.InitialTestAccuracy)})");
        table.AddRow("test loss (nats)", $"{N(s.FinalTestLoss, "F4")} on {s.TestSamples:N0} test images");
        table.AddRow("final |grad F|^2", $"{N(s.FinalSquaredGradientNorm, "G3")} ± {N(s.FinalSquaredGradientNormStdErr, "G2")} (unbiased, {s.GradientSamples:N0} of {s.TaskSamples:N0} task images a round)");
        table.AddRow("step sizes eta0 / eta", $"{N(s.PretrainLearningRate, "G4")} / {N(s.FinetuneLearningRate, "G4")} (the scenario's: bound and SGD)");
        table.AddRow("model", Markup.Escape($"{s.Model}, {s.ParameterCount:N0} parameters, S = {s.UploadBits:N0} bits"));
        table.AddRow("deadline misses", $"{I(s.DeadlineMisses)} (fading {s.Fading})");
        table.AddRow("wall clock (s)", N(s.WallClockS, "F1"));
        return table;
    }

    /// <summary>One row per seed and a mean ± standard deviation row (train --seeds).</summary>
    public static Table Seeds(IReadOnlyList<TrainingSummary> runs, SeedSummary mean)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle(Markup.Escape($"{mean.Scheme} on {mean.Dataset}: {runs.Count} seeds (M = {mean.PretrainRounds}, N = {mean.FinetuneRounds})")) };
        table.AddColumn(new TableColumn("seed").NoWrap());
        foreach (string column in new[] { "acc.", "avg g2", "bound", "ratio", "held", "T (s)", "E (J)", "wall" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var s in runs)
        {
            table.AddRow(I(s.Seed), Percent(s.FinalTestAccuracy), $"{N(s.AverageSquaredGradientNorm, "G3")} ± {N(s.AverageSquaredGradientNormStdErr, "G1")}",
                N(s.PredictedBound, "G3"), N(s.BoundRatio, "F3"), s.BoundHeld ? "yes" : "[red]no[/]", N(s.DelayS, "F1"), N(s.EnergyJ, "F1"), N(s.WallClockS, "F1"));
        }

        table.AddRow("[bold]mean ± std[/]", $"{Percent(mean.FinalTestAccuracy.Mean)} ± {N(100 * mean.FinalTestAccuracy.Std, "F1")}",
            $"{N(mean.AverageSquaredGradientNorm.Mean, "G3")} ± {N(mean.AverageSquaredGradientNorm.Std, "G2")}", N(mean.PredictedBound, "G3"),
            $"{N(mean.BoundRatio.Mean, "F3")} ± {N(mean.BoundRatio.Std, "F3")}", $"{mean.BoundHeldRuns}/{runs.Count}",
            N(mean.DelayS.Mean, "F1"), N(mean.EnergyJ.Mean, "F1"), N(mean.WallClockS, "F1"));
        table.Caption = new TableTitle("acc. = final test accuracy; avg g2 = measured mean |grad F|^2 over the fine-tuning rounds ± its standard error; ratio = avg g2 / bound; T, E = simulated totals");
        return table;
    }

    /// <summary>One row per scheme (train --scheme all), mean ± standard deviation over the seeds when there are several.</summary>
    public static Table Comparison(IReadOnlyList<SeedSummary> schemes, double budgetDelayS, double budgetEnergyJ)
    {
        int seeds = schemes.Count == 0 ? 0 : schemes[0].Seeds.Count;
        string title = seeds > 1 ? $"Schemes trained on the same data, {seeds} seeds (mean ± std)" : "Schemes trained on the same data and seed";
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle(title) };
        table.AddColumn(new TableColumn("scheme").NoWrap());
        foreach (string column in new[] { "M", "N", "acc.%", "avg g2", "bound", "ratio", "E J" })
        {
            table.AddColumn(new TableColumn(column).RightAligned().NoWrap());
        }

        foreach (var s in schemes)
        {
            table.AddRow(s.Scheme, I(s.PretrainRounds), I(s.FinetuneRounds), WithStd(s.FinalTestAccuracy, 100, "F1", "F1"),
                WithStd(s.AverageSquaredGradientNorm, 1, "G3"), N(s.PredictedBound, "G3"),
                N(s.BoundRatio.Mean, "F2") + (s.BoundHeldRuns == s.Seeds.Count ? "" : $" ({s.Seeds.Count - s.BoundHeldRuns} broke)"),
                N(s.EnergyJ.Mean, "F0"));
        }

        table.Caption = new TableTitle(
            $"acc. = final test accuracy; avg g2 = measured mean |grad F|^2 over the fine-tuning rounds; bound = the plan's Gbar; ratio = avg g2 / bound (above 1: the bound broke); E = simulated energy (budgets {N(budgetDelayS, "G6")} s, {N(budgetEnergyJ, "G6")} J)");
        return table;
    }

    private static string WithStd(MeanStd value, double scale, string format, string stdFormat = "G1") =>
        value.Std > 0 ? $"{N(scale * value.Mean, format)}±{N(scale * value.Std, stdFormat)}" : N(scale * value.Mean, format);

    private static string Batches(IReadOnlyList<int> batches) =>
        batches.Count <= 8 ? string.Join(",", batches) : string.Join(",", batches.Take(8)) + ",…";

    private static string P(double value) => value.ToString("P2", CultureInfo.InvariantCulture);

    private static string Percent(double value) => (100 * value).ToString("F1", CultureInfo.InvariantCulture) + "%";

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

    /// <summary>What the run came from (docs/formats.md, "Provenance").</summary>
    public Provenance? Provenance { get; init; }
}
