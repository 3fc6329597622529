using EdgeLearn.Data.Shift;
using EdgeLearn.Scenarios;
using EdgeLearn.Training.Calibration;

namespace EdgeLearn.Training.Tests.Calibration;

public sealed class CalibratorTests
{
    /// <summary>Short pilots on the tiny synthetic data: seconds, not minutes.</summary>
    private static readonly CalibrationOptions Fast = new()
    {
        Repeats = 2, PilotSteps = 60, PilotBatch = 32, Checkpoints = 5, TaskPilotSteps = 30, TaskCheckpoints = 3,
        GradientSamples = 100, GradientGroups = 10, CurvatureSamples = 100, WassersteinSamples = 100, WassersteinRepeats = 3,
    };

    private static readonly Lazy<CalibrationResult> Plain = new(() =>
        Calibrator.Run(Fixtures.Data(Fixtures.Scenario()), Fixtures.Options(), Fast));

    [Fact]
    public void Run_TinyData_WritesAValidScenarioForThisModel()
    {
        var result = Plain.Value;
        var calibrated = result.Apply(Fixtures.Scenario());
        var l = result.Learning;

        Assert.Empty(ScenarioValidator.Validate(calibrated));
        Assert.Equal(Fixtures.ParameterCount * 32.0, calibrated.Model.UploadBits);
        Assert.Equal(1 / l.Smoothness, l.StepSize, 12);
        Assert.Equal(l.StepSize, l.PretrainStepSize);
        Assert.All(new[] { l.Smoothness, l.PlConstant, l.GradientVariance, l.PretrainGradientVariance, l.PretrainInitialGap, l.TargetInitialGap },
            v => Assert.True(v > 0 && double.IsFinite(v), $"constant {v} must be positive and finite"));
        Assert.True(l.PlConstant <= l.Smoothness);
        Assert.Equal(0, l.Shift.OptimumGap);
        Assert.NotNull(l.Shift.MeasuredGap);
    }

    [Fact]
    public void Run_Report_HasEveryConstantWithSpreadAndEveryCheckpoint()
    {
        var report = Plain.Value.Report;

        Assert.Equal(
            ["smoothness", "stepSize", "pretrainStepSize", "plConstant", "gradientVariance", "pretrainGradientVariance", "pretrainInitialGap",
                "targetInitialGap", "shift.gap", "shift.wasserstein", "shift.dataLipschitz"],
            report.Constants.Select(c => c.Name));
        var smoothness = report.Constants[0];
        Assert.Equal(2, smoothness.Repeats.Count);
        Assert.Equal(smoothness.Repeats.Average(), smoothness.Value, 12);
        Assert.True(report.Constants.All(c => c.Method.Length > 20));
        int perPilot = Calibrator.CheckpointSteps(60, 5).Length + (2 * Calibrator.CheckpointSteps(30, 3).Length);
        Assert.Equal(2 * perPilot, report.Checkpoints.Count);
        Assert.True(report.Total.Seconds > 0 && report.Total.SampleGradients > 0);
    }

    [Fact]
    public void Run_SameSeed_SameConstants()
    {
        var again = Calibrator.Run(Fixtures.Data(Fixtures.Scenario()), Fixtures.Options(), Fast);

        Assert.Equal(Plain.Value.Learning, again.Learning);
    }

    [Fact]
    public void Run_RotatedTaskData_LargerShiftGap()
    {
        var scenario = Fixtures.Scenario();
        var rotated = Calibrator.Run(Fixtures.Data(scenario, shift: new ShiftConfig { RotationDegrees = 90 }), Fixtures.Options(), Fast);

        Assert.True(rotated.Learning.Shift.Gap > Plain.Value.Learning.Shift.Gap + 0.2,
            $"Gamma at 90° ({rotated.Learning.Shift.Gap}) must exceed Gamma without shift ({Plain.Value.Learning.Shift.Gap}) clearly");
        Assert.True(rotated.Report.Shift.Debiased > Plain.Value.Report.Shift.Debiased);
    }

    [Fact]
    public void Check_BadOptions_OneLineEach()
    {
        var problems = Calibrator.Check(Fixtures.Data(Fixtures.Scenario()), Fixtures.Options(), Fast with { Repeats = 0, StepFraction = 1.5 });

        Assert.Contains(problems, p => p.StartsWith("repeats is 0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("stepFraction is 1.5", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => Calibrator.Run(Fixtures.Data(Fixtures.Scenario()), Fixtures.Options(), Fast with { Repeats = 0 }));
    }
}
