using EdgeLearn.Costs;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Costs;

public class CostModelTests
{
    // Hand values: p = 0.2 W, W = 1 MHz, h = 1e-10, N0 = 4e-21 W/Hz → SNR = 5000, r = 1e6 log2(5001) b/s.
    private const double Rate = 12_288_000.889707573;
    private const double Bits = 3_256_640;

    [Fact]
    public void UplinkRateBps_HandComputedSnr5000_MatchesShannon()
    {
        double r = CostModel.UplinkRateBps(0.2, 1e6, 1e-10, 4e-21);

        Assert.Equal(Rate, r, 1e-9 * Rate);
    }

    [Fact]
    public void UplinkRateBps_ZeroPower_IsZero() => Assert.Equal(0.0, CostModel.UplinkRateBps(0, 1e6, 1e-10, 4e-21));

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.265)]
    [InlineData(3.0)]
    public void PowerForUploadTime_InvertsTheRate(double seconds)
    {
        double p = CostModel.PowerForUploadTime(seconds, Bits, 1e6, 1e-10, 4e-21);

        double back = CostModel.UploadTimeS(Bits, CostModel.UplinkRateBps(p, 1e6, 1e-10, 4e-21));

        Assert.Equal(seconds, back, 1e-12 * seconds);
    }

    [Fact]
    public void DeviceRound_HandComputed_SplitsTimeAndEnergy()
    {
        var device = new DeviceSpec
        {
            Id = "d", MaxFrequencyHz = 1e9, Kappa = 1e-28, CyclesPerSample = 1e7, MaxPowerW = 0.2,
            BandwidthHz = 1e6, ChannelGain = 1e-10, DatasetSize = 600, MaxBatch = 600,
        };

        var cost = CostModel.DeviceRound(device, 4e-21, Bits, batch: 10, frequencyHz: 1e9, powerW: 0.2);

        Assert.Equal(0.1, cost.ComputeTimeS, 1e-15);                  // c b / f = 1e7 · 10 / 1e9
        Assert.Equal(0.01, cost.ComputeEnergyJ, 1e-15);               // kappa c b f² = 1e-28 · 1e7 · 10 · 1e18
        Assert.Equal(0.2650260224775668, cost.UploadTimeS, 1e-12);    // S / r
        Assert.Equal(0.05300520449551336, cost.UploadEnergyJ, 1e-12); // p S / r
        Assert.Equal(cost.ComputeTimeS + cost.UploadTimeS, cost.DelayS);
        Assert.Equal(cost.ComputeEnergyJ + cost.UploadEnergyJ, cost.EnergyJ);
    }

    [Fact]
    public void PretrainRound_HandComputed()
    {
        var server = new ServerSpec { MaxFrequencyHz = 1e10, Kappa = 1e-31, CyclesPerSample = 1e7, MaxBatch = 1024 };

        var cost = CostModel.PretrainRound(server, batch: 100, frequencyHz: 1e10);

        Assert.Equal(0.1, cost.DelayS, 1e-15);   // 1e7 · 100 / 1e10
        Assert.Equal(0.01, cost.EnergyJ, 1e-15); // 1e-31 · 1e7 · 100 · 1e20
    }

    [Fact]
    public void Total_AddsStagesRoundByRound()
    {
        var total = CostModel.Total(400, new RoundCost(0.1, 0.01), 300, new RoundCost(0.5, 0.7));

        Assert.Equal(400 * 0.1 + 300 * 0.5, total.DelayS, 1e-12);
        Assert.Equal(400 * 0.01 + 300 * 0.7, total.EnergyJ, 1e-12);
    }
}
