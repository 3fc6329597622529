using System.Globalization;
using EdgeLearn.Training.Study;

namespace EdgeLearn.Training.Tests.Study;

/// <summary>The report's generated sentences against the numbers in cells.csv, recomputed here from the file alone.</summary>
public sealed class StudyReadingTests(StudyFixture fixture) : IClassFixture<StudyFixture>
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    [Fact]
    public void Readings_QuoteTheBoundsOfCellsCsv()
    {
        var (csv, readings) = WriteAndRead("bounds");
        string energy = readings["bound-energy"];

        // Joint's mean bound at the lowest and highest energy levels, from the CSV.
        var joint = csv.Where(r => r["sweeps"].Split(';').Contains("energy") && r["scheme"] == "joint" && r["status"] == "planned")
            .GroupBy(r => D(r["energyFactor"])).OrderBy(g => g.Key).ToArray();
        Assert.Equal(2, joint.Length);
        double low = joint[0].Average(r => D(r["predictedBound"])), high = joint[^1].Average(r => D(r["predictedBound"]));
        Assert.Contains($"Joint's bound is {low.ToString("G4", Inv)} at ×0.5 and {high.ToString("G4", Inv)} at ×1.", energy);

        // Where joint has the lowest bound: count the levels from the CSV.
        int lowest = joint.Count(g => g.Average(r => D(r["predictedBound"])) <= csv
            .Where(r => r["scheme"] != "joint" && r["status"] == "planned" && r["sweeps"].Split(';').Contains("energy") && D(r["energyFactor"]) == g.Key)
            .Average(r => D(r["predictedBound"])) * (1 + 1e-9));
        Assert.Contains($"at {lowest} of the 2 levels", energy);
    }

    [Fact]
    public void Readings_NameTheInfeasibleCellsOfCellsCsv()
    {
        var (csv, readings) = WriteAndRead("infeasible");

        var infeasible = csv.Where(r => r["infeasible"] == "true").Select(r => r["scheme"]).ToArray();
        Assert.Equal(["joint", "finetune-only"], infeasible);
        Assert.Contains("Without a result: joint at ×0.0001 (infeasible), finetune-only at ×0.0001 (infeasible).", readings["bound-delay"]);
        Assert.Contains("Every scheme has a plan at every level.", readings["bound-energy"]);
    }

    [Fact]
    public void Readings_QuoteTheRoundsAndAccuracyOfCellsCsv()
    {
        var (csv, readings) = WriteAndRead("rounds");
        var shift = csv.Where(r => r["sweeps"].Split(';').Contains("shift") && r["scheme"] == "joint").OrderBy(r => D(r["rotateDeg"])).ToArray();

        Assert.Contains($"M is {shift[0]["pretrainRounds"]} at 0° and {shift[1]["pretrainRounds"]} at 30°; N is {shift[0]["finetuneRounds"]} and {shift[1]["finetuneRounds"]}.", readings["rounds-shift"]);
        bool switchedOff = shift[1]["pretrainRounds"] == "0";
        Assert.Equal(switchedOff, readings["rounds-shift"].Contains("Pre-training is switched off", StringComparison.Ordinal));

        var energy = csv.Where(r => r["sweeps"].Split(';').Contains("energy") && r["scheme"] == "joint").OrderBy(r => D(r["energyFactor"])).ToArray();
        string a(int i) => (100 * D(energy[i]["testAccuracy"])).ToString("F1", Inv) + " %";
        Assert.Contains($"Joint reaches {a(0)} at ×0.5, {a(1)} at ×1.", readings["accuracy-energy"]);

        var trained = csv.Where(r => r["trained"] == "true" && r["sweeps"].Split(';').Contains("delay")).ToArray();
        Assert.Contains($"in {trained.Count(r => r["boundHeld"] == "true")} of {trained.Length} trained runs", readings["accuracy-delay"]);
    }

    [Fact]
    public void Analysis_FromCellsCsv_GivesTheReportsReadings()
    {
        string folder = Path.Combine(fixture.Folder, "roundtrip");
        Directory.CreateDirectory(folder);
        StudyReport.Write(folder, fixture.Reference, null, "test", null);
        string report = File.ReadAllText(Path.Combine(folder, "report.md"));

        foreach (var reading in new StudyAnalysis(fixture.Reference.Rows.ToArray(), ShiftKind.Rotate).Readings())
        {
            Assert.Contains(reading.Text, report);
            Assert.DoesNotContain("NaN", reading.Text);
            Assert.DoesNotContain("∞", reading.Text);
        }
    }

    private (IReadOnlyList<Dictionary<string, string>> Csv, Dictionary<string, string> Readings) WriteAndRead(string name)
    {
        string folder = Path.Combine(fixture.Folder, name);
        Directory.CreateDirectory(folder);
        StudyReport.Write(folder, fixture.Reference, null, "test", null);
        var csv = ParseCsv(File.ReadAllText(Path.Combine(folder, "cells.csv")));

        // The readings of report.md: the paragraph after each figure's image line.
        var readings = new Dictionary<string, string>();
        string[] lines = File.ReadAllLines(Path.Combine(folder, "report.md"));
        for (int i = 0; i + 2 < lines.Length; i++)
        {
            if (lines[i].StartsWith("![", StringComparison.Ordinal))
            {
                string file = lines[i][(lines[i].LastIndexOf('(') + 1)..^1];
                readings[Path.GetFileNameWithoutExtension(file)] = lines[i + 2];
            }
        }

        return (csv, readings);
    }

    private static double D(string s) => double.Parse(s, Inv);

    /// <summary>RFC 4180 CSV into one dictionary per row (header names as keys).</summary>
    internal static IReadOnlyList<Dictionary<string, string>> ParseCsv(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { record.Add(field.ToString()); field.Clear(); }
            else if (c == '\n') { record.Add(field.ToString()); field.Clear(); records.Add(record); record = []; }
            else field.Append(c);
        }

        var header = records[0];
        return [.. records.Skip(1).Select(r =>
        {
            Assert.Equal(header.Count, r.Count);
            return header.Zip(r).ToDictionary(p => p.First, p => p.Second);
        })];
    }
}
