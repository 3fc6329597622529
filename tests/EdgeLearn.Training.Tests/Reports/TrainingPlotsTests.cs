using EdgeLearn.Training.Reports;

namespace EdgeLearn.Training.Tests.Reports;

public sealed class TrainingPlotsTests
{
    private static readonly Lazy<TrainingResult> Result = new(() =>
    {
        var scenario = Fixtures.Scenario();
        return TwoStageTrainer.Run(scenario, Fixtures.Plan(scenario, 4, 6), Fixtures.Data(scenario), Fixtures.Options());
    });

    [Fact]
    public void RunTitle_NamesSchemeDatasetShiftAndSplitAndFits()
    {
        var summary = Result.Value.Summary with { Scheme = "finetune-only", Dataset = "fashion", RotateDeg = 30, Split = "dirichlet:0.5" };

        string title = TrainingPlots.RunTitle(summary);

        Assert.Equal("finetune-only on fashion, rotate 30°, dirichlet:0.5, M = 4, N = 6", title.Length <= TrainingPlots.MaxTitleLength ? title : "too long: " + title);
    }

    [Fact]
    public void RunTitle_NoShiftAndALongDatasetName_SaysNoShiftAndCutsTheName()
    {
        var summary = Result.Value.Summary with { Scheme = "joint", Dataset = "idx:/home/someone/datasets/my-own-digits/train", Split = "iid" };

        string title = TrainingPlots.RunTitle(summary);

        Assert.StartsWith("joint on idx:/home/", title, StringComparison.Ordinal);
        Assert.Contains("…, no shift, iid, M = 4, N = 6", title, StringComparison.Ordinal);
        Assert.True(title.Length <= TrainingPlots.MaxTitleLength, title);
    }

    [Fact]
    public void LogTicks_UnderTwoDecades_FourOrMoreLabelsAt125()
    {
        var ticks = TrainingPlots.LogTicks(0.008, 0.09);

        string[] labels = ticks.Where(t => t.Label is not null).Select(t => t.Label!).ToArray();
        Assert.Equal(["0.005", "0.01", "0.02", "0.05", "0.1"], labels);
        Assert.Contains(ticks, t => t.Label is null && Math.Abs(t.Value - 0.03) < 1e-12); // minor ticks between
        Assert.True(ticks[0].Value <= 0.008 && ticks[^1].Value >= 0.09);
    }

    [Fact]
    public void LogTicks_ManyDecades_DecadesLabelledOnly()
    {
        var ticks = TrainingPlots.LogTicks(3e-5, 2);

        Assert.Equal(["1E-05", "0.0001", "0.001", "0.01", "0.1", "1", "10"], ticks.Where(t => t.Label is not null).Select(t => t.Label!));
    }

    [Fact]
    public void SchemeStyles_SixSchemes_ColoursMarkersAndStylesPairwiseDistinct()
    {
        var styles = TrainingPlots.SchemeStyles(6);

        Assert.Equal(6, styles.Count);
        Assert.Equal(6, styles.Select(s => s.Color).Distinct().Count());
        Assert.Equal(6, styles.Select(s => s.Marker).Distinct().Count());
        Assert.Equal(6, styles.Distinct().Count());
    }

    [Fact]
    public void Figures_RenderAsPng()
    {
        byte[] run = TrainingPlots.RunFigure(Result.Value);
        byte[] compare = TrainingPlots.AccuracyVersusEnergy([Result.Value, Result.Value with { Summary = Result.Value.Summary with { Scheme = "max-resource" } }]);

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, run[..4]);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, compare[..4]);
    }
}
