using EdgeLearn.Explore.Levers;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Explore.Tests.Levers;

public sealed class WhatIfTests
{
    private static readonly ExploreSpace Default = ExploreSpace.For(DefaultScenario.Create());

    [Fact]
    public void Apply_TheScenariosOwnLevers_IsTheScenarioItself()
    {
        Assert.Same(Default.Scenario, WhatIf.Apply(Default, Default.Defaults));
        var d = Default.Defaults;
        Assert.Equal((300.0, 300.0, 1.0, 10, 1e6, 1e10), (d.EnergyJ, d.DelayS, d.Shift, d.Devices, d.BandwidthHz, d.ServerFrequencyHz));
        Assert.Equal(ShiftLever.Wasserstein, Default.ShiftLever);
    }

    [Fact]
    public void Apply_EachLever_SetsItsScenarioField()
    {
        var scenario = WhatIf.Apply(Default, Default.Defaults with
        {
            EnergyJ = 120, DelayS = 45, Shift = 7, Devices = 25, BandwidthHz = 2e6, ServerFrequencyHz = 3e9,
        });

        Assert.Equal(new BudgetSpec { EnergyJ = 120, DelayS = 45 }, scenario.Budget);
        Assert.Equal(7, scenario.Learning.Shift.Wasserstein);
        Assert.Equal(0.7, scenario.Learning.Shift.Gap, 12); // Γ = G W1 with G = 0.1
        Assert.Equal(25, scenario.Devices.Count);
        Assert.All(scenario.Devices, d => Assert.Equal(2e6, d.BandwidthHz));
        Assert.Equal(3e9, scenario.Server.MaxFrequencyHz);
        Assert.Empty(ScenarioValidator.Validate(scenario));
        // Everything else is the base scenario's.
        Assert.Equal(Default.Scenario.Learning with { Shift = scenario.Learning.Shift }, scenario.Learning);
        Assert.Equal(Default.Scenario.Server with { MaxFrequencyHz = 3e9 }, scenario.Server);
    }

    [Fact]
    public void Fleet_MoreDevicesThanTheScenario_RepeatsThemInOrderWithUniqueIds()
    {
        var devices = Default.Scenario.Devices;

        var fleet = WhatIf.Fleet(devices, 23);

        Assert.Equal(23, fleet.Count);
        Assert.Equal(23, fleet.Select(d => d.Id).Distinct().Count());
        Assert.Equal("dev-0", fleet[0].Id);
        Assert.Equal("dev-3+1", fleet[13].Id);
        Assert.Equal("dev-2+2", fleet[22].Id);
        Assert.Equal(devices[3] with { Id = "dev-3+1" }, fleet[13]);
        Assert.Equal(devices.Take(4), WhatIf.Fleet(devices, 4));
    }

    [Fact]
    public void Apply_BandwidthOfAMixedFleet_ScalesEveryDeviceByTheSameFactor()
    {
        var mixed = ScenarioGenerator.Generate(6, seed: 4);
        mixed = mixed with { Devices = [.. mixed.Devices.Select((d, k) => d with { BandwidthHz = 1e6 * (k + 1) })] };
        var space = ExploreSpace.For(mixed);
        Assert.Equal(3.5e6, space.Defaults.BandwidthHz);

        var scenario = WhatIf.Apply(space, space.Defaults with { BandwidthHz = 7e6 });

        Assert.Equal([2e6, 4e6, 6e6, 8e6, 10e6, 12e6], scenario.Devices.Select(d => d.BandwidthHz));
    }

    [Fact]
    public void Apply_FewerDevicesOfAMixedFleet_KeepTheBandwidthLeverAsTheirMean()
    {
        var mixed = ScenarioGenerator.Generate(6, seed: 4);
        mixed = mixed with { Devices = [.. mixed.Devices.Select((d, k) => d with { BandwidthHz = 1e6 * (k + 1) })] };
        var space = ExploreSpace.For(mixed);

        var three = WhatIf.Apply(space, space.Defaults with { Devices = 3 }); // 1, 2, 3 MHz: mean 2 MHz, lever 3.5 MHz

        Assert.Equal(space.Defaults.BandwidthHz, ExploreSpace.MeanBandwidthHz(three.Devices), 6);
        Assert.Equal([1.75e6, 3.5e6, 5.25e6], three.Devices.Select(d => d.BandwidthHz));
    }

    [Fact]
    public void For_ANegativeOptimumGap_StartsTheShiftWhereTheTransferPenaltyIsZero()
    {
        var scenario = Default.Scenario with
        {
            Learning = Default.Scenario.Learning with { Shift = new ShiftSpec { Wasserstein = 2, DataLipschitz = 0.5, MeasuredGap = 1, OptimumGap = -0.4 } },
        };
        var space = ExploreSpace.For(scenario);

        Assert.Equal(0.8, space.Shift.Min, 12); // Γ = G W1 ≥ −Γ* = 0.4
        Assert.Empty(ScenarioValidator.Validate(WhatIf.Apply(space, space.Defaults with { Shift = space.Shift.Min })));
        Assert.NotEmpty(ScenarioValidator.Validate(WhatIf.Apply(space, space.Defaults with { Shift = 0.7 })));
    }

    [Fact]
    public void For_ACalibratedScenarioWithoutG_MovesTheGapItself()
    {
        var calibrated = Default.Scenario with
        {
            Learning = Default.Scenario.Learning with { Shift = new ShiftSpec { Wasserstein = 0, DataLipschitz = 0, MeasuredGap = 0.0127, OptimumGap = 0 } },
        };
        var space = ExploreSpace.For(calibrated);
        Assert.Equal(ShiftLever.Gap, space.ShiftLever);
        Assert.Equal(0.0127, space.Defaults.Shift);
        Assert.Equal(calibrated.Learning.TargetInitialGap, space.Shift.Max); // past Γ = Φ / 2, where pre-training cannot help

        var shifted = WhatIf.Apply(space, space.Defaults with { Shift = 1.5 });

        Assert.Equal(1.5, shifted.Learning.Shift.Gap);
        Assert.Equal(0, shifted.Learning.Shift.OptimumGap);
    }

    [Fact]
    public void For_AScenarioWithMeasuredGapAndG_MovesGammaWithW1()
    {
        var calibrated = Default.Scenario with
        {
            Learning = Default.Scenario.Learning with { Shift = new ShiftSpec { Wasserstein = 2, DataLipschitz = 0.5, MeasuredGap = 1 } },
        };
        var space = ExploreSpace.For(calibrated);

        var shifted = WhatIf.Apply(space, space.Defaults with { Shift = 3 });

        Assert.Equal(ShiftLever.Wasserstein, space.ShiftLever);
        Assert.Equal(1.5, shifted.Learning.Shift.Gap, 12);
    }

    [Fact]
    public void For_TheBudgetSliders_ReachBelowTheSmallestWorkableBudgets()
    {
        var smallest = Planner.Plan(Default.Scenario with { Budget = new BudgetSpec { EnergyJ = 1e-12, DelayS = 300 } }).Infeasibility!;

        Assert.True(Default.EnergyJ.Min < smallest.MinimumEnergyJ, $"{Default.EnergyJ.Min} vs {smallest.MinimumEnergyJ}");
        Assert.True(Default.DelayS.Min < smallest.MinimumDelayS, $"{Default.DelayS.Min} vs {smallest.MinimumDelayS}");
        Assert.Equal(30_000, Default.EnergyJ.Max);
        Assert.True(Planner.Plan(WhatIf.Apply(Default, Default.Defaults with { EnergyJ = Default.EnergyJ.Min })).IsInfeasible);
    }

    [Fact]
    public void Spaced_ALogRange_HasEqualRatiosAndBothEnds()
    {
        var values = new LeverRange(3, 30_000, Logarithmic: true).Spaced(5);

        Assert.Equal(3, values[0]);
        Assert.Equal(30_000, values[^1]);
        for (int i = 1; i < values.Count; i++)
        {
            Assert.Equal(10, values[i] / values[i - 1], 9);
        }
    }
}
