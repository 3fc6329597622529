using System.Diagnostics;
using EdgeLearn.Cli.Commands.Planning.Internal;
using EdgeLearn.Planning;

namespace EdgeLearn.Cli.Tests.Commands.Planning;

/// <summary>The status line a long plan shows on stderr.</summary>
public class PlanningDisplayTests
{
    [Fact]
    public void Describe_NamesTheSchemeTheRelaxationsAndTheBestBound()
    {
        string line = PlanningDisplay.Describe(new PlanningProgress(Scheme.MaxResource, 152, 40, 0.0947631234), Stopwatch.GetTimestamp());

        Assert.Equal("Planning max-resource: 152 relaxations solved, best bound 0.0947631 (0 s)", line);
    }

    [Fact]
    public void Describe_BeforeAnyFeasiblePairOrReport_SaysSoWithoutInfinity()
    {
        string none = PlanningDisplay.Describe(new PlanningProgress(Scheme.Joint, 3, 10, double.PositiveInfinity), Stopwatch.GetTimestamp());
        string nothing = PlanningDisplay.Describe(null, Stopwatch.GetTimestamp());

        Assert.Equal("Planning joint: 3 relaxations solved, best bound none yet (0 s)", none);
        Assert.Equal("Planning (0 s)", nothing);
    }
}
