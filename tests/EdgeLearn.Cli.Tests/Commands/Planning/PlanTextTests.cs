using EdgeLearn.Cli.Commands.Planning.Internal;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Cli.Tests.Commands.Planning;

/// <summary>What the commands say about results without a plan or with a search that hit a cap.</summary>
public class PlanTextTests
{
    private static readonly PlanResult Planned = Planner.Plan(DefaultScenario.Create());

    [Fact]
    public void NotConvergedWarning_ConvergedPlan_IsNull() => Assert.Null(PlanText.NotConvergedWarning(Planned));

    [Fact]
    public void NotConvergedWarning_CappedSearch_NamesTheSchemeAndTheCount()
    {
        var capped = Planned with { Status = PlanStatus.NotConverged, Search = Planned.Search with { NotConvergedSolves = 7 } };

        string? warning = PlanText.NotConvergedWarning(capped);

        Assert.NotNull(warning);
        Assert.StartsWith("warning: joint: 7 fixed-(M, N) solves stopped at an iteration cap;", warning, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', warning);
    }

    [Fact]
    public void NoPlan_Infeasible_GivesTheReasonAndExitCode3()
    {
        var tight = DefaultScenario.Create() with { Budget = new BudgetSpec { EnergyJ = 300, DelayS = 1e-3 } };
        var result = Planner.Plan(tight);

        var (why, exitCode) = PlanText.NoPlan(result);

        Assert.Equal(PlanStatus.Infeasible, result.Status);
        Assert.Equal(ExitCodes.Infeasible, exitCode);
        Assert.Equal(result.Infeasibility!.Message, why);
    }

    [Fact]
    public void NoPlan_NotConvergedWithoutAPlan_IsASolverFailureWithExitCode1()
    {
        var failed = new PlanResult(Scheme.Joint, PlanStatus.NotConverged, null, null, Planned.Search with { NotConvergedSolves = 3 }, null);

        var (why, exitCode) = PlanText.NoPlan(failed);

        Assert.Equal(ExitCodes.InternalError, exitCode);
        Assert.Contains("iteration caps (3 solves)", why, StringComparison.Ordinal);
        Assert.Contains("not a proof that no plan fits", why, StringComparison.Ordinal);
    }
}
