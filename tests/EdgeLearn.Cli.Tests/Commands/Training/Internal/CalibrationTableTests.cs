using EdgeLearn.Cli.Commands.Training.Internal;
using EdgeLearn.Cli.Tests.Training;
using EdgeLearn.Scenarios;
using EdgeLearn.Training.Calibration;
using Spectre.Console.Testing;

namespace EdgeLearn.Cli.Tests.Commands.Training.Internal;

public class CalibrationTableTests
{
    [Fact]
    public void Of_ExtremeValuesAndLongFieldNames_NoCellWrapsAt80()
    {
        var before = DefaultScenario.Create().Learning with { GradientVariance = 987654321.123, PretrainGradientVariance = 1.23456789e-100 };
        var compute = new ComputeSpent(12345.678, 1, 1);
        CalibratedConstant[] constants =
        [
            new("smoothness", "L", "learning.smoothness", -123456.789, 98765.4321, [], "", compute),
            new("pretrainGradientVariance", "sigma0^2", "learning.pretrainGradientVariance", 1.23456789e-123, 9.87654321e+123, [], "", compute),
            new("gradientVariance", "sigma^2", "learning.gradientVariance", 123456789.123, 0.000123456, [], "", compute),
            new("shift.dataLipschitz", "G", "learning.shift.dataLipschitz", double.NaN, double.PositiveInfinity, [], "", compute),
        ];
        var console = new TestConsole().Width(80);

        console.Write(CalibrationTable.Of("Calibrated constants: mlp 784-128-10 on mnist (rotate 30°, 3 pilots)", constants, before));

        TrainingTableWidthTests.AssertFits(console.Output);
        Assert.Contains("pretrainGradientVariance", console.Output);
    }
}
