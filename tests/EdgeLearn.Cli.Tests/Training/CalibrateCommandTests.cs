using System.Text.Json.Nodes;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Data.Cache;
using EdgeLearn.Scenarios;
using EdgeLearn.Training;

namespace EdgeLearn.Cli.Tests.Training;

public sealed class CalibrateCommandTests(TrainingTestData data) : IClassFixture<TrainingTestData>
{
    /// <summary>Short pilots: a second or two on the synthetic data.</summary>
    private static readonly string[] FastPilots =
        ["--repeats", "2", "--pilot-steps", "40", "--checkpoints", "4", "--task-steps", "20"];

    /// <summary>The data and model options of <see cref="TrainingTestData.FastData"/> that calibrate takes (not the run's).</summary>
    private static readonly string[] FastModel = ["--dataset", "synthetic", "--general-size", "300", "--test-size", "200", "--hidden", "16"];

    private CliResult Calibrate(params string[] args) =>
        CliRunner.Run([.. new[] { "calibrate", "--scenario", data.ScenarioPath }, .. FastModel, .. FastPilots, .. args]);

    [Fact]
    public void Calibrate_Synthetic_WritesTheScenarioAndTheReport()
    {
        using var folder = new TempFolder();
        string scenarioPath = folder.File("calibrated.json"), reportPath = folder.File("report.json");

        var result = Calibrate("--out", scenarioPath, "--report", reportPath);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("Calibrated constants: mlp 64-16-10 on synthetic", result.Output);
        Assert.Contains("Compute:", result.Output);
        Assert.Contains(result.ErrorLines, l => l.StartsWith("Wrote the calibrated scenario 'tiny-calibrated'", StringComparison.Ordinal));
        var calibrated = ScenarioJson.Load(scenarioPath);
        Assert.True(calibrated.IsValid, string.Join("; ", calibrated.Errors.Select(e => e.Message)));
        var l = calibrated.Scenario!.Learning;
        Assert.Equal(TrainingTestData.SyntheticModelParameters * 32.0, calibrated.Scenario.Model.UploadBits);
        Assert.Equal(1 / l.Smoothness, l.StepSize, 12);
        Assert.NotNull(l.Shift.MeasuredGap);
        Assert.Equal(data.Scenario.Devices, calibrated.Scenario.Devices);
        var report = JsonNode.Parse(File.ReadAllText(reportPath))!;
        var constants = report["constants"]!.AsArray();
        Assert.Equal(11, constants.Count);
        Assert.All(constants, c =>
        {
            Assert.NotNull(c!["value"]);
            Assert.NotNull(c["spread"]);
            Assert.False(string.IsNullOrWhiteSpace((string?)c["method"]));
            Assert.NotNull(c["compute"]!["seconds"]);
        });
        Assert.Equal(l.Smoothness, (double)constants[0]!["value"]!, 12);
        Assert.Equal("generalizationGap", (string?)report["diagnostics"]![0]!["name"]);
    }

    [Fact]
    public void Calibrate_ThenTrain_TrainsWithTheCalibratedStepSizes()
    {
        using var folder = new TempFolder();
        string scenarioPath = folder.File("calibrated.json");
        Assert.Equal(ExitCodes.Ok, Calibrate("--out", scenarioPath).ExitCode);

        var trained = CliRunner.Run(["train", "--scenario", scenarioPath, .. TrainingTestData.FastData, "--out", folder.File("run")]);

        Assert.Equal(ExitCodes.Ok, trained.ExitCode);
        var summary = JsonNode.Parse(File.ReadAllText(folder.File("run/summary.json")))!;
        double step = ScenarioJson.Load(scenarioPath).Scenario!.Learning.StepSize;
        Assert.Equal(step, (double)summary["finetuneLearningRate"]!, 12);
        Assert.Equal(step, (double)summary["pretrainLearningRate"]!, 12);
    }

    [Theory]
    [InlineData("--out is missing; it is required")]
    [InlineData("--repeats is 0; it must be between 1 and 20.", "--repeats", "0")]
    [InlineData("--step-fraction is 2; it must be in (0, 1]", "--step-fraction", "2")]
    [InlineData("--shift-space is 'latent'; it must be features or pixels.", "--shift-space", "latent")]
    [InlineData("--pilot-steps is 0; it must be at least 1.", "--pilot-steps", "0")]
    [InlineData("--report is 'no/such/folder/r.json'; its folder", "--report", "no/such/folder/r.json")]
    public void Calibrate_BadOption_Exit2OneLine(string expected, params string[] args)
    {
        string[] withOut = args.Length == 0 ? [] : ["--out", "never.json"];
        var result = CliRunner.Run([.. new[] { "calibrate", "--scenario", data.ScenarioPath }, .. FastModel, .. withOut, .. args]);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith(expected, result.SingleErrorLine(), StringComparison.Ordinal);
        Assert.False(File.Exists("never.json"));
    }

    [Fact]
    public void Calibrate_TrainOnlyOption_IsRejected()
    {
        var result = Calibrate("--out", "never.json", "--fading", "rayleigh");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("fading", result.SingleErrorLine());
    }

    [Fact]
    public void Calibrate_UsersIdxFiles_Exit0()
    {
        using var folder = new TempFolder();
        var images = SyntheticImages.Create(new SyntheticImagesOptions { TrainCount = 900, TestCount = 100, Seed = 2 }).Ordered("mine");
        string prefix = folder.File("mine");
        File.WriteAllBytes(prefix + "-images-idx3-ubyte", Idx(3, [images.Count, 8, 8], images.Pixels.ToArray().Select(p => (byte)Math.Round(255 * p)).ToArray()));
        File.WriteAllBytes(prefix + "-labels-idx1-ubyte", Idx(1, [images.Count], images.Labels.ToArray()));

        var result = CliRunner.Run([
            "calibrate", "--scenario", data.ScenarioPath, "--dataset", "idx:" + prefix, "--general-size", "300", "--hidden", "16",
            .. FastPilots, "--out", folder.File("calibrated.json")]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("idx:", result.ErrorLines[0]);
        Assert.True(ScenarioJson.Load(folder.File("calibrated.json")).IsValid);
    }

    [Fact]
    public void DataShift_CachedDataset_ReportsRawFloorAndDebiasedInBothSpaces()
    {
        using var cache = new TempFolder();
        var split = SyntheticImages.Create(new SyntheticImagesOptions { Size = 28, TrainCount = 800, TestCount = 200, Seed = 4 });
        DatasetCache.Write(DatasetCache.PathFor(cache.Path, "mnist"), split.Ordered("mnist"), split.Train.Count);
        string json = cache.File("shift.json");

        var pixels = CliRunner.Run("data", "shift", "--cache", cache.Path, "--samples", "100", "--repeats", "3", "--json", json);
        var pixelReport = JsonNode.Parse(File.ReadAllText(json))!;
        var features = CliRunner.Run("data", "shift", "--cache", cache.Path, "--samples", "100", "--repeats", "3", "--rotate", "90",
            "--space", "features", "--feature-steps", "30", "--json", json);
        var featureReport = JsonNode.Parse(File.ReadAllText(json))!;

        Assert.Equal(ExitCodes.Ok, pixels.ExitCode);
        Assert.Contains("debiased", pixels.Output);
        foreach (string field in new[] { "wasserstein", "wassersteinSpread", "samples", "method", "floor", "floorSpread", "debiased", "debiasedSpread", "space" })
        {
            Assert.NotNull(pixelReport[field]);
        }

        double raw = (double)pixelReport["wasserstein"]!, floor = (double)pixelReport["floor"]!, debiased = (double)pixelReport["debiased"]!;
        Assert.Equal(raw - floor, debiased, 9);
        Assert.InRange(Math.Abs(debiased), 0, 3 * Math.Max((double)pixelReport["debiasedSpread"]!, 0.05));
        Assert.Equal(ExitCodes.Ok, features.ExitCode);
        Assert.Equal("features", (string?)featureReport["space"]);
        Assert.Equal(30, (int)featureReport["featureSteps"]!);
        Assert.True((double)featureReport["debiased"]! > 3 * (double)featureReport["debiasedSpread"]!);
    }

    private static byte[] Idx(byte dims, int[] shape, byte[] values)
    {
        var bytes = new List<byte> { 0, 0, 8, dims };
        foreach (int s in shape)
        {
            bytes.AddRange([(byte)(s >> 24), (byte)(s >> 16), (byte)(s >> 8), (byte)s]);
        }

        bytes.AddRange(values);
        return [.. bytes];
    }
}
