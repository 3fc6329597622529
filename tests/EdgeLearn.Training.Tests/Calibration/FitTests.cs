using EdgeLearn.Training.Calibration;
using EdgeLearn.Training.Calibration.Internal;

namespace EdgeLearn.Training.Tests.Calibration;

public sealed class FitTests
{
    private static CheckpointRecord Checkpoint(PilotPath path, int step, double rate, double generalLoss = 1, double taskNoise = 0) =>
        new(0, path, step, rate, generalLoss, generalLoss, generalLoss, 0, 0, 0, 0, 0, 0, taskNoise, 5, 5);

    [Theory]
    [InlineData(0.2, 0.3)]
    [InlineData(0.05, 0.1)]
    [InlineData(1.0, 0.02)]
    public void FitLemma1_ExactCurve_RecoversContractionAndFloor(double mu, double floor)
    {
        const double Eta = 0.1, Phi0 = 2.3;
        int[] steps = Calibrator.CheckpointSteps(500, 10);
        var pilot = steps.Select(s =>
        {
            double r = Math.Pow(1 - (mu * Eta), s);
            return Checkpoint(PilotPath.General, s, Eta, (r * Phi0) + ((1 - r) * floor));
        }).ToArray();

        var (fittedMu, fittedFloor) = Fit.FitLemma1(pilot, optimum: 0);

        Assert.Equal(mu, fittedMu, mu * 0.02);
        Assert.Equal(floor, fittedFloor, floor * 0.02);
    }

    [Fact]
    public void FitLemma1_NoisyCurve_StaysAboveEveryCheckpoint()
    {
        var random = new Random(7);
        int[] steps = Calibrator.CheckpointSteps(500, 10);
        var pilot = steps.Select(s => Checkpoint(PilotPath.General, s, 0.1, (2.3 * Math.Pow(0.97, s)) + 0.2 + (s == 0 ? 0 : 0.05 * random.NextDouble()))).ToArray();

        var (mu, floor) = Fit.FitLemma1(pilot, optimum: 0);

        foreach (var c in pilot)
        {
            double r = Math.Pow(1 - (mu * 0.1), c.Step);
            Assert.True((r * pilot[0].GeneralLoss) + ((1 - r) * floor) >= c.GeneralLoss - 1e-9, $"the fitted curve dips below step {c.Step}");
        }
    }

    [Fact]
    public void FinetuningNoise_IsTheLargerStepAverageOfTheTwoTaskPaths()
    {
        CheckpointRecord[] records =
        [
            Checkpoint(PilotPath.General, 0, 0.1, taskNoise: 1000),
            Checkpoint(PilotPath.TaskFromPretrained, 0, 0.1, taskNoise: 100),
            Checkpoint(PilotPath.TaskFromPretrained, 10, 0.1, taskNoise: 20),
            Checkpoint(PilotPath.TaskFromPretrained, 100, 0.1, taskNoise: 20),
            Checkpoint(PilotPath.TaskFromScratch, 0, 0.1, taskNoise: 30),
            Checkpoint(PilotPath.TaskFromScratch, 100, 0.1, taskNoise: 30),
        ];

        // Pre-trained path: (60·10 + 20·90) / 100 = 24; from scratch: 30.
        Assert.Equal(30, Fit.FinetuningNoise(records), 12);
        Assert.Equal(24, Fit.FinetuningNoise(records.Where(r => r.Path != PilotPath.TaskFromScratch).ToArray()), 12);
        Assert.Equal(1000, Fit.FinetuningNoise(records.Take(1).ToArray()), 12);
    }

    private static CheckpointRecord Losses(int repeat, int step, double general, double holdout, double task) =>
        new(repeat, PilotPath.General, step, 0.1, general, holdout, task, 0, 0, 0, 0, 0, 0, 0, 5, 5);

    [Fact]
    public void ShiftGap_GrowingGap_IsTheLargestPilotMean()
    {
        // Pilot p, step s: task loss above the general loss by 0.1 s (+0.01 p), held-out general loss by 0.02.
        var records = new[] { 0, 1, 2 }.SelectMany(p => new[] { 0, 5, 10 }.Select(s => Losses(p, s, 0.5, 0.52, 0.5 + (0.1 * s) + (0.01 * p)))).ToArray();

        var gap = Fit.ShiftGap(records);

        Assert.Equal(1.0 + 0.01 - 0.02, gap.Value, 12);
        Assert.Equal(0.01, gap.Spread, 12);
    }

    [Fact]
    public void ShiftGap_NoShiftNoise_AveragesBeforeTheMaximumAndNeverGoesBelowZero()
    {
        // Noise of ±0.05 that cancels across the pilots at every checkpoint: the mean curve is 0 everywhere.
        double[] noise = [0.05, -0.05, 0];
        var records = new[] { 0, 1, 2 }.SelectMany(p => new[] { 0, 5, 10 }.Select(s => Losses(p, s, 0.3, 0.4, 0.4 + (s == 5 ? noise[p] : -noise[p])))).ToArray();

        var gap = Fit.ShiftGap(records);
        var negative = Fit.ShiftGap(records.Select(r => r with { TaskLoss = r.TaskLoss - 0.2 }).ToArray());

        Assert.Equal(0, gap.Value, 12);
        Assert.Equal(0.05, gap.Spread, 12);
        Assert.Equal(0, negative.Value);
    }

    [Fact]
    public void CheckpointSteps_GeometricDistinctAndEndAtThePilotLength()
    {
        int[] steps = Calibrator.CheckpointSteps(500, 10);

        Assert.Equal(0, steps[0]);
        Assert.Equal(500, steps[^1]);
        Assert.True(steps.Zip(steps.Skip(1)).All(p => p.Second > p.First));
        Assert.Equal([0, 1], Calibrator.CheckpointSteps(1, 5));
    }
}
