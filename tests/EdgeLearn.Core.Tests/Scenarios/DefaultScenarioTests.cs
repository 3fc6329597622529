using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Scenarios;

public class DefaultScenarioTests
{
    // Hand-computed: d = 50 + 200 k/9 m, PL = 128.1 + 37.6 log10(d/1000), h = 10^(-PL/10).
    //   k = 0: d = 50 m,      PL = 79.18127 dB, h = 1.2074601e-8
    //   k = 4: d = 138.889 m, PL = 95.86430 dB, h = 2.5916132e-10
    //   k = 9: d = 250 m,     PL = 105.46254 dB, h = 2.8427952e-11
    [Theory]
    [InlineData(0, 50.0, 1.2074601e-8)]
    [InlineData(4, 138.88888888888889, 2.5916132e-10)]
    [InlineData(9, 250.0, 2.8427952e-11)]
    public void Create_DeviceGain_MatchesHandComputedPathLoss(int k, double distanceM, double expectedGain)
    {
        var scenario = DefaultScenario.Create();

        Assert.Equal(distanceM, DefaultScenario.DistanceM(k), 1e-9);
        var gain = scenario.Devices[k].ChannelGain;
        Assert.True(Math.Abs(gain - expectedGain) <= 1e-7 * expectedGain, $"gain {gain:R} vs {expectedGain:R} (rel. tol 1e-7)");
    }

    [Fact]
    public void Create_Default_HasTheListedConstants()
    {
        var s = DefaultScenario.Create();

        Assert.Equal("default", s.Name);
        Assert.Equal(10, s.Devices.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(k => $"dev-{k}"), s.Devices.Select(d => d.Id));
        Assert.All(s.Devices, d =>
        {
            Assert.Equal(1e9, d.MaxFrequencyHz);
            Assert.Equal(1e-28, d.Kappa);
            Assert.Equal(1e7, d.CyclesPerSample);
            Assert.Equal(0.2, d.MaxPowerW);
            Assert.Equal(1e6, d.BandwidthHz);
            Assert.Equal(600, d.DatasetSize);
            Assert.Equal(600, d.MaxBatch);
        });
        Assert.Equal(new ServerSpec { MaxFrequencyHz = 1e10, Kappa = 1e-31, CyclesPerSample = 1e7, MaxBatch = 1024 }, s.Server);
        Assert.Equal(3.981e-21, s.Channel.NoisePsdWPerHz);
        Assert.Equal(3_256_640, s.Model.UploadBits);
        Assert.Equal(new DownlinkSpec(), s.Downlink);
        Assert.Equal(new BudgetSpec { EnergyJ = 300, DelayS = 300 }, s.Budget);
        Assert.Equal(new LimitsSpec { MaxPretrainRounds = 5000, MaxFinetuneRounds = 5000 }, s.Limits);
        var l = s.Learning;
        Assert.Equal((10.0, 0.05, 0.05, 0.1), (l.Smoothness, l.StepSize, l.PretrainStepSize, l.PlConstant));
        Assert.Equal((50.0, 50.0, 2.3, 2.3), (l.GradientVariance, l.PretrainGradientVariance, l.PretrainInitialGap, l.TargetInitialGap));
        Assert.Equal((1.0, 0.1), (l.Shift.Wasserstein, l.Shift.DataLipschitz));
        Assert.Equal(0.1, l.Shift.Gap, 1e-15);
    }

    [Fact]
    public void Create_Default_IsValid()
    {
        Assert.Empty(ScenarioValidator.Validate(DefaultScenario.Create()));
    }

    [Fact]
    public void Equals_TwoFreshDefaults_AreEqualWithEqualHashes()
    {
        var a = DefaultScenario.Create();
        var b = DefaultScenario.Create();

        Assert.NotSame(a.Devices, b.Devices);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_OneDeviceDiffers_AreNotEqual()
    {
        var a = DefaultScenario.Create();
        var devices = a.Devices.ToArray();
        devices[7] = devices[7] with { MaxPowerW = 0.1 };

        Assert.NotEqual(a, a with { Devices = devices });
    }

    [Theory]
    [InlineData(1000.0, 128.1)]
    [InlineData(100.0, 90.5)]
    public void LossDb_DecadeDistances_MatchModel(double distanceM, double expectedDb)
    {
        Assert.Equal(expectedDb, PathLoss.LossDb(distanceM), 1e-12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void LossDb_NonPositiveDistance_Throws(double distanceM)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PathLoss.LossDb(distanceM));
    }
}
