using System.Globalization;
using EdgeLearn.Planning;
using EdgeLearn.Training;
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

    /// <summary>The summary table of one run: accuracy, the measured average |∇F|² next to the bound, time and energy against the budgets.</summary>
    public static Table Summary(TrainingSummary s)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle($"Training summary: {s.Scheme} on {s.Dataset} (seed {s.Seed})") };
        table.AddColumn("quantity");
        table.AddColumn(new TableColumn("measured").RightAligned());
        table.AddColumn(new TableColumn("planned / budget").RightAligned());
        table.AddRow("rounds M / N", $"{s.PretrainRounds} / {s.FinetuneRounds}", $"B0 = {s.PretrainBatch}, bk = {string.Join(",", s.DeviceBatches)}");
        table.AddRow("test accuracy", P(s.FinalTestAccuracy),
            s.PretrainTestAccuracy is { } pre ? $"initial {P(s.InitialTestAccuracy)}, after pre-training {P(pre)}" : $"initial {P(s.InitialTestAccuracy)}");
        table.AddRow("test loss (nats)", N(s.FinalTestLoss, "F4"), "");
        table.AddRow("avg |grad F|^2 over fine-tuning", N(s.AverageSquaredGradientNorm, "G4"), $"bound Gbar = {N(s.PredictedBound, "G4")}");
        table.AddRow("final |grad F|^2", N(s.FinalSquaredGradientNorm, "G4"), $"on {s.GradientSamples} task images");
        table.AddRow("simulated delay (s)", N(s.DelayS, "F2"), $"{N(s.PredictedDelayS, "F2")} planned / {N(s.BudgetDelayS, "G6")} budget");
        table.AddRow("simulated energy (J)", N(s.EnergyJ, "F2"), $"{N(s.PredictedEnergyJ, "F2")} planned / {N(s.BudgetEnergyJ, "G6")} budget");
        table.AddRow("deadline misses", s.DeadlineMisses.ToString(CultureInfo.InvariantCulture), $"fading {s.Fading}");
        table.AddRow("learning rates eta0 / eta", $"{N(s.PretrainLearningRate, "G4")} / {N(s.FinetuneLearningRate, "G4")}",
            $"bound assumes {N(s.BoundPretrainStepSize, "G4")} / {N(s.BoundStepSize, "G4")}");
        table.AddRow("model", Markup.Escape(s.Model), $"{s.ParameterCount:N0} parameters");
        table.AddRow("wall clock (s)", N(s.WallClockS, "F1"), "");
        return table;
    }

    /// <summary>One row per scheme (compare --train).</summary>
    public static Table Comparison(IReadOnlyList<TrainingSummary> summaries)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle("Schemes trained on the same data and seed") };
        table.AddColumn(new TableColumn("scheme").NoWrap());
        foreach (string column in new[] { "M", "N", "acc.", "avg g2", "bound", "T (s)", "E (J)", "miss", "wall" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var s in summaries)
        {
            table.AddRow(s.Scheme, I(s.PretrainRounds), I(s.FinetuneRounds), N(100 * s.FinalTestAccuracy, "F1") + "%", N(s.AverageSquaredGradientNorm, "G3"),
                N(s.PredictedBound, "G3"), N(s.DelayS, "F0"), N(s.EnergyJ, "F0"), I(s.DeadlineMisses), N(s.WallClockS, "F1"));
        }

        if (summaries.Count > 0)
        {
            table.Caption = new TableTitle(
                $"acc. = final test accuracy; avg g2 = measured mean |grad F|^2 over the fine-tuning rounds, bound = the plan's Gbar; T, E = simulated totals (budgets {N(summaries[0].BudgetDelayS, "G6")} s, {N(summaries[0].BudgetEnergyJ, "G6")} J); miss = deadline misses; wall = seconds");
        }

        return table;
    }

    private static string P(double value) => value.ToString("P2", CultureInfo.InvariantCulture);

    private static string N(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
