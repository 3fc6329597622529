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
        // Every double drawn log-uniformly over its field's valid range (ScenarioRanges; from 1e-300 where zero is
        // allowed) with all 52 mantissa bits, so a lossy number format would fail.
        var random = new Random(seed);
        double In(ValueRange range)
        {
            double low = Math.Log(Math.Max(range.Min, 1e-300)), high = Math.Log(range.Max);
            return Math.Clamp(Math.Exp(low + (random.NextDouble() * (high - low))) * (1 + (random.NextDouble() * 1e-3)), range.Min, range.Max);
        }

        int Whole(ValueRange range) => random.Next((int)Math.Max(range.Min, 1), (int)range.Max);
        var template = ScenarioGenerator.Generate(3, seed);
        var scenario = template with
        {
            Name = $"arbitrary \"{seed}\" ✓",
            Server = template.Server with
            {
                MaxFrequencyHz = In(ScenarioRanges.FrequencyHz), Kappa = In(ScenarioRanges.Kappa),
                CyclesPerSample = In(ScenarioRanges.CyclesPerSample), MaxBatch = Whole(ScenarioRanges.Samples),
            },
            Devices = template.Devices.Select(d => d with
            {
                Id = $"d/{random.Next()}\"\\ ✓", // quotes, backslashes and non-ASCII (control characters are refused)
                MaxPowerW = In(ScenarioRanges.PowerW),
                ChannelGain = In(ScenarioRanges.ChannelGain),
                BandwidthHz = In(ScenarioRanges.BandwidthHz),
                DatasetSize = Whole(ScenarioRanges.Samples),
            }).ToArray(),
            Channel = new ChannelSpec { NoisePsdWPerHz = In(ScenarioRanges.NoisePsdWPerHz) },
            Downlink = new DownlinkSpec { DelayS = In(ScenarioRanges.DownlinkCost), EnergyJ = 0 },
            Model = new ModelSpec { UploadBits = In(ScenarioRanges.UploadBits) },
            Budget = new BudgetSpec { EnergyJ = In(ScenarioRanges.EnergyBudgetJ), DelayS = In(ScenarioRanges.DelayBudgetS) },
            Limits = new LimitsSpec { MaxPretrainRounds = random.Next(0, 100_000), MaxFinetuneRounds = random.Next(1, 100_000) },
            Learning = template.Learning with
            {
                GradientVariance = In(ScenarioRanges.LossScale),
                Shift = new ShiftSpec { Wasserstein = In(ScenarioRanges.Shift), DataLipschitz = In(ScenarioRanges.Shift) },
            },
        };

        var result = ScenarioJson.Parse(ScenarioJson.Serialize(scenario));

        return result.IsValid && result.Scenario.Equals(scenario);
    }

    private static int DeviceCount(int size) => 1 + (int)((uint)size % 64);
}
