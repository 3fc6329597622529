using ScottPlot;

namespace EdgeLearn.Training.Reports;

/// <summary>PNG figures of runs, drawn with ScottPlot.</summary>
public static class TrainingPlots
{
    /// <summary>Rounds averaged by the trend line of the |∇F|² plots.</summary>
    private const int SmoothingWindow = 15;

    /// <summary>Centred running mean over <paramref name="window"/> values (shorter at the ends).</summary>
    private static double[] RunningMean(double[] values, int window)
    {
        var mean = new double[values.Length];
        int half = window / 2;
        for (int i = 0; i < values.Length; i++)
        {
            int from = Math.Max(0, i - half), to = Math.Min(values.Length - 1, i + half);
            double sum = 0;
            for (int j = from; j <= to; j++)
            {
                sum += values[j];
            }

            mean[i] = sum / (to - from + 1);
        }

        return mean;
    }

    private static readonly string[] AxisNames = ["round", "simulated time (s)", "energy (J)"];

    /// <summary>
    /// One run as a 2×3 grid: test accuracy (top) and |∇F|² on a log scale (bottom) against round, simulated time and
    /// energy; a dashed line marks the end of pre-training.
    /// </summary>
    /// <param name="result">The run.</param>
    /// <param name="width">Image width in pixels; default 1500.</param>
    /// <param name="height">Image height in pixels; default 800.</param>
    /// <returns>The PNG bytes.</returns>
    public static byte[] RunFigure(TrainingResult result, int width = 1500, int height = 800)
    {
        ArgumentNullException.ThrowIfNull(result);
        var summary = result.Summary;
        var rounds = result.Rounds;
        var evaluated = rounds.Where(r => r.TestAccuracy is not null).ToArray();
        var boundary = summary.PretrainRounds > 0 ? rounds[summary.PretrainRounds] : null;
        var multiplot = new Multiplot();
        multiplot.AddPlots(6);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(2, 3);
        for (int axis = 0; axis < 3; axis++)
        {
            Func<RoundRecord, double> x = XOf(axis);
            Plot accuracy = multiplot.GetPlot(axis);
            var line = accuracy.Add.Scatter(evaluated.Select(x).ToArray(), evaluated.Select(r => r.TestAccuracy!.Value).ToArray());
            line.MarkerSize = 3;
            accuracy.Axes.SetLimitsY(0, 1);
            accuracy.YLabel("test accuracy");
            accuracy.XLabel(AxisNames[axis]);

            Plot gradient = multiplot.GetPlot(axis + 3);
            var positive = rounds.Where(r => r.GradientNormSquared > 0).ToArray();
            var norm = gradient.Add.Scatter(positive.Select(x).ToArray(), positive.Select(r => Math.Log10(r.GradientNormSquared)).ToArray());
            norm.MarkerSize = 0;
            norm.Color = Colors.DarkOrange.WithAlpha(0.35);

            // Each round's estimate is unbiased but noisy (and can dip below 0); a running mean shows the trend.
            double[] smooth = RunningMean(rounds.Select(r => r.GradientNormSquared).ToArray(), SmoothingWindow);
            int[] shown = Enumerable.Range(0, rounds.Count).Where(i => smooth[i] > 0).ToArray();
            var trend = gradient.Add.Scatter(shown.Select(i => x(rounds[i])).ToArray(), shown.Select(i => Math.Log10(smooth[i])).ToArray());
            trend.MarkerSize = 0;
            trend.LineWidth = 2;
            trend.Color = Colors.DarkOrange;
            LogTicks(gradient);
            gradient.YLabel($"|∇F|² (task data; {SmoothingWindow}-round mean)");
            gradient.XLabel(AxisNames[axis]);

            if (boundary is not null)
            {
                foreach (Plot plot in new[] { accuracy, gradient })
                {
                    var mark = plot.Add.VerticalLine(x(boundary));
                    mark.LinePattern = LinePattern.Dashed;
                    mark.Color = Colors.Gray;
                    if (plot == accuracy && axis == 0)
                    {
                        mark.LegendText = "fine-tuning starts";
                    }
                }
            }
        }

        if (boundary is not null)
        {
            multiplot.GetPlot(0).ShowLegend(Alignment.LowerRight);
        }

        multiplot.GetPlot(1).Title(FormattableString.Invariant(
            $"{summary.Scheme}, {summary.Dataset}: M = {summary.PretrainRounds}, N = {summary.FinetuneRounds}, accuracy {100 * summary.FinalTestAccuracy:F1}%"));
        return multiplot.Render(width, height).GetImageBytes(ImageFormat.Png);
    }

    /// <summary>Test accuracy against cumulative simulated energy, one curve per run (for <c>train --scheme all</c>).</summary>
    /// <param name="results">The runs, one per scheme.</param>
    /// <param name="width">Image width in pixels; default 900.</param>
    /// <param name="height">Image height in pixels; default 550.</param>
    /// <returns>The PNG bytes.</returns>
    public static byte[] AccuracyVersusEnergy(IReadOnlyList<TrainingResult> results, int width = 900, int height = 550)
    {
        ArgumentNullException.ThrowIfNull(results);
        var plot = new Plot();
        foreach (var result in results)
        {
            var evaluated = result.Rounds.Where(r => r.TestAccuracy is not null).ToArray();
            var line = plot.Add.Scatter(evaluated.Select(r => r.EnergyJ).ToArray(), evaluated.Select(r => r.TestAccuracy!.Value).ToArray());
            line.MarkerSize = 2;
            line.LegendText = FormattableString.Invariant($"{result.Summary.Scheme} ({100 * result.Summary.FinalTestAccuracy:F1}%)");
        }

        if (results.Count > 0)
        {
            var budget = plot.Add.VerticalLine(results[0].Summary.BudgetEnergyJ);
            budget.LinePattern = LinePattern.Dotted;
            budget.Color = Colors.Gray;
            budget.LegendText = "energy budget";
            plot.Title($"Test accuracy vs energy, {results[0].Summary.Dataset}, same budgets and seed");
        }

        plot.Axes.SetLimitsY(0, 1);
        plot.XLabel("cumulative simulated energy (J)");
        plot.YLabel("test accuracy");
        plot.ShowLegend(Alignment.LowerRight);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static Func<RoundRecord, double> XOf(int axis) => axis switch
    {
        0 => r => r.Round,
        1 => r => r.DelayS,
        _ => r => r.EnergyJ,
    };

    private static void LogTicks(Plot plot)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
