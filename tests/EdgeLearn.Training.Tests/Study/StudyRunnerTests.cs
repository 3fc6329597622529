using EdgeLearn.Training.Study;

namespace EdgeLearn.Training.Tests.Study;

public sealed class StudyRunnerTests(StudyFixture fixture) : IClassFixture<StudyFixture>
{
    [Fact]
    public void Run_EveryCellSchemeAndSeed_HasOneRow()
    {
        var cells = StudyFixture.Setup().Cells();

        // Centre, energy ×0.5, delay ×1e-4, rotate 30: the centre is shared by the three sweeps.
        Assert.Equal(4, cells.Count);
        Assert.Equal(["energy", "delay", "shift"], cells.Single(c => c.EnergyFactor == 1 && c.DelayFactor == 1 && c.Shift.RotationDegrees == 0).Sweeps);
        Assert.Equal(cells.Count, cells.Select(c => c.Key).Distinct().Count());
        Assert.Equal(8, fixture.Reference.Rows.Count());
        Assert.Equal(2, fixture.Reference.Calibrations.Count);
    }

    [Fact]
    public void Run_InfeasibleCell_IsRecordedWithItsReason()
    {
        var rows = fixture.Reference.Rows.Where(r => r.DelayFactor == StudyFixture.InfeasibleDelay).ToArray();

        Assert.Equal(2, rows.Length);
        Assert.All(rows, r =>
        {
            Assert.Equal(StudyStatus.Infeasible, r.Status);
            Assert.True(r.Infeasible);
            Assert.Contains("delay budget", r.Reason);
            Assert.Null(r.PredictedBound);
            Assert.False(r.Trained);
        });
    }

    [Fact]
    public void Run_FeasibleCells_AreTrainedWithFiniteMeasurements()
    {
        var rows = fixture.Reference.Rows.Where(r => r.DelayFactor == 1).ToArray();

        Assert.Equal(6, rows.Length);
        Assert.All(rows, r =>
        {
            Assert.Equal(StudyStatus.Planned, r.Status);
            Assert.True(r.Trained);
            Assert.InRange(r.TestAccuracy!.Value, 0, 1);
            Assert.True(double.IsFinite(r.AvgSqGradNorm!.Value));
            Assert.True(r.PredictedBound > 0);
            Assert.Equal(r.PredictedEnergyJ!.Value, r.EnergyJ!.Value, 1e-9 * r.PredictedEnergyJ.Value);
            Assert.True(r.PredictedEnergyJ <= r.BudgetEnergyJ * (1 + 1e-9));
        });
    }

    [Fact]
    public void Run_ShiftLevels_AreCalibratedOnTheirOwnData()
    {
        var calibrations = fixture.Reference.Calibrations;

        Assert.Equal([0.0, 30.0], calibrations.Select(c => c.RotateDeg));
        // Each level's shift gap is measured on its own data: rotating the task images changes it.
        var gaps = calibrations.Select(c => Scenarios.ScenarioJson.Parse(c.ScenarioJson).Scenario!.Learning.Shift.Gap).ToArray();
        Assert.NotEqual(gaps[0], gaps[1]);
    }

    [Fact]
    public void Run_AfterAnInterruption_ResumesToTheSameRows()
    {
        string folder = Path.Combine(fixture.Folder, "interrupted");
        using var cancel = new CancellationTokenSource();
        var progress = new Stop(cancel, after: 1);

        Assert.ThrowsAny<OperationCanceledException>(() => new StudyRunner(StudyFixture.Setup(), folder).Run(progress, cancel.Token));
        int kept = Directory.GetFiles(Path.Combine(folder, "cells")).Length;
        var resumed = new StudyRunner(StudyFixture.Setup(), folder).Run();

        Assert.InRange(kept, 1, 3);
        Assert.Equal(4 - kept, resumed.Computed);
        Assert.Equal(StudyRow.Csv(fixture.Reference.Rows), StudyRow.Csv(resumed.Rows));
    }

    [Fact]
    public void Run_InParallel_GivesTheSameRows()
    {
        var parallel = new StudyRunner(StudyFixture.Setup(parallel: 3), Path.Combine(fixture.Folder, "parallel")).Run();

        Assert.Equal(4, parallel.Computed);
        Assert.Equal(StudyRow.Csv(fixture.Reference.Rows), StudyRow.Csv(parallel.Rows));
    }

    [Fact]
    public void Run_ChangedOptions_ComputeAgainInsteadOfReusing()
    {
        string folder = Path.Combine(fixture.Folder, "changed");
        var first = StudyFixture.Setup() with { Grid = StudyFixture.Setup().Grid with { Train = false } };
        new StudyRunner(first, folder).Run();

        var trained = new StudyRunner(StudyFixture.Setup(), folder).Run();

        Assert.Equal(4, trained.Computed); // planned-only cells are not reused for a study that trains
        Assert.Equal(StudyRow.Csv(fixture.Reference.Rows), StudyRow.Csv(trained.Rows));
    }

    [Fact]
    public void Write_Folder_HoldsEveryFileWithTheDocumentedColumns()
    {
        string folder = Path.Combine(fixture.Folder, "report");
        Directory.CreateDirectory(folder);

        var figures = StudyReport.Write(folder, fixture.Reference, null, "test", null);

        foreach (string file in StudyReport.Files)
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        }

        Assert.Equal(["bound-energy", "accuracy-energy", "bound-delay", "accuracy-delay", "bound-shift", "rounds-shift", "accuracy-shift"], figures.Select(f => f.Name));
        foreach (var figure in figures)
        {
            byte[] png = File.ReadAllBytes(Path.Combine(folder, figure.Name + ".png"));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(folder, figure.Name + ".svg")));
        }

        string[] csv = File.ReadAllLines(Path.Combine(folder, "cells.csv"));
        Assert.Equal(string.Join(',', StudyRow.Columns), csv[0]);
        Assert.Equal(9, csv.Length);
        Assert.DoesNotContain("NaN", File.ReadAllText(Path.Combine(folder, "cells.csv")));
        string html = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.Contains("data:image/png;base64,", html);
        Assert.DoesNotContain("src=\"http", html);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "cells.json")));
        Assert.Equal(8, json.RootElement.GetProperty("rows").GetArrayLength());
        Assert.Equal("tiny", json.RootElement.GetProperty("study").GetProperty("scenario").GetString());
    }

    private sealed class Stop(CancellationTokenSource cancel, int after) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value)
        {
            if (value.Done >= after)
            {
                cancel.Cancel();
            }
        }
    }
}
