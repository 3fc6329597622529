using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeLearn.Training.Study;

/// <summary>What a study was, for the head of its report and the <c>study</c> object of <c>cells.json</c>.</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Dataset">Dataset (none when the study used no data).</param>
/// <param name="Schemes">The schemes.</param>
/// <param name="Seeds">The seeds.</param>
/// <param name="EnergyFactors">The energy sweep.</param>
/// <param name="DelayFactors">The delay sweep.</param>
/// <param name="Shift">The shift sweep, e.g. <c>rotate:0,45,90</c>, or null.</param>
/// <param name="DeviceCounts">The devices sweep, or null.</param>
/// <param name="GridEnergyFactors">The grid's energy factors.</param>
/// <param name="GridDelayFactors">The grid's delay factors.</param>
/// <param name="Train">Whether the one-factor cells were trained.</param>
/// <param name="TrainGrid">Whether the grid's cells were trained.</param>
/// <param name="Calibrated">Whether each shift level's scenario was calibrated.</param>
/// <param name="Cells">Distinct cells.</param>
/// <param name="Rows">Rows (cells × schemes × seeds).</param>
public sealed record StudyDescription(
    string Scenario, string Dataset, IReadOnlyList<string> Schemes, IReadOnlyList<int> Seeds,
    IReadOnlyList<double> EnergyFactors, IReadOnlyList<double> DelayFactors, string? Shift, IReadOnlyList<int>? DeviceCounts,
    IReadOnlyList<double> GridEnergyFactors, IReadOnlyList<double> GridDelayFactors, bool Train, bool TrainGrid, bool Calibrated, int Cells, int Rows)
{
    /// <summary>Describes a study result.</summary>
    public static StudyDescription Of(StudyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var setup = result.Setup;
        var grid = setup.Grid;
        return new StudyDescription(
            setup.Scenario.Name, setup.NeedsData ? setup.Data.Dataset : "none", [.. grid.Schemes.Select(s => s.Name)], grid.Seeds,
            grid.EnergyFactors, grid.DelayFactors,
            grid.Shift is { } s ? s.Name + ":" + string.Join(",", s.Levels.Select(l => l.ToString(CultureInfo.InvariantCulture))) : null,
            grid.DeviceCounts, grid.GridEnergyFactors, grid.GridDelayFactors, grid.Train, grid.TrainGrid, setup.Calibration is not null,
            result.Cells.Select(c => c.Cell.Key).Distinct().Count(), result.Rows.Count());
    }
}

/// <summary><c>cells.json</c>: the study's description, its provenance and every row.</summary>
/// <param name="Study">What the study was.</param>
/// <param name="Provenance">What produced it (tool, command line, scenario hash), or null.</param>
/// <param name="Rows">The rows of <c>cells.csv</c>, in the same order.</param>
public sealed record StudyCellsFile(StudyDescription Study, Provenance? Provenance, IReadOnlyList<StudyRow> Rows);

/// <summary>Writes a study's output files: cells.csv, cells.json, frontier.csv, the figures (PNG and SVG), report.md and
/// a single-file report.html (figures embedded), all from the rows.</summary>
public static class StudyReport
{
    /// <summary>The file names every study writes (figures besides).</summary>
    public static IReadOnlyList<string> Files { get; } = ["cells.csv", "cells.json", "frontier.csv", "report.md", "report.html"];

    /// <summary>Writes every output file of <paramref name="result"/> into <paramref name="folder"/> (which must exist).</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="result">The study.</param>
    /// <param name="provenance">Provenance for cells.json, or null.</param>
    /// <param name="command">The command line shown in the report.</param>
    /// <param name="elapsed">The study's duration, shown in the report (null: not shown).</param>
    /// <returns>The figures written.</returns>
    public static IReadOnlyList<StudyFigure> Write(string folder, StudyResult result, Provenance? provenance, string command, TimeSpan? elapsed)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = result.Rows.ToArray();
        var description = StudyDescription.Of(result);
        var analysis = new StudyAnalysis(rows, result.Setup.Grid.Shift?.Kind, result.Setup.Calibration is not null);
        File.WriteAllText(Path.Combine(folder, "cells.csv"), StudyRow.Csv(rows));
        File.WriteAllText(Path.Combine(folder, "cells.json"), StudyJson.Serialize(new StudyCellsFile(description, provenance, rows)));
        File.WriteAllText(Path.Combine(folder, "frontier.csv"), FrontierCsv(analysis));
        var figures = StudyPlots.All(analysis, description.Dataset == "none" ? "planned only" : description.Dataset);
        foreach (var figure in figures)
        {
            File.WriteAllBytes(Path.Combine(folder, figure.Name + ".png"), figure.Png);
            File.WriteAllText(Path.Combine(folder, figure.Name + ".svg"), figure.Svg);
        }

        var readings = analysis.Readings();
        int units = result.Cells.Count;
        string? when = elapsed is { } e
            ? FormattableString.Invariant($"{e.TotalMinutes:F1} min") + (result.Computed < units
                ? $"; {result.Computed} of {units} cell-seeds computed in this run, the others reused from an earlier one"
                : "")
            : null;
        File.WriteAllText(Path.Combine(folder, "report.md"), Markdown(description, figures, readings, command, when));
        File.WriteAllText(Path.Combine(folder, "report.html"), Html(description, figures, readings, command, when));
        return figures;
    }

    /// <summary>frontier.csv: per scheme and delay budget of the grid, the energy budget needed to reach the target.</summary>
    public static string FrontierCsv(StudyAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var text = new StringBuilder("scheme,delayFactor,energyFactor,atGridEdge,targetBound\n");
        if (analysis.Target() is { } target)
        {
            foreach (var p in analysis.Frontier(target.Bound))
            {
                text.Append(CultureInfo.InvariantCulture, $"{p.Scheme},{p.DelayFactor:R},{(p.EnergyFactor is { } e ? e.ToString("R", CultureInfo.InvariantCulture) : "")},{(p.AtGridEdge ? "true" : "false")},{target.Bound:R}\n");
            }
        }

        return text.ToString();
    }

    private static string Title(StudyDescription d) => d.Dataset == "none" ? $"{d.Scenario} (planning only)" : $"{d.Scenario} on {d.Dataset}";

    /// <summary>The head line of the report: what was swept, how often and how.</summary>
    public static string Summary(StudyDescription d)
    {
        ArgumentNullException.ThrowIfNull(d);
        static string L(IEnumerable<double> v) => string.Join(", ", v.Select(x => "×" + x.ToString("G4", CultureInfo.InvariantCulture)));
        var parts = new List<string>
        {
            $"scenario '{d.Scenario}', data {d.Dataset}",
            $"energy budget {L(d.EnergyFactors)}",
            $"delay budget {L(d.DelayFactors)}",
        };
        if (d.Shift is { } s)
        {
            parts.Add($"shift {s}");
        }

        if (d.DeviceCounts is { } k)
        {
            parts.Add($"fleet sizes {string.Join(", ", k)}");
        }

        if (d.GridEnergyFactors.Count > 0)
        {
            parts.Add($"{d.GridEnergyFactors.Count} × {d.GridDelayFactors.Count} energy × delay grid{(d.TrainGrid ? " (trained)" : " (planned only)")}");
        }

        parts.Add($"schemes {string.Join(", ", d.Schemes)}");
        parts.Add($"seeds {string.Join(", ", d.Seeds)}");
        parts.Add(d.Train ? "the one-factor cells trained" : "planned only");
        parts.Add(d.Calibrated ? "each shift level's scenario calibrated on its data per seed" : "the scenario's own constants (not calibrated)");
        return string.Join("; ", parts) + $"; {d.Cells} cells, {d.Rows} rows.";
    }

    private static string Markdown(StudyDescription d, IReadOnlyList<StudyFigure> figures, IReadOnlyList<Reading> readings, string command, string? when)
    {
        var text = new StringBuilder();
        text.Append("# Study: ").Append(Title(d)).Append("\n\n");
        text.Append(Summary(d)).Append("\n\n");
        text.Append("Command: `").Append(command).Append('`');
        if (when is not null)
        {
            text.Append(" (").Append(when).Append(')');
        }

        text.Append(".\n\nThe readings below are generated from cells.csv; numbers are means over the seeds. Every row is in cells.csv (its columns are described in docs/formats.md, section \"Study\").\n");
        foreach (var figure in figures)
        {
            text.Append("\n## ").Append(figure.Title).Append("\n\n");
            text.Append("![").Append(figure.Title).Append("](").Append(figure.Name).Append(".png)\n\n");
            if (readings.FirstOrDefault(r => r.Figure == figure.Name) is { } reading)
            {
                text.Append(reading.Text).Append('\n');
            }
        }

        text.Append("\n## Files\n\n");
        text.Append("cells.csv and cells.json (one row per cell × scheme × seed), ");
        text.Append(figures.Any(f => f.Name == "frontier") ? "frontier.csv (the frontier figure's points), " : "frontier.csv (only its header: the study has no energy × delay grid), ");
        text.Append("the figures as PNG and SVG, this report as report.md and report.html (one file, figures embedded).\n");
        return text.ToString();
    }

    private static string Html(StudyDescription d, IReadOnlyList<StudyFigure> figures, IReadOnlyList<Reading> readings, string command, string? when)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var text = new StringBuilder();
        text.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Study: ").Append(E(d.Scenario)).Append("</title>\n");
        text.Append("<style>body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;line-height:1.45;color:#222}");
        text.Append("img{max-width:100%;border:1px solid #ddd}code{background:#f3f3f3;padding:0 .2em}h2{margin-top:2em}</style>\n</head>\n<body>\n");
        text.Append("<h1>Study: ").Append(E(Title(d))).Append("</h1>\n");
        text.Append("<p>").Append(E(Summary(d))).Append("</p>\n");
        text.Append("<p>Command: <code>").Append(E(command)).Append("</code>");
        if (when is not null)
        {
            text.Append(" (").Append(E(when)).Append(')');
        }

        text.Append(".</p>\n<p>The readings are generated from cells.csv; numbers are means over the seeds.</p>\n");
        foreach (var figure in figures)
        {
            text.Append("<h2>").Append(E(figure.Title)).Append("</h2>\n");
            text.Append("<img alt=\"").Append(E(figure.Title)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(figure.Png)).Append("\">\n");
            if (readings.FirstOrDefault(r => r.Figure == figure.Name) is { } reading)
            {
                text.Append("<p>").Append(E(reading.Text)).Append("</p>\n");
            }
        }

        text.Append("</body>\n</html>\n");
        return text.ToString();
    }
}
