using EdgeLearn.Training.Study;

namespace EdgeLearn.Training.Tests.Study;

public sealed class StudyAnalysisTests
{
    private static StudyRow Row(string sweeps, string scheme, int seed, double? bound, double e = 1, double d = 1, double rotate = 0, int? m = null, int? n = null) => new()
    {
        Cell = $"e{e}-d{d}-r{rotate}",
        Sweeps = sweeps,
        EnergyFactor = e,
        DelayFactor = d,
        RotateDeg = rotate,
        InvertFraction = 0,
        NoiseStd = 0,
        Devices = 10,
        BudgetEnergyJ = 300 * e,
        BudgetDelayS = 300 * d,
        Seed = seed,
        Scheme = scheme,
        Status = bound is null ? StudyStatus.Infeasible : StudyStatus.Planned,
        PredictedBound = bound,
        PretrainRounds = bound is null ? null : m ?? 10,
        FinetuneRounds = bound is null ? null : n ?? 10,
    };

    [Fact]
    public void Series_AveragesOverSeedsAndKeepsTheRange()
    {
        var analysis = new StudyAnalysis([Row("energy", "joint", 1, 0.2, e: 0.5), Row("energy", "joint", 2, 0.4, e: 0.5), Row("energy", "joint", 1, 0.1)], null);

        var series = analysis.Series("energy", "joint", StudyQuantity.Bound);

        Assert.Equal(2, series.Count);
        Assert.Equal(0.5, series[0].Level);
        Assert.Equal(0.3, series[0].Mean, 1e-15);
        Assert.Equal((0.2, 0.4), (series[0].Min, series[0].Max));
        Assert.True(series[0].Complete);
        Assert.Equal(1, series[1].Count);
    }

    [Fact]
    public void Frontier_InterpolatesLogLinearlyBetweenGridBudgets()
    {
        // joint: bound 0.4 at ×1 energy, 0.1 at ×4; target 0.2 is the geometric middle, so ×2.
        StudyRow[] rows =
        [
            Row("grid", "joint", 1, 0.4, e: 1, d: 2), Row("grid", "joint", 1, 0.1, e: 4, d: 2),
            Row("grid", "separate", 1, 0.8, e: 1, d: 2), Row("grid", "separate", 1, 0.3, e: 4, d: 2),
            Row("grid", "joint", 1, 0.15, e: 1, d: 4), Row("grid", "joint", 1, 0.05, e: 4, d: 4),
        ];
        var analysis = new StudyAnalysis(rows, null);

        var frontier = analysis.Frontier(0.2);

        var joint2 = frontier.Single(p => p.Scheme == "joint" && p.DelayFactor == 2);
        Assert.Equal(2, joint2.EnergyFactor!.Value, 1e-12);
        Assert.False(joint2.AtGridEdge);
        Assert.Null(frontier.Single(p => p.Scheme == "separate" && p.DelayFactor == 2).EnergyFactor);
        var joint4 = frontier.Single(p => p.Scheme == "joint" && p.DelayFactor == 4);
        Assert.Equal(1, joint4.EnergyFactor);
        Assert.True(joint4.AtGridEdge);
    }

    [Fact]
    public void Frontier_TargetIsJointsBoundAtTheCentre()
    {
        var analysis = new StudyAnalysis([Row("grid", "joint", 1, 0.3), Row("grid", "joint", 2, 0.5), Row("grid", "joint", 1, 0.1, e: 2)], null);

        Assert.Equal(0.4, analysis.Target()!.Bound, 1e-15);
        Assert.Equal("joint's bound at the scenario's budgets", analysis.Target()!.Meaning);
    }

    [Theory]
    [InlineData(new[] { 100, 50, 0, 0 }, 45.0)]
    [InlineData(new[] { 100, 0, 5, 0 }, 60.0)] // M = 0 at 15° but not at 30°: off only from the last run of zeros
    [InlineData(new[] { 100, 50, 20, 5 }, null)]
    public void SwitchOff_IsTheFirstLevelFromWhichJointNeverPretrains(int[] m, double? expected)
    {
        double[] levels = [0, 15, 45, 60];
        if (m[1] == 0)
        {
            levels = [0, 15, 30, 60];
        }

        var rows = levels.Select((level, i) => Row("shift", "joint", 1, 0.1, rotate: level, m: m[i])).ToArray();

        Assert.Equal(expected, new StudyAnalysis(rows, ShiftKind.Rotate).SwitchOff());
    }

    [Fact]
    public void Readings_OfAnAllInfeasibleSweep_SayNoPlanInsteadOfFailing()
    {
        var analysis = new StudyAnalysis([Row("energy", "joint", 1, null, e: 0.5), Row("energy", "joint", 1, null), Row("energy", "separate", 1, null)], null);

        var reading = Assert.Single(analysis.Readings());

        Assert.Contains("Without a result: joint at ×0.5, ×1 (infeasible), separate at ×1 (infeasible).", reading.Text);
        Assert.DoesNotContain("lowest", reading.Text);
    }

    [Fact]
    public void Readings_TiedBounds_AreCalledTiesNotZeroPercent()
    {
        var analysis = new StudyAnalysis(
            [Row("energy", "joint", 1, 0.1847), Row("energy", "max-resource", 1, 0.1847), Row("energy", "separate", 1, 0.2),
             Row("energy", "joint", 1, 0.3, e: 0.5), Row("energy", "max-resource", 1, 0.3, e: 0.5), Row("energy", "separate", 1, 0.3, e: 0.5)], null);

        string text = analysis.Readings()[0].Text;

        Assert.Contains("ties with the best baseline's (max-resource) and is 7.7 % below the next (separate, 0.2).", text);
        Assert.Contains("at 2 of the 2 levels", text);
    }

    [Fact]
    public void Readings_OneLevelSweep_HasNoFigureOrReading()
    {
        var analysis = new StudyAnalysis([Row("energy;delay", "joint", 1, 0.1), Row("energy", "joint", 1, 0.2, e: 0.5)], null);

        Assert.Equal(["energy"], analysis.Drawn);
        Assert.Equal(["bound-energy"], analysis.Readings().Select(r => r.Figure));
    }

    [Fact]
    public void Readings_UncalibratedShift_SayThePlansCannotFollowTheShift()
    {
        StudyRow[] rows = [Row("shift", "joint", 1, 0.1, rotate: 0, m: 50), Row("shift", "joint", 1, 0.1, rotate: 90, m: 50)];

        string text = new StudyAnalysis(rows, ShiftKind.Rotate, calibrated: false).Readings().Single(r => r.Figure == "rounds-shift").Text;

        Assert.Contains("cannot change with the shift", text);
        Assert.DoesNotContain("switch-off", text);
    }
}
