using EdgeLearn.Scenarios;
using FsCheck.Xunit;

namespace EdgeLearn.Core.Tests.Scenarios;

public class ScenarioPropertyTests
{
    [Property(MaxTest = 100, Replay = "(20261130,20261131)")]
    public bool Generate_AnyDeviceCountAndSeed_Validates(int size, int seed)
    {
        var scenario = ScenarioGenerator.Generate(DeviceCount(size), seed);

        return ScenarioValidator.Validate(scenario).Count == 0;
    }

    [Property(MaxTest = 100, Replay = "(20261130,20261131)")]
    public bool SerializeThenParse_GeneratedScenario_IsLossless(int size, int seed)
    {
        var scenario = ScenarioGenerator.Generate(DeviceCount(size), seed);

        var result = ScenarioJson.Parse(ScenarioJson.Serialize(scenario));

        return result.IsValid && result.Scenario.Equals(scenario);
    }

    [Property(MaxTest = 100, Replay = "(20261130,20261131)")]
    public bool SerializeThenParse_ArbitraryValidNumbers_IsLossless(int seed)
    {
        // Every double drawn over 1e-300..1e300 with all 52 mantissa bits, so a lossy number format would fail.
        var random = new Random(seed);
        double Any() => Math.Exp((random.NextDouble() * 1380) - 690) * (1 + random.NextDouble());
        var template = ScenarioGenerator.Generate(3, seed);
        var scenario = template with
        {
            Name = $"arbitrary \"{seed}\" ✓",
            Server = template.Server with { MaxFrequencyHz = Any(), Kappa = Any(), CyclesPerSample = Any(), MaxBatch = random.Next(1, int.MaxValue) },
            Devices = template.Devices.Select(d => d with
            {
                Id = $"d/{random.Next()}\t",
                MaxPowerW = Any(),
                ChannelGain = Any(),
                BandwidthHz = Any(),
                DatasetSize = random.Next(1, int.MaxValue),
            }).ToArray(),
            Channel = new ChannelSpec { NoisePsdWPerHz = Any() },
            Downlink = new DownlinkSpec { DelayS = Any(), EnergyJ = 0 },
            Model = new ModelSpec { UploadBits = Any() },
            Budget = new BudgetSpec { EnergyJ = Any(), DelayS = Any() },
            Limits = new LimitsSpec { MaxPretrainRounds = random.Next(0, 100_000), MaxFinetuneRounds = random.Next(1, 100_000) },
            Learning = template.Learning with { GradientVariance = Any(), Shift = new ShiftSpec { Wasserstein = Any(), DataLipschitz = Any() } },
        };

        var result = ScenarioJson.Parse(ScenarioJson.Serialize(scenario));

        return result.IsValid && result.Scenario.Equals(scenario);
    }

    private static int DeviceCount(int size) => 1 + (int)((uint)size % 64);
}
