using EdgeLearn.Costs;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using EdgeLearn.Training.Accounting;
using EdgeLearn.Training.Internal;

namespace EdgeLearn.Training.Tests.Accounting;

public sealed class RoundAccountantTests
{
    [Fact]
    public void Total_DefaultJointPlanStaticChannel_EqualsPlanEvaluatorBitForBit()
    {
        var scenario = DefaultScenario.Create();
        var plan = Planner.Plan(scenario).Plan!;
        var accountant = new RoundAccountant(scenario, plan, ChannelFading.None, seed: 1);

        for (int m = 0; m < plan.PretrainRounds; m++)
        {
            accountant.AccountPretrainRound();
        }

        for (int n = 0; n < plan.FinetuneRounds; n++)
        {
            Assert.Equal(0, accountant.AccountFinetuneRound().DeadlineMisses);
        }

        var evaluation = PlanEvaluator.Evaluate(scenario, plan);
        Assert.Equal(evaluation.DelayS, accountant.Total.DelayS);
        Assert.Equal(evaluation.EnergyJ, accountant.Total.EnergyJ);
        Assert.Equal(evaluation.PretrainRound, accountant.PretrainRound);
        Assert.Equal(evaluation.FinetuneRound, accountant.StaticFinetuneRound);
    }

    [Fact]
    public void AccountFinetuneRound_Rayleigh_UsesTheCostModelAtTheDrawnGain()
    {
        var scenario = DefaultScenario.Create();
        var plan = Planner.Plan(scenario).Plan!;
        var accountant = new RoundAccountant(scenario, plan, ChannelFading.Rayleigh, seed: 5);
        var replay = new Random(Seeds.Derive(5, 1)); // round 1's draws depend on (seed, round) alone

        var round = accountant.AccountFinetuneRound();

        double slowest = 0, energy = 0;
        int misses = 0;
        for (int k = 0; k < scenario.Devices.Count; k++)
        {
            var device = scenario.Devices[k] with { ChannelGain = RoundAccountant.RayleighGain(scenario.Devices[k].ChannelGain, replay) };
            var a = plan.Devices[k];
            var cost = CostModel.DeviceRound(device, scenario.Channel.NoisePsdWPerHz, scenario.Model.UploadBits, a.Batch, a.FrequencyHz, a.PowerW);
            Assert.Equal(cost, round.Devices[k]);
            slowest = Math.Max(slowest, cost.DelayS);
            energy += cost.EnergyJ;
            misses += cost.DelayS > accountant.RoundDeadlineS ? 1 : 0;
        }

        Assert.Equal(new RoundCost(slowest, energy), round.Round);
        Assert.Equal(misses, round.DeadlineMisses);
        Assert.Equal(round.Round, accountant.Total);
    }

    [Theory]
    [InlineData(ChannelFading.None)]
    [InlineData(ChannelFading.Rayleigh)]
    public void Restore_FromAStateMidRun_EndsWithTheUninterruptedTotalsAndRounds(ChannelFading fading)
    {
        var scenario = DefaultScenario.Create();
        var plan = Planner.Plan(scenario).Plan!;
        var whole = new RoundAccountant(scenario, plan, fading, seed: 9);
        var first = new RoundAccountant(scenario, plan, fading, seed: 9);
        var wholeRounds = new List<RoundCost>();
        for (int r = 0; r < 3; r++)
        {
            whole.AccountPretrainRound();
            first.AccountPretrainRound();
        }

        for (int r = 0; r < 7; r++)
        {
            wholeRounds.Add(whole.AccountFinetuneRound().Round);
            if (r < 4)
            {
                first.AccountFinetuneRound();
            }
        }

        var resumed = new RoundAccountant(scenario, plan, fading, seed: 9);
        resumed.Restore(first.State);
        var resumedRounds = Enumerable.Range(0, 3).Select(_ => resumed.AccountFinetuneRound().Round).ToList();

        Assert.Equal(wholeRounds.Skip(4), resumedRounds);
        Assert.Equal(whole.Total, resumed.Total);
        Assert.Equal(whole.State, resumed.State);
    }

    [Fact]
    public void AccountFinetuneRound_RayleighManyRounds_MissesSomeDeadlinesAndAveragesNearStatic()
    {
        var scenario = DefaultScenario.Create();
        var plan = Planner.Plan(scenario).Plan!;
        var accountant = new RoundAccountant(scenario, plan, ChannelFading.Rayleigh, seed: 2);

        int misses = 0;
        for (int n = 0; n < 2000; n++)
        {
            misses += accountant.AccountFinetuneRound().DeadlineMisses;
        }

        // Deep fades make some devices late in almost every round; by Jensen the mean upload time at a random gain
        // exceeds the static one, so the faded totals are above the plan's.
        Assert.InRange(misses, 1, 2000 * scenario.Devices.Count);
        Assert.True(accountant.Total.DelayS > 2000 * accountant.StaticFinetuneRound.DelayS);
    }

    [Fact]
    public void RayleighGain_ManyDraws_MeanIsTheScenarioGain()
    {
        var random = new Random(11);
        const double mean = 3e-9;

        double sum = 0;
        for (int i = 0; i < 200_000; i++)
        {
            double g = RoundAccountant.RayleighGain(mean, random);
            Assert.True(g >= 0);
            sum += g;
        }

        Assert.Equal(1.0, sum / 200_000 / mean, 2); // standard error 0.22 %
    }
}
