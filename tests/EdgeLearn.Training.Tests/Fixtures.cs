using EdgeLearn.Data.Shift;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Training.Tests;

/// <summary>A tiny scenario, hand-made plans and synthetic data that train in well under a second.</summary>
internal static class Fixtures
{
    public const int DeviceSize = 100;

    /// <summary>Parameters of the fixtures' 64-16-4 MLP: 64·16 + 16 + 16·4 + 4.</summary>
    public const int ParameterCount = 1108;

    /// <summary>The default scenario cut to <paramref name="devices"/> devices of <see cref="DeviceSize"/> images each, with
    /// the fixtures' model size and step sizes of 0.2 (L = 5).</summary>
    public static Scenario Scenario(int devices = 3)
    {
        var full = DefaultScenario.Create();
        return full with
        {
            Devices = full.Devices.Take(devices).Select(d => d with { DatasetSize = DeviceSize, MaxBatch = DeviceSize }).ToArray(),
            Model = new ModelSpec { UploadBits = ParameterCount * 32.0 },
            Learning = full.Learning with { Smoothness = 5, StepSize = 0.2, PretrainStepSize = 0.2 },
        };
    }

    public static Plan Plan(Scenario scenario, int pretrainRounds, int finetuneRounds, int deviceBatch = 16, int serverBatch = 32) => new()
    {
        Scheme = Scheme.Joint,
        PretrainRounds = pretrainRounds,
        FinetuneRounds = finetuneRounds,
        Server = new ServerAllocation(serverBatch, 2e9),
        Devices = scenario.Devices.Select((d, k) => new DeviceAllocation(d.Id, deviceBatch, 5e8 + (1e8 * k), 0.05 + (0.05 * k))).ToArray(),
        Predicted = new PlanPrediction(0, 0, 0, 0, 0),
    };

    public static TrainingData Data(Scenario scenario, int seed = 1, ShiftConfig? shift = null)
    {
        var split = SyntheticImages.Create(new SyntheticImagesOptions { Size = 8, ClassCount = 4, TrainCount = 700, TestCount = 200, Seed = 3 });
        var config = new DataConfig
        {
            BaseDataset = SyntheticImages.Name,
            DeviceSizes = scenario.Devices.Select(d => d.DatasetSize).ToArray(),
            GeneralSize = 300,
            TaskTestSize = 200,
            Shift = shift ?? new ShiftConfig(),
            Seed = seed,
        };
        Assert.True(ShiftedDataBuilder.TryBuild(split, config, out var data, out var errors), string.Join("; ", errors));
        return TrainingData.Create(data!);
    }

    public static TrainingOptions Options(int seed = 1) => new()
    {
        HiddenSizes = [16],
        GradientSamples = 200,
        EvaluationInterval = 5,
        Seed = seed,
    };
}
