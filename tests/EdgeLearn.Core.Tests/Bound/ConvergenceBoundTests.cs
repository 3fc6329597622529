using EdgeLearn.Bound;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Bound;

public class ConvergenceBoundTests
{
    private static readonly Scenario Default = DefaultScenario.Create();

    [Fact]
    public void InitialGap_NoPretraining_IsTargetGap() =>
        Assert.Equal(2.3, ConvergenceBound.InitialGap(Default.Learning, 0, 1), 1e-15);

    [Fact]
    public void InitialGap_OneRound_HandComputed()
    {
        // r = 1 − 0.1 · 0.05 = 0.995; r Φ0 = 2.2885; (1 − r) L η0 σ0² / (2 μ B0) = 0.005 · 10 · 0.05 · 50 / (0.2 · 10) = 0.0625; 2Γ = 0.2.
        Assert.Equal(2.2885 + 0.0625 + 0.2, ConvergenceBound.InitialGap(Default.Learning, 1, 10), 1e-12);
    }

    [Fact]
    public void InitialGap_ManyRounds_ApproachesNoiseFloorPlusShift()
    {
        // r^M → 0: Delta → L η0 σ0² / (2 μ B0) + 2Γ = 125 / B0 + 0.2.
        Assert.Equal(125.0 / 500 + 0.2, ConvergenceBound.InitialGap(Default.Learning, 20_000, 500), 1e-9);
    }

    [Fact]
    public void InitialGap_MeasuredGapAndOptimumGap_ReplaceTwoGammaByGammaPlusGammaStar()
    {
        var measured = Default.Learning with { Shift = Default.Learning.Shift with { MeasuredGap = 0.3 } };
        var both = Default.Learning with { Shift = Default.Learning.Shift with { MeasuredGap = 0.3, OptimumGap = 0 } };

        // W1·G = 0.1 is only documentation once gap is given: 2Γ = 0.6; with Γ* = 0 the penalty is Γ = 0.3.
        Assert.Equal(125.0 / 500 + 0.6, ConvergenceBound.InitialGap(measured, 20_000, 500), 1e-9);
        Assert.Equal(125.0 / 500 + 0.3, ConvergenceBound.InitialGap(both, 20_000, 500), 1e-9);
        Assert.Equal(2.3, ConvergenceBound.InitialGap(both, 0, 500), 1e-15);
    }

    [Fact]
    public void Weights_ProportionalToDataSizes()
    {
        var scenario = Default with { Devices = [Default.Devices[0] with { DatasetSize = 100 }, Default.Devices[1] with { DatasetSize = 300 }] };

        Assert.Equal([0.25, 0.75], ConvergenceBound.Weights(scenario.Devices));
    }

    [Fact]
    public void Value_NoPretraining_HandComputed()
    {
        // 2 Φ / (η N) = 2 · 2.3 / (0.05 · 100) = 0.92; Ak = L η σ² ρk² = 10 · 0.05 · 50 · 0.01 = 0.25, / bk = 10 → 0.025 × 10 devices.
        var batches = Enumerable.Repeat(10.0, 10).ToArray();

        Assert.Equal(0.92 + 0.25, ConvergenceBound.Value(Default, 0, 100, 1, batches), 1e-12);
    }

    [Fact]
    public void Value_LargerBatchesOrMoreRounds_NeverIncrease()
    {
        var small = Enumerable.Repeat(10.0, 10).ToArray();
        var large = Enumerable.Repeat(20.0, 10).ToArray();

        Assert.True(ConvergenceBound.Value(Default, 50, 100, 64, large) < ConvergenceBound.Value(Default, 50, 100, 64, small));
        Assert.True(ConvergenceBound.Value(Default, 50, 200, 64, small) < ConvergenceBound.Value(Default, 50, 100, 64, small));
        Assert.True(ConvergenceBound.Value(Default, 50, 100, 128, small) < ConvergenceBound.Value(Default, 50, 100, 64, small));
    }

    [Fact]
    public void Value_WrongBatchCount_Throws() =>
        Assert.Throws<ArgumentException>(() => ConvergenceBound.Value(Default, 0, 10, 1, new double[3]));
}
