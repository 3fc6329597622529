using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Learning;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Cli.Tests.Training;

/// <summary>Issue 9: every summary and report records what it came from, and train saves and reloads its weights.</summary>
public sealed class ReproducibilityTests(TrainingTestData data) : IClassFixture<TrainingTestData>
{
    private static JsonNode Read(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>Trains into <paramref name="dir"/> (replacing an earlier run there) and returns summary.json's provenance.</summary>
    private JsonObject TrainProvenance(string dir, params string[] args)
    {
        var result = data.Train([.. args, "--out", dir, "--force"]);
        Assert.True(result.ExitCode == ExitCodes.Ok, string.Join("\n", result.ErrorLines));
        return Read(Path.Combine(dir, "summary.json"))["provenance"]!.AsObject();
    }

    [Fact]
    public void Train_Summary_RecordsVersionCommandLineOptionsScenarioPlanDataAndSeed()
    {
        using var folder = new TempFolder();
        string dir = folder.File("run");

        var provenance = TrainProvenance(dir, "--plan", data.PlanPath, "--seed", "3", "--rotate", "15");

        Assert.Equal("edgelearn", (string?)provenance["tool"]);
        Assert.Equal(EdgeLearnApp.Version, (string?)provenance["version"]);
        Assert.Equal("train", (string?)provenance["command"]);
        Assert.Equal(["train", "--scenario", data.ScenarioPath, .. TrainingTestData.FastData, "--plan", data.PlanPath, "--seed", "3", "--rotate", "15", "--out", dir, "--force"],
            provenance["arguments"]!.AsArray().Select(a => (string?)a));
        var options = provenance["options"]!.AsObject();
        Assert.Equal(15, (double)options["--rotate"]!);
        Assert.Equal(3, (int)options["--seed"]!);
        Assert.Equal("16", (string?)options["--hidden"]);
        Assert.Equal(2, (int)options["--threads"]!);
        Assert.Null(options["--init-from"]);
        Assert.Equal("tiny", (string?)provenance["scenario"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ScenarioJson.Serialize(data.Scenario)))),
            (string?)provenance["scenarioSha256"]);
        Assert.Equal(Sha256(Path.Combine(dir, "plan.json")), (string?)provenance["planSha256"]);
        Assert.Equal("synthetic", (string?)provenance["dataset"]);
        Assert.Equal([3], provenance["seeds"]!.AsArray().Select(s => (int)s!));
        var identity = Assert.Single(provenance["data"]!.AsArray())!;
        Assert.Equal(3, (int)identity["seed"]!);
        Assert.Equal((300, 300, 200), ((int)identity["generalSamples"]!, (int)identity["taskSamples"]!, (int)identity["testSamples"]!));
        Assert.Matches("^[0-9a-f]{64}$", (string?)identity["sha256"]);
        Assert.Null(provenance["initialWeightsSha256"]);
    }

    [Fact]
    public void Train_SameInputsTwice_IdenticalProvenance_SeedShiftAndScenarioChangeTheirHashes()
    {
        using var folder = new TempFolder();
        string dir = folder.File("run");
        string renamed = folder.Write("renamed.json", ScenarioJson.Serialize(data.Scenario with { Name = "renamed" }));

        var first = TrainProvenance(dir, "--plan", data.PlanPath, "--seed", "3");
        var again = TrainProvenance(dir, "--plan", data.PlanPath, "--seed", "3");
        var seed = TrainProvenance(dir, "--plan", data.PlanPath, "--seed", "4");
        var shift = TrainProvenance(dir, "--plan", data.PlanPath, "--seed", "3", "--noise", "0.1");
        var scenario = TrainProvenance(dir, "--plan", data.PlanPath, "--seed", "3", "--scenario", renamed);

        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        static string DataHash(JsonObject p) => (string)p["data"]![0]!["sha256"]!;
        Assert.NotEqual(DataHash(first), DataHash(seed));
        Assert.Equal([4], seed["seeds"]!.AsArray().Select(s => (int)s!));
        Assert.Equal((string?)first["scenarioSha256"], (string?)seed["scenarioSha256"]);
        Assert.Equal((string?)first["planSha256"], (string?)seed["planSha256"]);
        Assert.NotEqual(DataHash(first), DataHash(shift));
        Assert.Equal((string?)first["scenarioSha256"], (string?)shift["scenarioSha256"]);
        Assert.NotEqual((string?)first["scenarioSha256"], (string?)scenario["scenarioSha256"]);
        Assert.Equal(DataHash(first), DataHash(scenario));
    }

    [Fact]
    public void Train_Out_WritesTheWeightsAfterPretrainingAndAtTheEnd()
    {
        using var folder = new TempFolder();
        string dir = folder.File("run");

        var result = data.Train("--plan", data.PlanPath, "--out", dir);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.EndsWith("and the weights model-pretrained.bin and model-final.bin.", result.ErrorLines[^1], StringComparison.Ordinal);
        var pretrained = ModelFile.Read(Path.Combine(dir, "model-pretrained.bin"));
        var final = ModelFile.Read(Path.Combine(dir, "model-final.bin"));
        Assert.Equal("mlp 64-16-10", final.Architecture.ToString());
        Assert.Equal(pretrained.Architecture, final.Architecture);
        Assert.Equal(TrainingTestData.SyntheticModelParameters, final.Parameters.Length);
        Assert.NotEqual(pretrained.Parameters.ToArray(), final.Parameters.ToArray());
    }

    [Fact]
    public void Train_NoPretraining_NoPretrainedWeights()
    {
        using var folder = new TempFolder();
        var plan = data.Plan();
        plan["pretrainRounds"] = 0;
        string path = folder.Write("m0.json", plan.ToJsonString());

        var result = data.Train("--plan", path, "--out", folder.File("run"), "--allow-violations");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.False(File.Exists(folder.File("run/model-pretrained.bin")));
        Assert.True(File.Exists(folder.File("run/model-final.bin")));
    }

    [Fact]
    public void Train_InitFromTheFinalWeights_StartsAtThatRunsFinalAccuracy()
    {
        using var folder = new TempFolder();
        string first = folder.File("first"), second = folder.File("second");
        Assert.Equal(ExitCodes.Ok, data.Train("--plan", data.PlanPath, "--seed", "3", "--out", first).ExitCode);
        string weights = Path.Combine(first, "model-final.bin");

        var result = data.Train("--plan", data.PlanPath, "--seed", "3", "--out", second, "--init-from", weights);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var before = Read(Path.Combine(first, "summary.json"));
        var after = Read(Path.Combine(second, "summary.json"));
        Assert.Equal((double)before["finalTestAccuracy"]!, (double)after["initialTestAccuracy"]!);
        Assert.Equal(Sha256(weights), (string?)after["provenance"]!["initialWeightsSha256"]);
        Assert.Equal(weights, (string?)after["provenance"]!["options"]!["--init-from"]);
    }

    [Fact]
    public void Train_InitFromWeightsOfAnotherModel_Exit2NamingWhatDiffers()
    {
        using var folder = new TempFolder();
        string first = folder.File("first");
        Assert.Equal(ExitCodes.Ok, data.Train("--plan", data.PlanPath, "--out", first).ExitCode);

        var result = data.Train("--plan", data.PlanPath, "--init-from", Path.Combine(first, "model-final.bin"), "--hidden", "8", "--accept-model-size");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("Unable to train: the initial weights (--init-from) are for mlp 64-16-10 and do not fit this run's mlp 64-8-10 model: hidden sizes 16 instead of 8.",
            result.SingleErrorLine());
        Assert.DoesNotContain("Plan versus actual", result.Output);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--scheme all")]
    public void Train_InitFromWeightsTooLargeForTheData_Exit2BlamesTheWeightsAndWritesNothing(string schemes)
    {
        // Finite float32 weights of 1e30 overflow the first forward pass: the run cannot start, and the step size is not to blame.
        using var folder = new TempFolder();
        var architecture = ModelArchitecture.Of(new MlpOptions { InputSize = 64, HiddenSizes = [16], ClassCount = 10 });
        float[] huge = new float[TrainingTestData.SyntheticModelParameters];
        Array.Fill(huge, 1e30f);
        string path = folder.File("huge.bin");
        File.WriteAllBytes(path, ModelFile.Serialize(architecture, huge));
        string[] how = schemes.Length == 0 ? ["--plan", data.PlanPath] : schemes.Split(' ');

        var result = data.Train([.. how, "--init-from", path, "--out", folder.File("run")]);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith("Training ", result.ErrorLines[0], StringComparison.Ordinal); // the status line, on stderr
        string line = Assert.Single(result.ErrorLines[1..]);
        Assert.Contains("the initial weights (--init-from) give a test loss or |grad F|^2 that is not a finite number before any training step", line);
        Assert.EndsWith("Nothing was written.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("step size", line);
        Assert.Equal(["huge.bin"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("truncated", "it is truncated")]
    [InlineData("garbage", "it is not an EdgeLearn weights file")]
    [InlineData("corrupt", "checksum does not match")]
    [InlineData("missing", "it must be a readable weights file (Could not find file")]
    public void Train_InitFromABadFile_Exit2OneLineBeforeTraining(string damage, string expected)
    {
        using var folder = new TempFolder();
        var architecture = ModelArchitecture.Of(new MlpOptions { InputSize = 64, HiddenSizes = [16], ClassCount = 10 });
        byte[] bytes = ModelFile.Serialize(architecture, new float[TrainingTestData.SyntheticModelParameters]);
        string path = folder.File("w.bin");
        switch (damage)
        {
            case "truncated": File.WriteAllBytes(path, bytes[..100]); break;
            case "garbage": File.WriteAllText(path, "not weights at all, just text"); break;
            case "corrupt": bytes[200] ^= 1; File.WriteAllBytes(path, bytes); break;
        }

        var result = data.Train("--plan", data.PlanPath, "--init-from", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        string line = result.SingleErrorLine();
        Assert.StartsWith($"--init-from is '{path}'; ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void Train_Seeds_EverySummaryRecordsItsSeedsAndData()
    {
        using var folder = new TempFolder();
        string dir = folder.File("seeds");

        var result = data.Train("--plan", data.PlanPath, "--seeds", "4,5", "--out", dir);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var mean = Read(Path.Combine(dir, "summary.json"))["provenance"]!;
        Assert.Equal([4, 5], mean["seeds"]!.AsArray().Select(s => (int)s!));
        var identities = mean["data"]!.AsArray();
        Assert.Equal([4, 5], identities.Select(d => (int)d!["seed"]!));
        foreach (int seed in new[] { 4, 5 })
        {
            string sub = Path.Combine(dir, $"seed-{seed}");
            var run = Read(Path.Combine(sub, "summary.json"))["provenance"]!;
            Assert.Equal([seed], run["seeds"]!.AsArray().Select(s => (int)s!));
            Assert.Equal(identities[seed - 4]!.ToJsonString(), Assert.Single(run["data"]!.AsArray())!.ToJsonString());
            Assert.True(File.Exists(Path.Combine(sub, "model-final.bin")));
        }
    }

    [Fact]
    public void TrainAllSchemes_EverySummaryRecordsItsPlanAndEverySchemeItsWeights()
    {
        using var folder = new TempFolder();

        var result = CliRunner.Run(["train", "--scenario", data.ScenarioPath, "--scheme", "joint,finetune-only", "--out", folder.Path, .. TrainingTestData.FastData]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var summaries = Read(folder.File("summary.json")).AsArray();
        var hashes = summaries.Select(s => (string?)s!["provenance"]!["planSha256"]).ToArray();
        Assert.Equal(2, hashes.Distinct().Count());
        Assert.All(summaries, s => Assert.Equal("train", (string?)s!["provenance"]!["command"]));
        Assert.Null(Read(folder.File("ranking.json"))["provenance"]!["planSha256"]);
        Assert.Equal([1], Read(folder.File("ranking.json"))["provenance"]!["seeds"]!.AsArray().Select(s => (int)s!));
        Assert.True(File.Exists(folder.File("model-final-joint.bin")));
        Assert.True(File.Exists(folder.File("model-final-finetune-only.bin")));
    }

    [Fact]
    public void PlanAndCompareJson_RecordTheirProvenanceAndStillLoadAsPlans()
    {
        using var folder = new TempFolder();
        string plan = folder.File("plan.json"), compare = folder.File("compare.json");

        Assert.Equal(ExitCodes.Ok, CliRunner.Run("plan", "--scenario", data.ScenarioPath, "--json", plan).ExitCode);
        Assert.Equal(ExitCodes.Ok, CliRunner.Run("compare", "--scenario", data.ScenarioPath, "--json", compare).ExitCode);

        var planned = Read(plan);
        var loaded = PlanJson.Load(plan);
        Assert.True(loaded.IsValid);
        Assert.Equal("plan", (string?)planned["provenance"]!["command"]);
        Assert.Equal(EdgeLearn.Training.Provenance.PlanHash(loaded.Plan!), (string?)planned["provenance"]!["planSha256"]);
        Assert.Equal(EdgeLearn.Training.Provenance.ScenarioHash(data.Scenario), (string?)planned["provenance"]!["scenarioSha256"]);
        Assert.Empty(planned["provenance"]!["seeds"]!.AsArray());
        var compared = Read(compare).AsArray();
        Assert.All(compared, p => Assert.Equal("compare", (string?)p!["provenance"]!["command"]));
        Assert.Equal((string?)planned["provenance"]!["planSha256"], (string?)compared[0]!["provenance"]!["planSha256"]);
    }

    [Fact]
    public void EvaluateJson_RecordsItsProvenanceWithThePlansHash()
    {
        using var folder = new TempFolder();
        string json = folder.File("evaluation.json");

        var result = CliRunner.Run("evaluate", "--scenario", data.ScenarioPath, "--plan", data.PlanPath, "--json", json);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var provenance = Read(json)["provenance"]!;
        Assert.Equal("evaluate", (string?)provenance["command"]);
        Assert.Equal(EdgeLearn.Training.Provenance.PlanHash(PlanJson.Load(data.PlanPath).Plan!), (string?)provenance["planSha256"]);
        Assert.Equal(EdgeLearn.Training.Provenance.ScenarioHash(data.Scenario), (string?)provenance["scenarioSha256"]);
    }

    [Fact]
    public void CalibrateReport_RecordsItsProvenance()
    {
        using var folder = new TempFolder();
        string report = folder.File("report.json");

        var result = CliRunner.Run(["calibrate", "--scenario", data.ScenarioPath, "--dataset", "synthetic", "--general-size", "300", "--test-size", "200",
            "--hidden", "16", "--repeats", "2", "--pilot-steps", "20", "--checkpoints", "2", "--task-steps", "0", "--seed", "6",
            "--out", folder.File("calibrated.json"), "--report", report]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var provenance = Read(report)["provenance"]!;
        Assert.Equal("calibrate", (string?)provenance["command"]);
        Assert.Equal(EdgeLearn.Training.Provenance.ScenarioHash(data.Scenario), (string?)provenance["scenarioSha256"]);
        Assert.Null(provenance["planSha256"]);
        Assert.Equal([6], provenance["seeds"]!.AsArray().Select(s => (int)s!));
        Assert.Equal(6, (int)Assert.Single(provenance["data"]!.AsArray())!["seed"]!);
        Assert.Equal(20, (int)provenance["options"]!["--pilot-steps"]!);
    }
}
