using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Scenarios;

public class ScenarioGeneratorTests
{
    [Fact]
    public void Generate_SameSeed_GivesTheSameScenario()
    {
        Assert.Equal(ScenarioGenerator.Generate(25, seed: 42), ScenarioGenerator.Generate(25, seed: 42));
        Assert.Equal(
            ScenarioJson.Serialize(ScenarioGenerator.Generate(25, seed: 42)),
            ScenarioJson.Serialize(ScenarioGenerator.Generate(25, seed: 42)));
    }

    [Fact]
    public void Generate_DifferentSeeds_GiveDifferentDevices()
    {
        Assert.NotEqual(ScenarioGenerator.Generate(25, seed: 1).Devices, ScenarioGenerator.Generate(25, seed: 2).Devices);
    }

    [Fact]
    public void Generate_FiftyDevices_StaysInTheDocumentedRanges()
    {
        var s = ScenarioGenerator.Generate(50, seed: 7);

        Assert.Equal("generated-K50-seed7", s.Name);
        Assert.Equal(Enumerable.Range(0, 50).Select(k => $"dev-{k}"), s.Devices.Select(d => d.Id));
        var minGain = PathLoss.Gain(ScenarioGenerator.MaxDistanceM);
        var maxGain = PathLoss.Gain(ScenarioGenerator.MinDistanceM);
        Assert.All(s.Devices, d =>
        {
            Assert.InRange(d.ChannelGain, minGain, maxGain);
            Assert.InRange(d.MaxFrequencyHz, 0.5e9, 2e9);
            Assert.InRange(d.DatasetSize, 200, 1200);
            Assert.Equal(d.DatasetSize, d.MaxBatch);
            Assert.Equal(0.2, d.MaxPowerW);
            Assert.Equal(1e6, d.BandwidthHz);
        });
        Assert.Equal(new BudgetSpec { EnergyJ = 1500, DelayS = 300 }, s.Budget);
        Assert.Equal(DefaultScenario.Create().Learning, s.Learning);
        Assert.Equal(DefaultScenario.Create().Server, s.Server);
        Assert.Empty(ScenarioValidator.Validate(s));
    }

    [Fact]
    public void Generate_ManyDevices_SpreadsOverTheRanges()
    {
        var s = ScenarioGenerator.Generate(2000, seed: 11);

        // With 2000 uniform draws each range's extreme tenths are hit (probability of a miss < 1e-90).
        Assert.Contains(s.Devices, d => d.MaxFrequencyHz < 0.65e9);
        Assert.Contains(s.Devices, d => d.MaxFrequencyHz > 1.85e9);
        Assert.Contains(s.Devices, d => d.DatasetSize < 300);
        Assert.Contains(s.Devices, d => d.DatasetSize > 1100);
        Assert.Contains(s.Devices, d => d.ChannelGain < PathLoss.Gain(455));
        Assert.Contains(s.Devices, d => d.ChannelGain > PathLoss.Gain(95));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 2)]
    [InlineData(1000, 3)]
    public void Generate_AnySize_OneFullSpeedRoundFitsTheBudgets(int devices, int seed)
    {
        // Independent of the planner: M = 0, N = 1, bk = 1, fk = fkmax, pk = Pkmax (model.md §2).
        var s = ScenarioGenerator.Generate(devices, seed);
        double delay = 0, energy = 0;
        foreach (var d in s.Devices)
        {
            var rate = d.BandwidthHz * Math.Log2(1 + (d.MaxPowerW * d.ChannelGain / (s.Channel.NoisePsdWPerHz * d.BandwidthHz)));
            var upload = s.Model.UploadBits / rate;
            delay = Math.Max(delay, (d.CyclesPerSample / d.MaxFrequencyHz) + upload);
            energy += (d.Kappa * d.CyclesPerSample * d.MaxFrequencyHz * d.MaxFrequencyHz) + (d.MaxPowerW * upload);
        }

        // Worst device (500 m, 2 GHz): about 0.5 s and 4.1 J, far inside 300 s and 30 J per device.
        Assert.True(delay < s.Budget.DelayS / 100, $"delay {delay} s");
        Assert.True(energy < s.Budget.EnergyJ / 5, $"energy {energy} J");
    }

    [Fact]
    public void Generate_ZeroDevices_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ScenarioGenerator.Generate(0, seed: 1));
    }
}
