using System.Globalization;
using EdgeLearn.Training.Reports;
using ScottPlot;

namespace EdgeLearn.Training.Study;

/// <summary>A figure in both forms: PNG bytes and SVG text.</summary>
/// <param name="Name">File name without extension, e.g. <c>bound-energy</c>.</param>
/// <param name="Title">The figure's title (also its caption in the report).</param>
/// <param name="Png">PNG bytes.</param>
/// <param name="Svg">SVG text.</param>
public sealed record StudyFigure(string Name, string Title, byte[] Png, string Svg);

/// <summary>The figures of a study (ScottPlot): quantities against each sweep, one line per scheme with the seeds'
/// range as a band; M and N against the shift with the switch-off point; the energy–delay frontier.</summary>
public static class StudyPlots
{
    private const int Width = 900;
    private const int Height = 560;

    /// <summary>Every figure the analysis allows, in the report's order (the names of <see cref="StudyAnalysis.Readings"/>).</summary>
    public static IReadOnlyList<StudyFigure> All(StudyAnalysis analysis, string dataset)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var figures = new List<StudyFigure>();
        foreach (string sweep in analysis.Drawn)
        {
            figures.Add(Sweep(analysis, sweep, StudyQuantity.Bound, $"bound-{sweep}",
                $"Predicted bound vs {StudyAnalysis.SweepNoun(sweep)} ({dataset})", "predicted bound Gbar (log scale)"));
            if (sweep == "shift")
            {
                figures.Add(RoundsVersusShift(analysis, dataset));
            }

            if (analysis.Schemes.Any(s => analysis.Series(sweep, s, StudyQuantity.Accuracy).Count > 0))
            {
                figures.Add(Sweep(analysis, sweep, StudyQuantity.Accuracy, $"accuracy-{sweep}",
                    $"Test accuracy vs {StudyAnalysis.SweepNoun(sweep)} ({dataset})", "final test accuracy"));
            }
        }

        if (analysis.Target() is { } target)
        {
            figures.Add(Frontier(analysis, target.Bound));
        }

        return figures;
    }

    /// <summary>One quantity against one sweep, a line per scheme (mean over seeds) with the seeds' range as a band.</summary>
    public static StudyFigure Sweep(StudyAnalysis analysis, string sweep, StudyQuantity quantity, string name, string title, string yLabel)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var plot = new Plot();
        bool logY = quantity is StudyQuantity.Bound or StudyQuantity.GradientNorm;
        bool logX = sweep is "energy" or "delay" or "devices";
        var styles = TrainingPlots.SchemeStyles(analysis.Schemes.Count);
        var shown = new List<double>();
        for (int i = 0; i < analysis.Schemes.Count; i++)
        {
            var points = analysis.Series(sweep, analysis.Schemes[i], quantity).Where(p => !logY || p.Min > 0).ToArray();
            if (points.Length == 0)
            {
                continue;
            }

            double[] xs = [.. points.Select(p => X(p.Level, logX))];
            Func<double, double> y = v => logY ? Math.Log10(v) : v;
            if (points.Any(p => p.Max > p.Min))
            {
                var band = plot.Add.FillY(xs, [.. points.Select(p => y(p.Min))], [.. points.Select(p => y(p.Max))]);
                band.FillColor = styles[i].Color.WithAlpha(0.15);
                band.LineColor = Colors.Transparent;
            }

            SchemeLine(plot.Add.Scatter(xs, [.. points.Select(p => y(p.Mean))]), styles[i], analysis.Schemes[i]);
            shown.AddRange(points.SelectMany(p => new[] { p.Min, p.Max }));
        }

        if (logX)
        {
            FactorTicks(plot.Axes.Bottom, analysis.Levels(sweep), sweep == "devices" ? "K = " : "×");
        }

        if (logY)
        {
            TrainingPlots.LogAxis(plot, shown);
        }
        else if (quantity == StudyQuantity.Accuracy)
        {
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => (100 * v).ToString("0.##", CultureInfo.InvariantCulture) + " %" };
        }

        plot.Title(title);
        plot.XLabel(sweep switch
        {
            "energy" => "energy budget (× the scenario's Emax)",
            "delay" => "delay budget (× the scenario's Tmax)",
            "devices" => "devices K",
            _ => new ShiftSweep(analysis.ShiftKind ?? ShiftKind.Rotate, []).AxisTitle,
        });
        plot.YLabel(yLabel);
        plot.ShowLegend(Edge.Right);
        return Render(plot, name, title);
    }

    /// <summary>Joint's M and N against the shift (mean over seeds, range as a band), the switch-off point marked.</summary>
    public static StudyFigure RoundsVersusShift(StudyAnalysis analysis, string dataset)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var plot = new Plot();
        string joint = analysis.Schemes[0];
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var (quantity, label, color) in new[] { (StudyQuantity.PretrainRounds, "M (pre-training rounds)", palette.GetColor(0)), (StudyQuantity.FinetuneRounds, "N (fine-tuning rounds)", palette.GetColor(1)) })
        {
            var points = analysis.Series("shift", joint, quantity);
            if (points.Count == 0)
            {
                continue;
            }

            double[] xs = [.. points.Select(p => p.Level)];
            if (points.Any(p => p.Max > p.Min))
            {
                var band = plot.Add.FillY(xs, [.. points.Select(p => p.Min)], [.. points.Select(p => p.Max)]);
                band.FillColor = color.WithAlpha(0.15);
                band.LineColor = Colors.Transparent;
            }

            var line = plot.Add.Scatter(xs, [.. points.Select(p => p.Mean)]);
            line.Color = color;
            line.MarkerSize = 7;
            line.LineWidth = 1.5f;
            line.LegendText = $"{joint} {label}";
        }

        if (analysis.SwitchOff() is { } off)
        {
            var mark = plot.Add.VerticalLine(off);
            mark.LinePattern = LinePattern.Dashed;
            mark.Color = Colors.Gray;
            mark.LegendText = $"pre-training switched off from {analysis.LevelText("shift", off)}";
        }

        string title = $"{joint}: rounds vs shift ({dataset})";
        plot.Title(title);
        plot.XLabel(new ShiftSweep(analysis.ShiftKind ?? ShiftKind.Rotate, []).AxisTitle);
        plot.YLabel("rounds");
        plot.Axes.SetLimitsY(0, Math.Max(1, analysis.Schemes.Take(1).SelectMany(s => analysis.Series("shift", s, StudyQuantity.PretrainRounds).Concat(analysis.Series("shift", s, StudyQuantity.FinetuneRounds))).Select(p => p.Max).DefaultIfEmpty(1).Max() * 1.1));
        plot.ShowLegend(Edge.Bottom);
        return Render(plot, "rounds-shift", title);
    }

    /// <summary>The energy–delay frontier: per scheme, the energy budget needed to reach <paramref name="target"/>
    /// against the delay budget (from the planning grid).</summary>
    public static StudyFigure Frontier(StudyAnalysis analysis, double target)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var plot = new Plot();
        var points = analysis.Frontier(target);
        var styles = TrainingPlots.SchemeStyles(analysis.Schemes.Count);
        double[] delays = [.. points.Select(p => p.DelayFactor).Distinct().Order()];
        var energies = new List<double>();
        for (int i = 0; i < analysis.Schemes.Count; i++)
        {
            var reached = points.Where(p => p.Scheme == analysis.Schemes[i] && p.EnergyFactor is not null).OrderBy(p => p.DelayFactor).ToArray();
            if (reached.Length == 0)
            {
                continue;
            }

            SchemeLine(plot.Add.Scatter(reached.Select(p => Math.Log2(p.DelayFactor)).ToArray(), reached.Select(p => Math.Log2(p.EnergyFactor!.Value)).ToArray()),
                styles[i], analysis.Schemes[i]);
            energies.AddRange(reached.Select(p => p.EnergyFactor!.Value));
        }

        FactorTicks(plot.Axes.Bottom, delays, "×");
        if (delays.Length > 0)
        {
            plot.Axes.SetLimitsX(Math.Log2(delays[0]) - 0.25, Math.Log2(delays[^1]) + 0.25);
        }

        if (points.Any(p => p.AtGridEdge))
        {
            double edge = points.Where(p => p.AtGridEdge).Min(p => p.EnergyFactor!.Value);
            var floor = plot.Add.HorizontalLine(Math.Log2(edge));
            floor.LinePattern = LinePattern.Dotted;
            floor.Color = Colors.Gray;
            floor.LegendText = "grid's smallest (reached at or below)";
        }

        double[] gridEnergies = [.. points.Select(p => p.EnergyFactor).Where(e => e is not null).Select(e => e!.Value)];
        if (gridEnergies.Length > 0)
        {
            double lo = Math.Floor(Math.Log2(gridEnergies.Min())), hi = Math.Ceiling(Math.Log2(gridEnergies.Max()));
            FactorTicks(plot.Axes.Left, [.. Enumerable.Range((int)lo, (int)(hi - lo) + 1).Select(k => Math.Pow(2, k))], "×");
        }

        string title = FormattableString.Invariant($"Energy needed to reach bound {target:G4} vs delay budget");
        plot.Title(title);
        plot.XLabel("delay budget (× the scenario's Tmax)");
        plot.YLabel("energy budget needed (× the scenario's Emax)");
        plot.ShowLegend(Edge.Right);
        return Render(plot, "frontier", title);
    }

    private static double X(double level, bool log) => log ? Math.Log2(level) : level;

    /// <summary>A scheme's line: its colour, pattern and marker, and its name in the legend.</summary>
    private static void SchemeLine(ScottPlot.Plottables.Scatter line, SeriesStyle style, string scheme)
    {
        line.Color = style.Color;
        line.LinePattern = style.Pattern;
        line.MarkerShape = style.Marker;
        line.MarkerSize = 7;
        line.LineWidth = 1.5f;
        line.LegendText = scheme;
    }

    private static void FactorTicks(ScottPlot.IAxis axis, IReadOnlyList<double> levels, string prefix)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (double level in levels)
        {
            ticks.AddMajor(Math.Log2(level), prefix + level.ToString("G3", CultureInfo.InvariantCulture));
        }

        axis.TickGenerator = ticks;
    }

    /// <summary>Renders the PNG, then the SVG with solid lines: Skia's SVG canvas has no dash effects (it would print
    /// "Unsupported path effect" to stderr and draw them solid anyway); colours and markers still tell the lines apart.</summary>
    private static StudyFigure Render(Plot plot, string name, string title)
    {
        byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        foreach (var plottable in plot.GetPlottables())
        {
            switch (plottable)
            {
                case ScottPlot.Plottables.Scatter scatter:
                    scatter.LinePattern = LinePattern.Solid;
                    break;
                case ScottPlot.Plottables.AxisLine line:
                    line.LinePattern = LinePattern.Solid;
                    break;
            }
        }

        return new StudyFigure(name, title, png, plot.GetSvgXml(Width, Height));
    }
}
