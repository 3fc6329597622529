using EdgeLearn.Data.Shift;
using EdgeLearn.Learning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Training.Tests;

public class ReproducibilityTests
{
    [Fact]
    public void Run_KeepsTheWeightsAfterPretrainingAndAtTheEnd()
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, pretrainRounds: 4, finetuneRounds: 6);

        var result = TwoStageTrainer.Run(scenario, plan, Fixtures.Data(scenario), Fixtures.Options());

        Assert.NotNull(result.PretrainedWeights);
        Assert.NotNull(result.FinalWeights);
        Assert.Equal("mlp 64-16-4", result.FinalWeights.Architecture.ToString());
        Assert.Equal(Fixtures.ParameterCount, result.FinalWeights.Parameters.Length);
        Assert.NotEqual(result.PretrainedWeights.Parameters.ToArray(), result.FinalWeights.Parameters.ToArray());
    }

    [Theory]
    [InlineData(ChannelFading.None)]
    [InlineData(ChannelFading.Rayleigh)]
    public void Run_ResumedFromAnyRoundsCheckpoint_EndsBitIdenticalToTheUninterruptedRun(ChannelFading fading)
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, pretrainRounds: 3, finetuneRounds: 5);
        var data = Fixtures.Data(scenario);
        var options = Fixtures.Options() with { Fading = fading, EvaluationInterval = 2 };
        var checkpoints = new List<TrainingCheckpoint>();
        var whole = new TwoStageTrainer(scenario, plan, data, options).Run(new TrainingHooks { RoundCompleted = checkpoints.Add });
        Assert.Equal(Enumerable.Range(0, 9), checkpoints.Select(c => c.Round));

        foreach (var checkpoint in checkpoints)
        {
            var later = new List<int>();
            var resumed = new TwoStageTrainer(scenario, plan, data, options)
                .Run(new TrainingHooks { ResumeFrom = checkpoint, RoundCompleted = c => later.Add(c.Round) });

            Assert.Equal(whole.FinalWeights!.Parameters.ToArray(), resumed.FinalWeights!.Parameters.ToArray());
            Assert.Equal(whole.PretrainedWeights!.Parameters.ToArray(), resumed.PretrainedWeights!.Parameters.ToArray());
            Assert.Equal(whole.Rounds, resumed.Rounds);
            Assert.Equal(whole.Summary with { WallClockS = 0 }, resumed.Summary with { WallClockS = 0 }, SummaryComparer);
            Assert.Equal(Enumerable.Range(checkpoint.Round + 1, 8 - checkpoint.Round), later);
        }
    }

    [Fact]
    public void Run_CheckpointOfAnotherRun_IsRefusedNamingWhy()
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, pretrainRounds: 2, finetuneRounds: 2);
        var data = Fixtures.Data(scenario);
        TrainingCheckpoint? last = null;
        new TwoStageTrainer(scenario, plan, data, Fixtures.Options()).Run(new TrainingHooks { RoundCompleted = c => last = c });
        var trainer = new TwoStageTrainer(scenario, Fixtures.Plan(scenario, 1, 2), data, Fixtures.Options());

        var e = Assert.Throws<ArgumentException>(() => trainer.Run(new TrainingHooks { ResumeFrom = last }));

        Assert.Contains("its round is 4; this plan has rounds 0 to 3", e.Message);
    }

    /// <summary>Summaries compared field by field through their JSON (arrays by content).</summary>
    private static readonly IEqualityComparer<TrainingSummary> SummaryComparer = EqualityComparer<TrainingSummary>.Create(
        (a, b) => System.Text.Json.JsonSerializer.Serialize(a) == System.Text.Json.JsonSerializer.Serialize(b));

    [Fact]
    public void Run_NoPretraining_NoPretrainedWeights()
    {
        var scenario = Fixtures.Scenario();
        var result = TwoStageTrainer.Run(scenario, Fixtures.Plan(scenario, 0, 3), Fixtures.Data(scenario), Fixtures.Options());

        Assert.Null(result.PretrainedWeights);
        Assert.NotNull(result.FinalWeights);
    }

    [Fact]
    public void Run_FromTheFinalWeightsOfARun_StartsWhereThatRunEnded()
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, pretrainRounds: 5, finetuneRounds: 8);
        var data = Fixtures.Data(scenario);
        var first = TwoStageTrainer.Run(scenario, plan, data, Fixtures.Options());
        var saved = ModelFile.Deserialize(ModelFile.Serialize(first.FinalWeights!.Architecture, first.FinalWeights.Parameters.Span));

        var second = TwoStageTrainer.Run(scenario, plan, data, Fixtures.Options() with { InitialWeights = saved });

        Assert.Equal(first.Summary.FinalTestAccuracy, second.Summary.InitialTestAccuracy);
        Assert.Equal(first.Rounds[^1].TestLoss, second.Rounds[0].TestLoss);
    }

    [Fact]
    public void Check_WeightsOfAnotherArchitecture_NamesWhatDiffers()
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, 2, 2);
        var other = new MlpOptions { InputSize = 64, HiddenSizes = [8], ClassCount = 4 };
        var weights = new ModelWeights(ModelArchitecture.Of(other), Mlp.Create(1, other).Parameters.ToArray());

        var problems = TwoStageTrainer.Check(scenario, plan, Fixtures.Data(scenario), Fixtures.Options() with { InitialWeights = weights });

        var problem = Assert.Single(problems);
        Assert.Contains("mlp 64-8-4", problem);
        Assert.Contains("hidden sizes 8 instead of 16", problem);
    }

    [Fact]
    public void DataIdentity_SameInputsSameHash_SeedOrShiftChangesIt()
    {
        var scenario = Fixtures.Scenario();

        var first = DataIdentity.Of(Fixtures.Data(scenario, seed: 1), 1);
        var again = DataIdentity.Of(Fixtures.Data(scenario, seed: 1), 1);
        var otherSeed = DataIdentity.Of(Fixtures.Data(scenario, seed: 2), 2);
        var rotated = DataIdentity.Of(Fixtures.Data(scenario, seed: 1, shift: new ShiftConfig { RotationDegrees = 30 }), 1);

        Assert.Equal(first, again);
        Assert.Equal(64, first.Sha256.Length);
        Assert.Equal((300, 300, 200), (first.GeneralSamples, first.TaskSamples, first.TestSamples));
        Assert.NotEqual(first.Sha256, otherSeed.Sha256);
        Assert.NotEqual(first.Sha256, rotated.Sha256);
    }

    [Fact]
    public void Hashes_OfScenarioAndPlan_FollowTheirCanonicalJson()
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, 2, 3);

        Assert.Equal(Provenance.ScenarioHash(scenario), Provenance.ScenarioHash(Fixtures.Scenario()));
        Assert.NotEqual(Provenance.ScenarioHash(scenario), Provenance.ScenarioHash(scenario with { Name = "other" }));
        Assert.Equal(Provenance.Sha256(EdgeLearn.Planning.PlanJson.Serialize(plan) + "\n"), Provenance.PlanHash(plan));
        Assert.NotEqual(Provenance.PlanHash(plan), Provenance.PlanHash(Fixtures.Plan(scenario, 2, 4)));
    }

    [Fact]
    public void Hashes_OfALargeScenarioAndPlan_HashedWhileWritten_EqualTheHashOfTheirText()
    {
        // 3,000 devices: the JSON is over 1 MB, so the streamed hash crosses its 64 KB buffer many times.
        var scenario = ScenarioGenerator.Generate(3000, seed: 2);
        var plan = Fixtures.Plan(scenario, 2, 3);

        Assert.Equal(Provenance.Sha256(ScenarioJson.Serialize(scenario)), Provenance.ScenarioHash(scenario));
        Assert.Equal(Provenance.Sha256(EdgeLearn.Planning.PlanJson.Serialize(plan) + "\n"), Provenance.PlanHash(plan));
    }
}
