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
            LogAxis(gradient, positive.Select(r => r.GradientNormSquared).Concat(shown.Select(i => smooth[i])));
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

        Plot titled = multiplot.GetPlot(1);
        titled.Title(RunTitle(summary));
        titled.Axes.Title.Label.FontSize = 11;
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
        var styles = SchemeStyles(results.Count);
        var curves = new List<(double[] X, double[] Y, string Scheme)>();
        for (int i = 0; i < results.Count; i++)
        {
            var result = results[i];
            var evaluated = result.Rounds.Where(r => r.TestAccuracy is not null).ToArray();
            double[] xs = evaluated.Select(r => r.EnergyJ).ToArray(), ys = evaluated.Select(r => r.TestAccuracy!.Value).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            var style = styles[i];
            line.Color = style.Color;
            line.LinePattern = style.Pattern;
            line.MarkerShape = style.Marker;
            line.MarkerSize = 7;
            line.LineWidth = 1.5f;

            // A curve that coincides with an earlier one (max-resource and joint often do) is drawn over it; the legend says so.
            string? same = curves.Where(c => c.X.SequenceEqual(xs) && c.Y.SequenceEqual(ys)).Select(c => c.Scheme).FirstOrDefault();
            line.LegendText = FormattableString.Invariant($"{result.Summary.Scheme} ({100 * result.Summary.FinalTestAccuracy:F1}%)")
                + (same is null ? "" : $", same curve as {same}");
            curves.Add((xs, ys, result.Summary.Scheme));
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

    /// <summary>The title of <c>training.png</c>, naming the run: scheme, dataset, shift and split, then M and N, short
    /// enough for the figure (at most <see cref="MaxTitleLength"/> characters; a long dataset name is cut).</summary>
    /// <param name="summary">The run.</param>
    /// <returns>For example "joint on mnist, rotate 30°, dirichlet:0.5, M = 338, N = 92".</returns>
    public static string RunTitle(TrainingSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var shift = new List<string>();
        if (summary.RotateDeg != 0) shift.Add(FormattableString.Invariant($"rotate {summary.RotateDeg:G4}°"));
        if (summary.InvertFraction != 0) shift.Add(FormattableString.Invariant($"invert {summary.InvertFraction:G3}"));
        if (summary.NoiseStd != 0) shift.Add(FormattableString.Invariant($"noise {summary.NoiseStd:G3}"));
        string shifts = shift.Count == 0 ? "no shift" : string.Join(", ", shift);
        string rounds = FormattableString.Invariant($", M = {summary.PretrainRounds}, N = {summary.FinetuneRounds}");
        string rest = $", {shifts}, {summary.Split}{rounds}";
        string scheme = summary.Scheme + " on ";
        int room = Math.Max(8, MaxTitleLength - scheme.Length - rest.Length);
        string dataset = summary.Dataset.Length <= room ? summary.Dataset : summary.Dataset[..(room - 1)] + "…";
        return scheme + dataset + rest;
    }

    /// <summary>The longest title <see cref="RunTitle"/> makes (but for a scheme, shift or split so long that the dataset's
    /// name is cut to 8 characters and still does not fit).</summary>
    public const int MaxTitleLength = 72;

    /// <summary>
    /// Ticks for a log-scale axis spanning <paramref name="min"/> to <paramref name="max"/> (positive values): every
    /// decade labelled, and, when the range spans under two decades, 2 and 5 times each decade labelled too; minor
    /// ticks (unlabelled) at the other integer multiples. The ticks run from the largest labelled value at or below
    /// <paramref name="min"/> to the smallest at or above <paramref name="max"/>, so the axis can be set to them.
    /// </summary>
    /// <param name="min">The smallest value shown; positive.</param>
    /// <param name="max">The largest value shown; at least <paramref name="min"/>.</param>
    /// <returns>Each tick's value and its label (null for a minor tick), in increasing order.</returns>
    public static IReadOnlyList<(double Value, string? Label)> LogTicks(double min, double max)
    {
        if (!(min > 0) || !(max >= min) || double.IsInfinity(max))
        {
            throw new ArgumentOutOfRangeException(nameof(min), $"the range must be positive and finite, min ≤ max; it is {min} to {max}.");
        }

        int[] labelled = Math.Log10(max / min) < 2 ? [1, 2, 5] : [1];
        int low = (int)Math.Floor(Math.Log10(min)) - 1, high = (int)Math.Ceiling(Math.Log10(max)) + 1;
        var all = new List<(double Value, string? Label)>();
        for (int decade = low; decade <= high; decade++)
        {
            double unit = Math.Pow(10, decade);
            for (int m = 1; m <= 9; m++)
            {
                double value = m * unit;
                all.Add((value, labelled.Contains(m) ? value.ToString("G3", System.Globalization.CultureInfo.InvariantCulture) : null));
            }
        }

        int first = all.FindLastIndex(t => t.Label is not null && t.Value <= min * (1 + 1e-12));
        int last = all.FindIndex(t => t.Label is not null && t.Value >= max * (1 - 1e-12));
        return all.GetRange(first, last - first + 1);
    }

    /// <summary>Sets a log10-valued axis to <see cref="LogTicks"/> of the values it shows, and its limits to their span.</summary>
    internal static void LogAxis(Plot plot, IEnumerable<double> shown)
    {
        double[] values = shown.Where(v => v > 0 && double.IsFinite(v)).ToArray();
        if (values.Length == 0)
        {
            return;
        }

        var ticks = LogTicks(values.Min(), values.Max());
        var generator = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (value, label) in ticks)
        {
            if (label is null)
            {
                generator.AddMinor(Math.Log10(value));
            }
            else
            {
                generator.AddMajor(Math.Log10(value), label);
            }
        }

        plot.Axes.Left.TickGenerator = generator;
        plot.Axes.SetLimitsY(Math.Log10(ticks[0].Value), Math.Log10(ticks[^1].Value));
    }

    /// <summary>One style per scheme of <c>accuracy-energy.png</c>: colours and marker shapes pairwise distinct (for up to
    /// ten schemes), line patterns in turn, so that curves that coincide stay visible.</summary>
    /// <param name="count">How many schemes.</param>
    /// <returns>The styles, in the schemes' order.</returns>
    public static IReadOnlyList<SeriesStyle> SchemeStyles(int count)
    {
        var palette = new ScottPlot.Palettes.Category10();
        MarkerShape[] markers =
        [
            MarkerShape.FilledCircle, MarkerShape.OpenSquare, MarkerShape.FilledTriangleUp, MarkerShape.OpenDiamond, MarkerShape.Cross,
            MarkerShape.FilledSquare, MarkerShape.OpenCircle, MarkerShape.FilledDiamond, MarkerShape.OpenTriangleUp, MarkerShape.Eks,
        ];
        LinePattern[] patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted];
        return Enumerable.Range(0, count)
            .Select(i => new SeriesStyle(palette.GetColor(i), markers[i % markers.Length], patterns[i % patterns.Length]))
            .ToArray();
    }
}

/// <summary>How one series of a figure is drawn.</summary>
/// <param name="Color">Line and marker colour.</param>
/// <param name="Marker">Marker shape.</param>
/// <param name="Pattern">Line pattern.</param>
public sealed record SeriesStyle(Color Color, MarkerShape Marker, LinePattern Pattern);
