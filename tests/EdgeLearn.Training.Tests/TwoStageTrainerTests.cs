using EdgeLearn.Scenarios;
using EdgeLearn.Planning;

namespace EdgeLearn.Training.Tests;

public sealed class TwoStageTrainerTests
{
    [Fact]
    public void Run_TinySyntheticData_LossFallsAndAccuracyBeatsChance()
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, pretrainRounds: 30, finetuneRounds: 40);

        var result = TwoStageTrainer.Run(scenario, plan, Fixtures.Data(scenario), Fixtures.Options());

        Assert.Equal(1 + 30 + 40, result.Rounds.Count);
        Assert.Equal(Enumerable.Range(0, 71), result.Rounds.Select(r => r.Round));
        Assert.Equal(TrainingStage.Initial, result.Rounds[0].Stage);
        Assert.All(result.Rounds.Skip(1).Take(30), r => Assert.Equal(TrainingStage.Pretrain, r.Stage));
        Assert.All(result.Rounds.Skip(31), r => Assert.Equal(TrainingStage.Finetune, r.Stage));
        double early = result.Rounds.Skip(1).Take(5).Average(r => r.TrainingLoss!.Value);
        double late = result.Rounds.TakeLast(5).Average(r => r.TrainingLoss!.Value);
        Assert.True(late < 0.7 * early, $"training loss went from {early} to {late}");
        Assert.True(result.Rounds[^1].GradientNormSquared < result.Rounds.Max(r => r.GradientNormSquared) / 2);

        var summary = result.Summary;
        Assert.True(summary.FinalTestAccuracy > 0.6, $"accuracy {summary.FinalTestAccuracy} (chance is 0.25)");
        Assert.Equal(result.Rounds[^1].TestAccuracy, summary.FinalTestAccuracy);
        Assert.Equal(result.Rounds[30].TestAccuracy, summary.PretrainTestAccuracy);
        Assert.Equal(result.Rounds.Skip(31).Average(r => r.GradientNormSquared), summary.AverageSquaredGradientNorm, 12);
        Assert.Equal("joint", summary.Scheme);
        Assert.Equal("synthetic", summary.Dataset);
        Assert.Equal("mlp 64-16-4", summary.Model);
        Assert.Equal((64 * 16) + 16 + (16 * 4) + 4, summary.ParameterCount);
        Assert.Equal(0, summary.DeadlineMisses);
    }

    [Fact]
    public void Run_StaticChannel_TotalsEqualPlanEvaluatorExactly()
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, pretrainRounds: 7, finetuneRounds: 11);

        var summary = TwoStageTrainer.Run(scenario, plan, Fixtures.Data(scenario), Fixtures.Options()).Summary;

        var evaluation = PlanEvaluator.Evaluate(scenario, plan);
        Assert.Equal(evaluation.DelayS, summary.DelayS);
        Assert.Equal(evaluation.EnergyJ, summary.EnergyJ);
        Assert.Equal(evaluation.DelayS, summary.PredictedDelayS);
        Assert.Equal(evaluation.Bound, summary.PredictedBound);
    }

    [Fact]
    public void Run_NoPretrainRounds_SkipsPretraining()
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, pretrainRounds: 0, finetuneRounds: 12);

        var result = TwoStageTrainer.Run(scenario, plan, Fixtures.Data(scenario), Fixtures.Options());

        Assert.DoesNotContain(result.Rounds, r => r.Stage == TrainingStage.Pretrain);
        Assert.Equal(13, result.Rounds.Count);
        Assert.Null(result.Summary.PretrainTestAccuracy);
        Assert.Equal(0, result.Summary.PretrainRounds);
        var evaluation = PlanEvaluator.Evaluate(scenario, plan);
        Assert.Equal(evaluation.DelayS, result.Summary.DelayS);
        Assert.Equal(evaluation.EnergyJ, result.Summary.EnergyJ);
        Assert.Equal(evaluation.FinetuneRound.DelayS, result.Rounds[1].RoundDelayS);
    }

    [Fact]
    public void Run_SameSeed_IdenticalMetrics()
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, pretrainRounds: 10, finetuneRounds: 15);
        var options = Fixtures.Options(seed: 7) with { Fading = ChannelFading.Rayleigh };

        var first = TwoStageTrainer.Run(scenario, plan, Fixtures.Data(scenario, seed: 7), options);
        var second = TwoStageTrainer.Run(scenario, plan, Fixtures.Data(scenario, seed: 7), options);
        var other = TwoStageTrainer.Run(scenario, plan, Fixtures.Data(scenario, seed: 7), options with { Seed = 8 });

        Assert.Equal(first.Rounds, second.Rounds);
        Assert.Equal(first.Summary with { WallClockS = 0, DeviceBatches = [], Violations = [] }, second.Summary with { WallClockS = 0, DeviceBatches = [], Violations = [] });
        Assert.Equal(first.Summary.DeviceBatches, second.Summary.DeviceBatches);
        Assert.Equal(first.Summary.Violations, second.Summary.Violations);
        Assert.NotEqual(first.Rounds.Select(r => r.TrainingLoss), other.Rounds.Select(r => r.TrainingLoss));
    }

    [Fact]
    public void Run_DevicesInParallel_SameModelAsSequential()
    {
        // Without pre-training only the devices update the model; each computes on its own single-threaded copy and the
        // server reduces in device order, so the thread count must not change a bit of the trajectory.
        var scenario = Fixtures.Scenario(devices: 4);
        var plan = Fixtures.Plan(scenario, pretrainRounds: 0, finetuneRounds: 20);
        var data = Fixtures.Data(scenario);

        var sequential = TwoStageTrainer.Run(scenario, plan, data, Fixtures.Options() with { Parallelism = 1 });
        var parallel = TwoStageTrainer.Run(scenario, plan, data, Fixtures.Options() with { Parallelism = 2 });

        Assert.Equal(sequential.Rounds.Select(r => r.TrainingLoss), parallel.Rounds.Select(r => r.TrainingLoss));
        Assert.Equal(sequential.Rounds.Select(r => r.TestLoss), parallel.Rounds.Select(r => r.TestLoss));
    }

    [Fact]
    public void Run_Rayleigh_RecordsMissesAndRealTotals()
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, pretrainRounds: 2, finetuneRounds: 30);

        var summary = TwoStageTrainer.Run(scenario, plan, Fixtures.Data(scenario), Fixtures.Options() with { Fading = ChannelFading.Rayleigh }).Summary;

        Assert.Equal("rayleigh", summary.Fading);
        Assert.True(summary.DeadlineMisses > 0);
        Assert.NotEqual(summary.PredictedDelayS, summary.DelayS);
        Assert.True(summary.DelayS > 0 && double.IsFinite(summary.EnergyJ));
    }

    [Fact]
    public void Run_Progress_ReportsEveryRoundInOrder()
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, pretrainRounds: 3, finetuneRounds: 4);
        var seen = new List<int>();

        TwoStageTrainer.Run(scenario, plan, Fixtures.Data(scenario), Fixtures.Options(), new Recorder(seen));

        Assert.Equal(Enumerable.Range(0, 8), seen);
    }

    [Fact]
    public void Check_MismatchedPlanAndBadOptions_ReportsEachProblem()
    {
        var scenario = Fixtures.Scenario();
        var data = Fixtures.Data(scenario);
        var wrongCount = Fixtures.Plan(Fixtures.Scenario(devices: 2), 1, 1);
        var options = Fixtures.Options() with { GradientSamples = 5, EvaluationInterval = 0 };

        var problems = TwoStageTrainer.Check(scenario, wrongCount, data, options);

        Assert.Contains(problems, p => p.Contains("devices has 2 entries", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("gradientSamples is 5", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("evaluationInterval is 0", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new TwoStageTrainer(scenario, wrongCount, data, Fixtures.Options()));
    }

    [Fact]
    public void TryCreate_ReportsWhatCheckReports_AndRunsLikeRun()
    {
        var scenario = Fixtures.Scenario();
        var data = Fixtures.Data(scenario);
        var wrongCount = Fixtures.Plan(Fixtures.Scenario(devices: 2), 1, 1);
        var badOptions = Fixtures.Options() with { GradientSamples = 5 };
        var plan = Fixtures.Plan(scenario, pretrainRounds: 3, finetuneRounds: 4);

        bool refused = TwoStageTrainer.TryCreate(scenario, wrongCount, data, badOptions, out var none, out var problems);
        bool created = TwoStageTrainer.TryCreate(scenario, plan, data, Fixtures.Options(), out var trainer, out var noProblems);

        Assert.False(refused);
        Assert.Null(none);
        Assert.Equal(TwoStageTrainer.Check(scenario, wrongCount, data, badOptions), problems);
        Assert.True(created);
        Assert.Empty(noProblems);
        var viaTrainer = trainer!.Run();
        var viaRun = TwoStageTrainer.Run(scenario, plan, Fixtures.Data(scenario), Fixtures.Options());
        Assert.Equal(viaRun.Rounds, viaTrainer.Rounds);
        Assert.Equal(viaRun.Summary.EnergyJ, viaTrainer.Summary.EnergyJ);
    }

    [Fact]
    public void Check_PlanBreakingTheScenario_RefusedUnlessAllowed_ThenRecorded()
    {
        var scenario = Fixtures.Scenario();
        var data = Fixtures.Data(scenario);
        var plan = Fixtures.Plan(scenario, 2, 3) with { PretrainRounds = scenario.Limits.MaxPretrainRounds + 1 };
        var allowed = Fixtures.Options() with { AllowViolations = true };

        var refused = TwoStageTrainer.Check(scenario, plan, data, Fixtures.Options());
        var accepted = TwoStageTrainer.Check(scenario, plan, data, allowed);

        string problem = Assert.Single(refused);
        Assert.StartsWith("the plan breaks ", problem, StringComparison.Ordinal);
        Assert.Contains($"pretrainRounds is {scenario.Limits.MaxPretrainRounds + 1}, must be ≤ {scenario.Limits.MaxPretrainRounds}", problem, StringComparison.Ordinal);
        Assert.Empty(accepted);
        var violations = PlanEvaluator.Evaluate(scenario, plan).Violations.Select(c => c.Describe()).ToArray();
        Assert.NotEmpty(violations);
        var small = Fixtures.Plan(scenario, 1, 2) with { Devices = [.. Fixtures.Plan(scenario, 1, 2).Devices.Select(d => d with { PowerW = 50 })] };
        var summary = TwoStageTrainer.Run(scenario, small, data, allowed).Summary;
        Assert.Equal(PlanEvaluator.Evaluate(scenario, small).Violations.Select(c => c.Describe()), summary.Violations);
        Assert.Contains(summary.Violations, v => v.StartsWith("devices[0].powerW is 50, must be ≤ ", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_LeNetOnSmallImages_IsRejected()
    {
        var scenario = Fixtures.Scenario();

        var problems = TwoStageTrainer.Check(scenario, Fixtures.Plan(scenario, 1, 1), Fixtures.Data(scenario), Fixtures.Options() with { Model = ModelKind.LeNet });

        Assert.Contains(problems, p => p.Contains("LeNet", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_ModelSizeMismatch_IsRejectedUnlessAccepted()
    {
        var scenario = Fixtures.Scenario() with { Model = new ModelSpec { UploadBits = 3_256_640 } };
        var plan = Fixtures.Plan(scenario, 1, 1);
        var data = Fixtures.Data(scenario);

        var problems = TwoStageTrainer.Check(scenario, plan, data, Fixtures.Options());
        var accepted = TwoStageTrainer.Check(scenario, plan, data, Fixtures.Options() with { AcceptModelSizeMismatch = true });
        var wider = TwoStageTrainer.Check(Fixtures.Scenario(), plan, data, Fixtures.Options() with { HiddenSizes = [17] });

        string problem = Assert.Single(problems);
        Assert.StartsWith("model.uploadBits is 3256640; the mlp 64-16-4 model has 1,108 parameters, so it uploads 35456 bits", problem, StringComparison.Ordinal);
        Assert.Empty(accepted);
        Assert.Contains(wider, p => p.Contains("1,177 parameters", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_StepSizes_AreTheScenarios()
    {
        var scenario = Fixtures.Scenario();
        var slow = scenario with { Learning = scenario.Learning with { StepSize = 0.01, PretrainStepSize = 0.01 } };
        var plan = Fixtures.Plan(scenario, pretrainRounds: 5, finetuneRounds: 10);

        var fast = TwoStageTrainer.Run(scenario, plan, Fixtures.Data(scenario), Fixtures.Options()).Summary;
        var slowRun = TwoStageTrainer.Run(slow, plan, Fixtures.Data(scenario), Fixtures.Options()).Summary;

        Assert.Equal(0.2, fast.PretrainLearningRate);
        Assert.Equal(0.2, fast.FinetuneLearningRate);
        Assert.Equal(0.01, slowRun.FinetuneLearningRate);
        Assert.True(slowRun.FinalTestLoss > fast.FinalTestLoss, $"a 20x smaller step should learn less: {slowRun.FinalTestLoss} vs {fast.FinalTestLoss}");
    }

    [Fact]
    public void Run_GradientSamplesCoverTheTaskData_MeasuresTheExactFullGradient()
    {
        var scenario = Fixtures.Scenario();
        var data = Fixtures.Data(scenario);
        var options = Fixtures.Options() with { GradientSamples = 10_000 };
        var plan = Fixtures.Plan(scenario, pretrainRounds: 0, finetuneRounds: 3);
        var network = EdgeLearn.Learning.Mlp.Create(options.Seed, new EdgeLearn.Learning.MlpOptions { InputSize = data.InputSize, HiddenSizes = [16], ClassCount = data.ClassCount });
        network.ComputeGradient(data.TaskSet.Features, data.TaskSet.Labels);

        var result = TwoStageTrainer.Run(scenario, plan, data, options);

        Assert.Equal(300, result.Summary.GradientSamples);
        Assert.Equal(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(network.Gradients), result.Rounds[0].GradientNormSquared, 1e-4);
        Assert.Equal(0, result.Rounds[0].GradientNormStdErr);
    }

    [Fact]
    public void Summary_PlanVersusActual_RatiosOfMeasuredToPlanned()
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, pretrainRounds: 2, finetuneRounds: 6);

        var s = TwoStageTrainer.Run(scenario, plan, Fixtures.Data(scenario), Fixtures.Options()).Summary;

        Assert.Equal(s.AverageSquaredGradientNorm / s.PredictedBound, s.BoundRatio, 12);
        Assert.Equal(s.AverageSquaredGradientNorm <= s.PredictedBound, s.BoundHeld);
        Assert.Equal(1.0, s.DelayRatio, 12);
        Assert.Equal(1.0, s.EnergyRatio, 12);
        Assert.True(s.AverageSquaredGradientNormStdErr > 0);
        Assert.Equal(TrainingOptions.GradientGroups, s.GradientGroups);
    }

    [Fact]
    public void SeedSummary_MeansAndSampleStandardDeviations()
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, pretrainRounds: 1, finetuneRounds: 4);
        var runs = new[] { 1, 2, 3 }.Select(seed => TwoStageTrainer.Run(scenario, plan, Fixtures.Data(scenario, seed), Fixtures.Options(seed)).Summary).ToArray();

        var summary = SeedSummary.From(runs);

        double[] acc = runs.Select(r => r.FinalTestAccuracy).ToArray();
        double mean = acc.Average();
        Assert.Equal([1, 2, 3], summary.Seeds);
        Assert.Equal(mean, summary.FinalTestAccuracy.Mean, 12);
        Assert.Equal(Math.Sqrt(acc.Sum(a => (a - mean) * (a - mean)) / 2), summary.FinalTestAccuracy.Std, 12);
        Assert.Equal(runs.Count(r => r.BoundHeld), summary.BoundHeldRuns);
        Assert.Throws<ArgumentException>(() => SeedSummary.From([runs[0], runs[1] with { FinetuneRounds = 9 }]));
    }

    private sealed class Recorder(List<int> seen) : IProgress<RoundRecord>
    {
        public void Report(RoundRecord value) => seen.Add(value.Round);
    }
}
