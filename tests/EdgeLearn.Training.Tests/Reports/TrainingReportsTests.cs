using EdgeLearn.Training.Reports;

namespace EdgeLearn.Training.Tests.Reports;

public sealed class TrainingReportsTests
{
    private static readonly Lazy<TrainingResult> Result = new(() =>
    {
        var scenario = Fixtures.Scenario();
        return TwoStageTrainer.Run(scenario, Fixtures.Plan(scenario, 4, 6), Fixtures.Data(scenario), Fixtures.Options());
    });

    [Fact]
    public void Rounds_OneRun_HeaderAndOneLinePerRound()
    {
        string[] lines = TrainingCsv.Rounds(Result.Value.Rounds).TrimEnd('\n').Split('\n');

        Assert.Equal(TrainingCsv.RoundsHeader, lines[0]);
        Assert.Equal(1 + 4 + 6, lines.Length - 1);
        Assert.StartsWith("0,initial,0,,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("5,finetune,1,", lines[6], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.Equal(12, l.Count(c => c == ',')));
    }

    [Fact]
    public void Summaries_TwoRuns_SchemeFirst()
    {
        var summary = Result.Value.Summary;

        string[] lines = TrainingCsv.Summaries([summary, summary with { Scheme = "separate" }]).TrimEnd('\n').Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.StartsWith("joint,synthetic,1,4,6,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("separate,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void RunFigure_SmallRun_IsAPng()
    {
        byte[] png = TrainingPlots.RunFigure(Result.Value, 600, 400);

        Assert.True(png.Length > 1000);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    [Fact]
    public void AccuracyVersusEnergy_TwoRuns_IsAPng()
    {
        var other = Result.Value with { Summary = Result.Value.Summary with { Scheme = "separate" } };

        byte[] png = TrainingPlots.AccuracyVersusEnergy([Result.Value, other], 500, 300);

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }
}
