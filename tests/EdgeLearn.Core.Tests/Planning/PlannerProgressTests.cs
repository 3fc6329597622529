using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Planning;

/// <summary>Long plans report where they stand after every relaxation and stop cleanly when asked.</summary>
public class PlannerProgressTests
{
    /// <summary>Collects reports on the planning thread (Progress&lt;T&gt; would post them elsewhere).</summary>
    private sealed class Recorder(Action<PlanningProgress>? onReport = null) : IProgress<PlanningProgress>
    {
        public List<PlanningProgress> Reports { get; } = [];

        public void Report(PlanningProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    [Fact]
    public void Plan_ReportsEveryRelaxation_WithTheBestBoundSoFar()
    {
        var recorder = new Recorder();

        var result = Planner.Plan(DefaultScenario.Create(), Scheme.Joint, null, recorder, CancellationToken.None);

        Assert.True(result.HasPlan);
        Assert.Equal(result.Search.PairsEvaluated, recorder.Reports.Count);
        Assert.Equal(Enumerable.Range(1, recorder.Reports.Count), recorder.Reports.Select(r => r.RelaxationsSolved));
        Assert.All(recorder.Reports, r => Assert.Equal(Scheme.Joint, r.Scheme));
        for (int i = 1; i < recorder.Reports.Count; i++)
            Assert.True(recorder.Reports[i].BestBound <= recorder.Reports[i - 1].BestBound);
        // The best relaxed bound seen is the search's own (every relaxation it solved was reported).
        Assert.Equal(result.Search.RelaxedBound, recorder.Reports[^1].BestBound);
    }

    [Fact]
    public void Plan_SameResultWithAndWithoutProgress()
    {
        var scenario = ScenarioGenerator.Generate(20, seed: 3);

        var quiet = Planner.Plan(scenario);
        var reported = Planner.Plan(scenario, Scheme.Joint, null, new Recorder(), CancellationToken.None);

        Assert.Equal(PlanJson.Serialize(quiet), PlanJson.Serialize(reported));
    }

    [Fact]
    public void Plan_CancelledAfterTenRelaxations_StopsBeforeTheNextSaysWhere()
    {
        using var source = new CancellationTokenSource();
        var recorder = new Recorder(r => { if (r.RelaxationsSolved == 10) source.Cancel(); });

        var e = Assert.Throws<OperationCanceledException>(() => Planner.Plan(DefaultScenario.Create(), Scheme.Joint, null, recorder, source.Token));

        Assert.Equal("at relaxation 11 of the joint search", e.Message);
        Assert.Equal(10, recorder.Reports.Count);
    }

    [Fact]
    public void Compare_AlreadyCancelled_SolvesNothing()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();
        var recorder = new Recorder();

        Assert.ThrowsAny<OperationCanceledException>(() => Planner.Compare(DefaultScenario.Create(), null, recorder, source.Token));
        Assert.Empty(recorder.Reports);
    }
}
