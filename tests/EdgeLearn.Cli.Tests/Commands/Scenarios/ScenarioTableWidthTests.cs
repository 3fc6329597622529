using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Cli.Tests.Training;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Cli.Tests.Commands.Scenarios;

/// <summary><c>scenario show</c>'s tables fit an 80-column terminal with a hundred devices and large values.</summary>
public class ScenarioTableWidthTests
{
    [Fact]
    public void Show_HundredDevicesLargeValues_NoCellWrapsAt80()
    {
        using var folder = new TempFolder();
        var generated = ScenarioGenerator.Generate(100, seed: 2);
        var large = generated with
        {
            Devices = generated.Devices.Select(d => d with { DatasetSize = 123_456, MaxBatch = 123_456, CyclesPerSample = 1.234e7, MaxPowerW = 987.654321, Kappa = 1.234e-28 }).ToArray(),
            Budget = new BudgetSpec { EnergyJ = 3.14159e6, DelayS = 2.71828e6 },
            Limits = new LimitsSpec { MaxPretrainRounds = 100_000, MaxFinetuneRounds = 100_000 },
            Model = new ModelSpec { UploadBits = 123_456_789_012 },
            Learning = generated.Learning with { GradientVariance = 987654.321, Shift = generated.Learning.Shift with { MeasuredGap = 1234.5678 } },
        };
        string path = folder.Write("large.json", ScenarioJson.Serialize(large));

        var result = CliRunner.RunAtWidth(80, "scenario", "show", "--scenario", path);

        Assert.True(result.ExitCode == ExitCodes.Ok, string.Join("\n", result.ErrorLines));
        TrainingTableWidthTests.AssertFits(result.Output);
        Assert.Contains("dev-49", result.Output);
        Assert.Contains("shift.gap", result.Output);
    }
}
