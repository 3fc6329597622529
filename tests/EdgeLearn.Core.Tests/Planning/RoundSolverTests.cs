using EdgeLearn.Bound;
using EdgeLearn.Costs;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Planning;

public class RoundSolverTests
{
    private static readonly Scenario Default = DefaultScenario.Create();

    [Theory]
    [InlineData(414, 328)] // energy slack, delay binds
    [InlineData(1000, 500)] // both budgets bind
    [InlineData(0, 900)]    // fine-tuning only, energy binds
    [InlineData(3, 100)]
    [InlineData(5000, 1)]
    public void SolveRelaxed_Default_IsCertifiedWithin1e6(int m, int n)
    {
        var relaxed = new RoundSolver(Default).SolveRelaxed(m, n);

        Assert.True(relaxed.Feasible);
        Assert.True(relaxed.LowerBound <= relaxed.Bound);
        Assert.True(relaxed.DualityGap <= 1e-6, $"duality gap {relaxed.DualityGap}");
    }

    /// <summary>The slowest device bottlenecks the deadline at its smallest batch: its time price is an
    /// interval, and the certificate must pick the price that balances the server's.</summary>
    [Theory]
    [InlineData(50, 400, 300)]
    [InlineData(1000, 400, 300)]
    [InlineData(1000, 100, 300)]
    public void SolveRelaxed_GeneratedScenarios_IsCertifiedWithin1e6(int devices, int m, int n)
    {
        var relaxed = new RoundSolver(ScenarioGenerator.Generate(devices, 1)).SolveRelaxed(m, n);

        Assert.True(relaxed.Feasible);
        Assert.True(relaxed.DualityGap <= 1e-6, $"duality gap {relaxed.DualityGap}");
    }

    [Theory]
    [InlineData(Scheme.Joint, 414, 328)]
    [InlineData(Scheme.Joint, 1000, 500)]
    [InlineData(Scheme.FinetuneOnly, 0, 538)]
    [InlineData(Scheme.Separate, 500, 240)]
    [InlineData(Scheme.FixedBatch, 100, 400)]
    [InlineData(Scheme.MaxResource, 300, 300)]
    public void Solve_IntegerPlan_IsFeasibleUnderTheIndependentCostModel(Scheme scheme, int m, int n)
    {
        var result = new RoundSolver(Default, scheme).Solve(m, n);

        Assert.Equal(RoundStatus.Solved, result.Status);
        var plan = result.Plan!;
        var check = PlanEvaluator.Evaluate(Default, plan);
        Assert.True(check.Feasible, string.Join("; ", check.Constraints.Where(c => !c.Satisfied).Select(c => $"{c.Name} slack {c.Slack}")));
        Assert.Equal(check.Bound, plan.Predicted.Bound, 1e-12);
        Assert.True(plan.Predicted.LowerBound <= plan.Predicted.Bound);
        Assert.True(plan.Predicted.Gap is >= 0 and < 0.05, $"gap {plan.Predicted.Gap}");
        if (scheme == Scheme.FixedBatch) Assert.All(plan.Devices, d => Assert.Equal(32, d.Batch));
        if (scheme == Scheme.MaxResource) Assert.All(plan.Devices, d => Assert.Equal(0.2, d.PowerW));
    }

    [Fact]
    public void Solve_TooManyRounds_IsInfeasibleNamingTheBudget()
    {
        var result = new RoundSolver(Default).Solve(0, 5000);

        Assert.Equal(RoundStatus.Infeasible, result.Status);
        Assert.Null(result.Plan);
        Assert.Equal("delay", result.Relaxed.BindingBudget);
    }

    /// <summary>
    /// A named problem with a known optimum: one device, no pre-training. The bound falls with the batch,
    /// so the optimum is the largest b for which the least energy of one round, over every split of the
    /// deadline τ = Tmax / N into compute and upload time, fits Emax / N. Found here by brute force.
    /// </summary>
    [Theory]
    [InlineData(100.0, 60.0, 100)]
    [InlineData(8.0, 60.0, 40)]
    [InlineData(5.0, 300.0, 50)]
    public void SolveRelaxed_OneDevice_MatchesBruteForceOptimum(double energyJ, double delayS, int n)
    {
        var device = Default.Devices[9];
        var scenario = Default with { Devices = [device], Budget = new BudgetSpec { EnergyJ = energyJ, DelayS = delayS } };
        double tau = delayS / n, perRound = energyJ / n;
        double S = scenario.Model.UploadBits, n0 = scenario.Channel.NoisePsdWPerHz;
        double tuMin = CostModel.UploadTimeS(S, CostModel.UplinkRateBps(device.MaxPowerW, device.BandwidthHz, device.ChannelGain, n0));
        double LeastEnergy(double b)
        {
            double best = double.PositiveInfinity;
            double tcMin = device.CyclesPerSample * b / device.MaxFrequencyHz;
            for (int i = 0; i <= 20_000; i++)
            {
                double tu = tuMin + (tau - tcMin - tuMin) * i / 20_000.0;
                double tc = tau - tu;
                if (tc < tcMin * (1 - 1e-12) || tu <= 0) continue;
                double f = device.CyclesPerSample * b / tc;
                double p = CostModel.PowerForUploadTime(tu, S, device.BandwidthHz, device.ChannelGain, n0);
                best = Math.Min(best, CostModel.DeviceRound(device, n0, S, b, f, p).EnergyJ);
            }
            return best;
        }
        double lo = 1, hi = Math.Min(device.MaxBatch, (tau - tuMin) * device.MaxFrequencyHz / device.CyclesPerSample);
        if (LeastEnergy(hi) <= perRound) lo = hi;
        else
            for (int i = 0; i < 60; i++) { double mid = 0.5 * (lo + hi); if (LeastEnergy(mid) <= perRound) lo = mid; else hi = mid; }
        double expected = ConvergenceBound.Value(scenario, 0, n, 1, [lo]);
        Assert.True(LeastEnergy(1) <= perRound, "the brute-force problem must be feasible");

        var relaxed = new RoundSolver(scenario).SolveRelaxed(0, n);

        Assert.Equal(expected, relaxed.Bound, 2e-6 * expected);
    }
}
