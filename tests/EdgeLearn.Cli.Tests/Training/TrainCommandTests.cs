using System.Text.Json.Nodes;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;

namespace EdgeLearn.Cli.Tests.Training;

public sealed class TrainCommandTests(TrainingTestData data) : IClassFixture<TrainingTestData>
{
    private static readonly string[] ContractFields =
    [
        "scheme", "dataset", "seed", "pretrainRounds", "finetuneRounds", "finalTestAccuracy", "averageSquaredGradientNorm",
        "predictedBound", "delayS", "energyJ", "deadlineMisses", "wallClockS",
    ];

    [Fact]
    public void Train_PlanFileOnSyntheticData_Exit0AndWritesTheFiles()
    {
        using var folder = new TempFolder();
        string dir = folder.File("run");

        var result = data.Train("--plan", data.PlanPath, "--out", dir, "--seed", "3");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.StartsWith("Training the joint plan (", result.ErrorLines[0], StringComparison.Ordinal); // status lines: stderr
        Assert.StartsWith("Wrote summary.json, rounds.csv, rounds.json, plan.json and training.png to ", result.ErrorLines[1], StringComparison.Ordinal);
        Assert.Equal(2, result.ErrorLines.Length);
        Assert.DoesNotContain("Training the joint plan", result.Output);
        Assert.Contains("Plan versus actual: joint on synthetic (seed 3)", result.Output);
        Assert.Contains("avg |grad F|^2", result.Output);
        Assert.Contains("bound held", result.Output);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!.AsObject();
        Assert.All(ContractFields, f => Assert.True(summary.ContainsKey(f), $"summary.json lacks {f}"));
        Assert.Equal("joint", (string?)summary["scheme"]);
        Assert.Equal("synthetic", (string?)summary["dataset"]);
        Assert.Equal(3, (int)summary["seed"]!);
        Assert.Equal(5, (int)summary["pretrainRounds"]!);
        Assert.Equal(8, (int)summary["finetuneRounds"]!);
        Assert.InRange((double)summary["finalTestAccuracy"]!, 0, 1);
        var evaluation = PlanEvaluator.Evaluate(data.Scenario, PlanJson.Load(data.PlanPath).Plan!);
        Assert.Equal(evaluation.DelayS, (double)summary["delayS"]!);
        Assert.Equal(evaluation.EnergyJ, (double)summary["energyJ"]!);
        Assert.Equal(evaluation.Bound, (double)summary["predictedBound"]!);
        double average = (double)summary["averageSquaredGradientNorm"]!;
        Assert.Equal(average / evaluation.Bound, (double)summary["boundRatio"]!, 12);
        Assert.Equal(average <= evaluation.Bound, (bool)summary["boundHeld"]!);
        Assert.Equal(1.0, (double)summary["delayRatio"]!, 12);
        Assert.True((double)summary["averageSquaredGradientNormStdErr"]! > 0);
        Assert.Equal(1 + 1 + 5 + 8, File.ReadAllLines(Path.Combine(dir, "rounds.csv")).Length);
        Assert.Equal(1 + 5 + 8, JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "rounds.json")))!.AsArray().Count);
        Assert.True(PlanJson.Load(Path.Combine(dir, "plan.json")).IsValid);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(Path.Combine(dir, "training.png"))[..4]);
    }

    [Fact]
    public void Train_OnATerminal_ProgressAndStatusOnStderrTablesOnStdout()
    {
        using var folder = new TempFolder();

        var (result, terminal) = CliRunner.RunWithErrorTerminal(
            ["train", "--scenario", data.ScenarioPath, .. TrainingTestData.FastData, "--plan", data.PlanPath, "--out", folder.File("run")]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Matches("fine-tuning +8/8", terminal);
        Assert.DoesNotMatch("fine-tuning +[0-9]+/8", result.Output);
        Assert.DoesNotContain("━", result.Output);
        Assert.Contains("Plan versus actual", result.Output);
        Assert.Contains(result.ErrorLines, l => l.StartsWith("Wrote summary.json", StringComparison.Ordinal));
    }

    [Fact]
    public void Train_Quiet_NoProgressNoStatusLinesTablesStill()
    {
        using var folder = new TempFolder();

        var (result, terminal) = CliRunner.RunWithErrorTerminal(
            ["train", "--quiet", "--scenario", data.ScenarioPath, .. TrainingTestData.FastData, "--plan", data.PlanPath, "--out", folder.File("run")]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Empty(result.ErrorLines);
        Assert.Empty(terminal);
        Assert.Contains("Plan versus actual", result.Output);
        Assert.True(File.Exists(folder.File("run/summary.json")));
    }

    [Fact]
    public void Train_OutWhereNoFolderCanBeMade_RefusedBeforeTraining()
    {
        var result = data.Train("--plan", data.PlanPath, "--out", "/proc/edgelearn-test/run");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("--out is '/proc/edgelearn-test/run'; the folder '/proc' cannot be written (it does not accept new files).", result.SingleErrorLine());
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Train_EmptyHidden_Exit2InsteadOfALinearModel()
    {
        var result = data.Train("--plan", data.PlanPath, "--hidden", "");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("--hidden is ''; it must be comma-separated whole numbers of at least 1 (e.g. 128 or 256,128).", result.SingleErrorLine());
    }

    [Fact]
    public void Train_MoreTaskImagesThanTheDatasetHolds_OneLineWithTheNumbersAndTheFixes()
    {
        using var folder = new TempFolder();
        using var cache = EdgeLearn.Cli.Tests.Commands.Data.DataCommandTests.CachedMnist(500); // 400 training images
        var big = data.Scenario with { Devices = [.. data.Scenario.Devices.Select(d => d with { DatasetSize = 200 })] };
        string path = folder.Write("big.json", EdgeLearn.Scenarios.ScenarioJson.Serialize(big));

        var result = CliRunner.Run("train", "--scenario", path, "--cache", cache.Path, "--plan", data.PlanPath, "--accept-model-size", "--hidden", "16");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal(
            "the scenario's 3 devices need 600 task images in all (the sum of devices[*].datasetSize), but mnist's training part holds 400; " +
            "use fewer devices or smaller devices[*].datasetSize (at most 400 in all, less the server's general images), or --dataset fashion (60,000 training images).",
            result.SingleErrorLine());
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Train_SameSeedTwice_IdenticalRounds()
    {
        using var folder = new TempFolder();

        var first = data.Train("--plan", data.PlanPath, "--out", folder.File("a"), "--fading", "rayleigh");
        var second = data.Train("--plan", data.PlanPath, "--out", folder.File("b"), "--fading", "rayleigh");

        Assert.Equal(ExitCodes.Ok, first.ExitCode);
        Assert.Equal(ExitCodes.Ok, second.ExitCode);
        Assert.Equal(File.ReadAllText(folder.File("a/rounds.csv")), File.ReadAllText(folder.File("b/rounds.csv")));
    }

    [Fact]
    public void Train_SchemeOnTinyScenario_PlansAndRunsWithoutPretraining()
    {
        using var folder = new TempFolder();

        var result = data.Train("--scheme", "finetune-only", "--out", folder.Path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var summary = JsonNode.Parse(File.ReadAllText(folder.File("summary.json")))!;
        Assert.Equal("finetune-only", (string?)summary["scheme"]);
        Assert.Equal(0, (int)summary["pretrainRounds"]!);
        Assert.Null(summary["pretrainTestAccuracy"]);
        Assert.DoesNotContain(",pretrain,", File.ReadAllText(folder.File("rounds.csv")));
    }

    [Theory]
    [InlineData("device-count", "devices has 2 entries; the scenario has 3 devices")]
    [InlineData("unknown-id", "devices[1].id is \"nobody\"")]
    [InlineData("negative-batch", "devices[0].batch")]
    [InlineData("corrupted", "plan.json")]
    public void Train_BadPlanFile_Exit2NamingTheProblem(string damage, string expected)
    {
        using var folder = new TempFolder();
        var plan = data.Plan();
        var devices = plan["devices"]!.AsArray();
        string text = damage switch
        {
            "device-count" => Mutate(() => devices.RemoveAt(2)),
            "unknown-id" => Mutate(() => devices[1]!["id"] = "nobody"),
            "negative-batch" => Mutate(() => devices[0]!["batch"] = -4),
            _ => data.PlanText[..(data.PlanText.Length / 2)],
        };
        string path = folder.Write("plan.json", text);

        var result = data.Train("--plan", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains(result.ErrorLines, l => l.Contains(expected, StringComparison.Ordinal));
        Assert.All(result.ErrorLines, l => Assert.DoesNotContain("   at ", l));
        Assert.DoesNotContain("Training summary", result.Output);

        string Mutate(Action change)
        {
            change();
            return plan.ToJsonString();
        }
    }

    [Theory]
    [InlineData("batch", "devices[0].batch is 33, must be ≤ 32")]
    [InlineData("power", "devices[1].powerW is 5, must be ≤ ")]
    [InlineData("rounds", "pretrainRounds is 1E+09, must be ≤ 40")]
    [InlineData("budget", "budget.delayS is ")]
    public void Train_PlanBreakingTheScenario_Exit3ListsTheViolationsBeforeTraining(string damage, string expected)
    {
        using var folder = new TempFolder();
        var plan = data.Plan();
        var devices = plan["devices"]!.AsArray();
        switch (damage)
        {
            case "batch": devices[0]!["batch"] = 33; break;
            case "power": devices[1]!["powerW"] = 5.0; break;
            case "rounds": plan["pretrainRounds"] = 1_000_000_000; break;
            default: plan["pretrainRounds"] = 40; plan["finetuneRounds"] = 40; break;
        }

        string path = folder.Write("plan.json", plan.ToJsonString());

        var result = data.Train("--plan", path, "--out", folder.File("run"));

        Assert.Equal(ExitCodes.Infeasible, result.ExitCode);
        string line = result.SingleErrorLine();
        Assert.StartsWith($"Unable to train: the plan {path} violates ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.EndsWith("add --allow-violations to train it anyway.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Plan versus actual", result.Output);
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void Train_PlanBreakingTheScenarioAllowed_RunsAndRecordsTheViolations()
    {
        using var folder = new TempFolder();
        var plan = data.Plan();
        plan["devices"]![0]!["batch"] = 33;
        string path = folder.Write("plan.json", plan.ToJsonString());

        var result = data.Train("--plan", path, "--out", folder.File("run"), "--allow-violations");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains(result.ErrorLines, l => l.StartsWith($"Warning: the plan {path} violates 1 constraint(s): devices[0].batch is 33", StringComparison.Ordinal));
        Assert.Contains("violated", result.Output);
        var summary = JsonNode.Parse(File.ReadAllText(folder.File("run/summary.json")))!;
        var violations = summary["violations"]!.AsArray().Select(v => (string)v!).ToArray();
        Assert.Equal(["devices[0].batch is 33, must be ≤ 32 (slack -1)"], violations);
    }

    [Fact]
    public void Train_FeasiblePlan_RecordsNoViolations()
    {
        using var folder = new TempFolder();

        var result = data.Train("--plan", data.PlanPath, "--out", folder.File("run"));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Empty(JsonNode.Parse(File.ReadAllText(folder.File("run/summary.json")))!["violations"]!.AsArray());
        Assert.DoesNotContain("violated", result.Output);
    }

    [Theory]
    [InlineData("--plan and --scheme were both given", "--plan", "PLAN", "--scheme", "joint")]
    [InlineData("--scheme is 'best'; it must be one of", "--scheme", "best")]
    [InlineData("--split is 'dirichlet:-1'", "--split", "dirichlet:-1")]
    [InlineData("--fading is 'rician'; it must be none or rayleigh.", "--fading", "rician")]
    [InlineData("--gradient-samples is 5; it must be at least 20", "--gradient-samples", "5")]
    [InlineData("--seeds is '1,x'; it must be comma-separated whole numbers", "--seeds", "1,x")]
    [InlineData("--seeds is '2,2'; seed 2 appears twice", "--seeds", "2,2")]
    [InlineData("--seed and --seeds were both given", "--seed", "1", "--seeds", "1,2")]
    [InlineData("--dataset is 'idx:nowhere/x'; no IDX files nowhere/x-images-idx3-ubyte", "--dataset", "idx:nowhere/x")]
    [InlineData("--hidden is '12,x'", "--hidden", "12,x")]
    [InlineData("--model is lenet; it needs 28x28 images", "--model", "lenet")]
    public void Train_BadOption_Exit2OneLine(string expected, params string[] args)
    {
        var result = data.Train([.. args.Select(a => a == "PLAN" ? data.PlanPath : a)]);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith(expected, result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void Train_ModelOfAnotherSize_Exit2UnlessAccepted()
    {
        var refused = data.Train("--plan", data.PlanPath, "--hidden", "17");
        var accepted = data.Train("--plan", data.PlanPath, "--hidden", "17", "--accept-model-size");

        Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
        Assert.StartsWith("Unable to train: model.uploadBits is 38720; the mlp 64-17-10 model has", refused.SingleErrorLine(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, accepted.ExitCode);
    }

    [Fact]
    public void Train_Seeds_OneFolderPerSeedAndMeanSummary()
    {
        using var folder = new TempFolder();
        string dir = folder.File("seeds");

        var result = data.Train("--plan", data.PlanPath, "--seeds", "4,5", "--out", dir);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("2 seeds", result.Output);
        var runs = new[] { 4, 5 }.Select(s => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, $"seed-{s}", "summary.json")))!).ToArray();
        Assert.Equal(new[] { 4, 5 }, runs.Select(r => (int)r["seed"]!));
        var mean = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!;
        Assert.Equal(new[] { 4, 5 }, mean["seeds"]!.AsArray().Select(s => (int)s!));
        double[] accuracies = runs.Select(r => (double)r["finalTestAccuracy"]!).ToArray();
        Assert.Equal(accuracies.Average(), (double)mean["finalTestAccuracy"]!["mean"]!, 12);
        Assert.Equal(Math.Abs(accuracies[0] - accuracies[1]) / Math.Sqrt(2), (double)mean["finalTestAccuracy"]!["std"]!, 12);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "summary.csv")).Length);
        Assert.DoesNotContain(Directory.GetDirectories(folder.Path), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void Train_OutIntoAFolderThatIsNotAnEarlierRun_RefusedBeforeTrainingAndLeftAlone()
    {
        using var folder = new TempFolder();
        string mine = folder.Write("mine/notes.txt", "keep me");

        var result = data.Train("--plan", data.PlanPath, "--out", folder.File("mine"));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("is not an earlier EdgeLearn output folder", result.SingleErrorLine());
        Assert.Equal("keep me", File.ReadAllText(mine));
        Assert.DoesNotContain("Plan versus actual", result.Output);
    }

    [Fact]
    public void Train_OutIntoAnEarlierRunWithForce_ReplacesIt()
    {
        using var folder = new TempFolder();
        string dir = folder.File("run");
        Assert.Equal(ExitCodes.Ok, data.Train("--plan", data.PlanPath, "--out", dir, "--seed", "3").ExitCode);
        File.WriteAllText(Path.Combine(dir, "ranking.json"), "{}"); // a file a run writes, left from another kind of run

        var refused = data.Train("--plan", data.PlanPath, "--out", dir, "--seed", "4");
        var again = data.Train("--plan", data.PlanPath, "--out", dir, "--seed", "4", "--force");

        Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
        Assert.Equal($"--out is '{dir}'; it must be a folder that can be created and written (it holds an earlier run's output; add --force to replace it, or name a new or empty folder).", refused.SingleErrorLine());
        Assert.Equal(ExitCodes.Ok, again.ExitCode);
        Assert.Equal(4, (int)JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!["seed"]!);
        Assert.False(File.Exists(Path.Combine(dir, "ranking.json")));
        Assert.Single(Directory.GetFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData("--plan", "plan.json")]
    [InlineData("--init-from", "model-final.bin")]
    public void Train_ForceIntoTheFolderThatHoldsAnInput_Exit2KeepsTheInput(string option, string file)
    {
        // Replacing an earlier run's folder with --force would delete its plan.json or model-final.bin while it is
        // being read as this run's input (e.g. continuing training into the same folder).
        using var folder = new TempFolder();
        string dir = folder.File("run");
        Assert.Equal(ExitCodes.Ok, data.Train("--plan", data.PlanPath, "--out", dir, "--seed", "3").ExitCode);
        string input = Path.Combine(dir, file);
        byte[] before = File.ReadAllBytes(input);
        string[] args = option == "--plan" ? ["--plan", input] : ["--plan", data.PlanPath, "--init-from", input];

        var result = data.Train([.. args, "--out", dir + "/", "--seed", "4", "--force"]);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"--out is '{dir}/', which holds the input {option} '{input}'; the run replaces that folder, so name another --out or move the input out of it.", result.SingleErrorLine());
        Assert.Equal(before, File.ReadAllBytes(input));
        Assert.Equal(3, (int)JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!["seed"]!);
    }

    [Theory]
    [InlineData("not json", "thesis.tex", "its summary.json is not JSON")]
    [InlineData("{\"title\": \"my notes\"}", "thesis.tex", "its summary.json is not an EdgeLearn summary")]
    [InlineData(null, "thesis.tex", "it holds 'thesis.tex', which no run writes")]
    public void Train_ForceIntoAFolderThatIsNotAnEarlierRun_Exit2KeepsEveryFile(string? summary, string precious, string why)
    {
        using var folder = new TempFolder();
        string dir = folder.File("d");
        if (summary is null)
        {
            Assert.Equal(ExitCodes.Ok, data.Train("--plan", data.PlanPath, "--out", dir, "--seed", "3").ExitCode);
        }
        else
        {
            folder.Write("d/summary.json", summary);
        }

        folder.Write(Path.Combine("d", precious), "precious");
        string[] before = Directory.GetFileSystemEntries(dir);

        var result = data.Train("--plan", data.PlanPath, "--out", dir, "--seed", "4", "--force");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"--out is '{dir}'; it must be a folder that can be created and written (it exists and is not an earlier EdgeLearn output folder ({why}), so it is not replaced; name a new or empty folder).", result.SingleErrorLine());
        Assert.Equal("precious", File.ReadAllText(Path.Combine(dir, precious)));
        Assert.Equal(before.Order(), Directory.GetFileSystemEntries(dir).Order());
        Assert.Equal(["d"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Train_StepSizeTooLarge_Exit2SaysItDiverged()
    {
        using var folder = new TempFolder();
        string path = WriteDivergingScenario(folder);

        var result = CliRunner.Run(["train", "--scenario", path, "--plan", data.PlanPath, .. TrainingTestData.FastData]);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith("Training the joint plan", result.ErrorLines[0], StringComparison.Ordinal); // a status line, on stderr
        Assert.Contains("training diverged in pre-training round", Assert.Single(result.ErrorLines[1..]));
        Assert.DoesNotContain("NaN", result.Output);
    }

    [Theory]
    [InlineData("--general-size", "5000")]
    [InlineData("--test-size", "5000")]
    public void Train_MoreImagesThanTheDatasetHolds_Exit2NamesTheOption(string option, string value)
    {
        using var folder = new TempFolder();
        var images = EdgeLearn.Training.SyntheticImages.Create(new EdgeLearn.Training.SyntheticImagesOptions { TrainCount = 900, TestCount = 100, Seed = 2 }).Ordered("mine");
        string prefix = IdxFiles.Write(folder.File("mine"), images);

        var result = data.Train("--dataset", "idx:" + prefix, option, value, "--accept-model-size");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        string line = result.ErrorLines[^1];
        Assert.Contains($"{option} is {value}", line, StringComparison.Ordinal);
        Assert.DoesNotContain("generalSize", line, StringComparison.Ordinal);
        Assert.DoesNotContain("taskTestSize", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_AfterAKilledRun_DeletesItsStaleTemporaryFolder()
    {
        using var folder = new TempFolder();
        string stale = folder.Write($".run.{Guid.NewGuid():N}.tmp/summary.json", "{}");
        string other = folder.Write($".other.{Guid.NewGuid():N}.tmp/summary.json", "{}");

        var result = data.Train("--plan", data.PlanPath, "--out", folder.File("run"), "--seed", "3");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(other)); // another target's: not this run's to delete
        Assert.True(Directory.Exists(folder.File("run")));
    }

    [Fact]
    public void Train_DivergesWithSeveralSeeds_WritesAFlaggedTopLevelSummary()
    {
        using var folder = new TempFolder();
        string path = WriteDivergingScenario(folder);
        string dir = folder.File("r");

        var result = CliRunner.Run(["train", "--scenario", path, "--plan", data.PlanPath, "--seeds", "1,2", "--out", dir, .. TrainingTestData.FastData]);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        string line = result.ErrorLines[^1];
        Assert.StartsWith("Unable to train seed 1: ", line, StringComparison.Ordinal);
        Assert.Contains($"A summary flagged \"diverged\" is in {dir}, the rounds before it in {Path.Combine(dir, "seed-1")}.", line, StringComparison.Ordinal);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!;
        Assert.True((bool)summary["diverged"]!);
        Assert.Equal(1, (int)summary["seed"]!);
        Assert.Equal("joint", (string?)summary["scheme"]);
        Assert.Empty(summary["completedSeeds"]!.AsArray());
        Assert.Contains("training diverged", (string?)summary["reason"], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "seed-1", "rounds.csv")));
        Assert.True((bool)JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "seed-1", "summary.json")))!["diverged"]!);
        Assert.Equal(["r"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName).Where(n => n != "huge.json"));
    }

    [Fact]
    public void Train_DivergesWithSeveralSchemes_WritesAFlaggedFolder()
    {
        using var folder = new TempFolder();
        string path = WriteDivergingScenario(folder);
        string dir = folder.File("r");

        var result = CliRunner.Run(["train", "--scenario", path, "--scheme", "joint,finetune-only", "--out", dir, .. TrainingTestData.FastData]);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        string line = result.ErrorLines[^1];
        Assert.Matches("^Unable to train (joint|finetune-only) \\(seed 1\\): ", line);
        Assert.Contains($"A summary flagged \"diverged\" is in {dir}", line, StringComparison.Ordinal);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!;
        Assert.True((bool)summary["diverged"]!);
        Assert.Equal(1, (int)summary["seed"]!);
        Assert.NotNull(summary["completedSchemes"]);
        Assert.True(File.Exists(Path.Combine(dir, "rounds.csv")));
        Assert.True(File.Exists(Path.Combine(dir, "plan.json")));
        Assert.DoesNotContain("   at ", result.ErrorLines[^1]);
    }

    [Fact]
    public void Train_LossExplodes_StopsExit2AndWritesAFlaggedSummary()
    {
        // Finite but exploding (1e8 steps): the loss passes 100 times its start within rounds and never becomes NaN first.
        using var folder = new TempFolder();
        string path = WriteDivergingScenario(folder);
        string dir = folder.File("run");

        var result = CliRunner.Run(["train", "--scenario", path, "--plan", data.PlanPath, "--out", dir, .. TrainingTestData.FastData]);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith("Training the joint plan", result.ErrorLines[0], StringComparison.Ordinal); // a status line, on stderr
        string line = Assert.Single(result.ErrorLines[1..]);
        Assert.Contains("training diverged in pre-training round", line, StringComparison.Ordinal);
        Assert.Contains("times the initial", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Plan versus actual", result.Output);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!;
        Assert.True((bool)summary["diverged"]!);
        Assert.Equal("pretrain", (string?)summary["stage"]);
        int round = (int)summary["round"]!;
        Assert.InRange(round, 1, 5);
        Assert.Equal(1 + 1 + (round - 1), File.ReadAllLines(Path.Combine(dir, "rounds.csv")).Length);
        Assert.DoesNotContain("NaN", File.ReadAllText(Path.Combine(dir, "rounds.csv")));
    }

    [Fact]
    public void Train_OutThatAnotherRunIsWriting_RefusedWithoutTouchingIt()
    {
        using var folder = new TempFolder();
        string dir = folder.File("run");
        // The lock another run holds while it writes (the same file and sharing as OutputFolder's).
        using var other = new FileStream(folder.File(".run.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);

        var result = data.Train("--plan", data.PlanPath, "--out", dir);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("another edgelearn run is writing to it now", result.SingleErrorLine(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
        Assert.Equal([folder.File(".run.lock")], Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Train_OneTaskImage_Exit2()
    {
        using var folder = new TempFolder();
        var one = data.Scenario with { Devices = [data.Scenario.Devices[0] with { DatasetSize = 1, MaxBatch = 1 }] };
        string path = folder.Write("one.json", EdgeLearn.Scenarios.ScenarioJson.Serialize(one));

        var result = CliRunner.Run(["train", "--scenario", path, "--scheme", "finetune-only", .. TrainingTestData.FastData]);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("at least 2 are needed", result.SingleErrorLine());
    }

    [Fact]
    public void Train_DatasetNotCached_Exit2TellsHowToFetch()
    {
        using var cache = new TempFolder();

        var result = CliRunner.Run("train", "--scenario", data.ScenarioPath, "--plan", data.PlanPath, "--dataset", "mnist", "--cache", cache.Path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("run 'edgelearn data fetch mnist' first", result.SingleErrorLine());
    }

    [Fact]
    public void Train_InfeasibleScheme_Exit3()
    {
        using var folder = new TempFolder();
        var scenario = data.Scenario with { Budget = new EdgeLearn.Scenarios.BudgetSpec { EnergyJ = 1e-12, DelayS = 15 } };
        string path = folder.Write("broke.json", EdgeLearn.Scenarios.ScenarioJson.Serialize(scenario));

        var result = CliRunner.Run(["train", "--scenario", path, .. TrainingTestData.FastData]);

        Assert.Equal(ExitCodes.Infeasible, result.ExitCode);
        Assert.StartsWith("Unable to train: the joint scheme has no feasible plan", result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void TrainAllSchemes_TinyScenario_OneRowPerSchemeAndArraySummary()
    {
        using var folder = new TempFolder();

        var result = CliRunner.Run(["train", "--scenario", data.ScenarioPath, "--scheme", "all", "--out", folder.Path, .. TrainingTestData.FastData]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("Schemes trained on the same data and seed", result.Output);
        Assert.Contains(result.ErrorLines, l => l.StartsWith($"Training {SchemeNames.All.Count} schemes on synthetic", StringComparison.Ordinal));
        Assert.DoesNotContain("Training ", result.Output, StringComparison.Ordinal);
        var summaries = JsonNode.Parse(File.ReadAllText(folder.File("summary.json")))!.AsArray();
        Assert.Equal(SchemeNames.All.Select(s => s.ToName()), summaries.Select(s => (string?)s!["scheme"]));
        Assert.All(summaries, s => Assert.Equal("synthetic", (string?)s!["dataset"]));
        Assert.Equal(1 + SchemeNames.All.Count, File.ReadAllLines(folder.File("summary.csv")).Length);
        Assert.StartsWith("scheme,round,", File.ReadAllLines(folder.File("rounds.csv"))[0], StringComparison.Ordinal);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(folder.File("accuracy-energy.png"))[..4]);
        var ranking = JsonNode.Parse(File.ReadAllText(folder.File("ranking.json")))!;
        Assert.Equal(summaries.Select(s => (string?)s!["scheme"]), ranking["schemes"]!.AsArray().Select(s => (string?)s));
        var bounds = summaries.Select(s => (double)s!["predictedBound"]!).ToArray();
        var norms = summaries.Select(s => (double)s!["averageSquaredGradientNorm"]!).ToArray();
        Assert.Equal(EdgeLearn.Training.Measurement.Ranking.KendallTauB(bounds, norms), (double?)ranking["boundVsGradientNorm"]![0]);
        Assert.Contains("Kendall tau-b across the schemes", result.Output);
    }

    [Fact]
    public void TrainTwoSchemes_TrainsThoseTwoInTheOrderGiven()
    {
        using var folder = new TempFolder();

        var result = CliRunner.Run(["train", "--scenario", data.ScenarioPath, "--scheme", "separate,joint", "--out", folder.Path, .. TrainingTestData.FastData]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var summaries = JsonNode.Parse(File.ReadAllText(folder.File("summary.json")))!.AsArray();
        Assert.Equal(["separate", "joint"], summaries.Select(s => (string?)s!["scheme"]));
    }

    [Theory]
    [InlineData("joint,joint", "--scheme is 'joint,joint'; joint appears twice, and every scheme must appear once.")]
    [InlineData("joint,best", "--scheme is 'joint,best'; it must be one of joint, ")]
    public void TrainSchemes_BadList_ExitsWithOneLine(string schemes, string message)
    {
        var result = CliRunner.Run("train", "--scenario", data.ScenarioPath, "--scheme", schemes);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith(message, result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void CompareTrain_PointsToTrainSchemeAll()
    {
        var result = CliRunner.Run("compare", "--scenario", data.ScenarioPath, "--train");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("edgelearn train --scheme all", result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void CompareHelp_ListsOnlyItsOwnOptions()
    {
        var result = CliRunner.Run("compare", "--help");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("--scenario", result.Output);
        Assert.Contains("--json", result.Output);
        Assert.DoesNotContain("--dataset", result.Output);
        Assert.DoesNotContain("--train", result.Output);
    }

    [Fact]
    public void Compare_WithoutTrain_DoesNotTrain()
    {
        var result = CliRunner.Run("compare", "--scenario", data.ScenarioPath);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.DoesNotContain("Schemes trained", result.Output);
    }
    /// <summary>The test scenario with step sizes of 1e8 (valid by the learning ranges, so the plan check passes), which
    /// makes training diverge in its first rounds; written as huge.json in <paramref name="folder"/>.</summary>
    private string WriteDivergingScenario(TempFolder folder)
    {
        var huge = data.Scenario with { Learning = data.Scenario.Learning with { Smoothness = 1e-8, PlConstant = 1e-9, StepSize = 1e8, PretrainStepSize = 1e8 } };
        return folder.Write("huge.json", EdgeLearn.Scenarios.ScenarioJson.Serialize(huge));
    }
}
