using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Scenarios;

public class ScenarioValidatorTests
{
    private static readonly Dictionary<string, (Func<Scenario, Scenario> Break, string Message)> Cases = new()
    {
        ["server frequency zero"] = (s => s with { Server = s.Server with { MaxFrequencyHz = 0 } }, "server.maxFrequencyHz is 0; it must be positive."),
        ["server frequency NaN"] = (s => s with { Server = s.Server with { MaxFrequencyHz = double.NaN } }, "server.maxFrequencyHz is NaN; it must be a finite number."),
        ["server kappa negative"] = (s => s with { Server = s.Server with { Kappa = -1e-31 } }, "server.kappa is -1E-31; it must be positive."),
        ["server cycles infinite"] = (s => s with { Server = s.Server with { CyclesPerSample = double.PositiveInfinity } }, "server.cyclesPerSample is Infinity; it must be a finite number."),
        ["server batch zero"] = (s => s with { Server = s.Server with { MaxBatch = 0 } }, "server.maxBatch is 0; it must be at least 1."),
        ["device power negative"] = (s => Device(s, 3, d => d with { MaxPowerW = -0.1 }), "devices[3].maxPowerW is -0.1; it must be positive."),
        ["device power NaN"] = (s => Device(s, 3, d => d with { MaxPowerW = double.NaN }), "devices[3].maxPowerW is NaN; it must be a finite number."),
        ["device frequency infinite"] = (s => Device(s, 0, d => d with { MaxFrequencyHz = double.PositiveInfinity }), "devices[0].maxFrequencyHz is Infinity; it must be a finite number."),
        ["device frequency zero"] = (s => Device(s, 1, d => d with { MaxFrequencyHz = 0 }), "devices[1].maxFrequencyHz is 0; it must be positive."),
        ["device kappa zero"] = (s => Device(s, 1, d => d with { Kappa = 0 }), "devices[1].kappa is 0; it must be positive."),
        ["device cycles negative"] = (s => Device(s, 2, d => d with { CyclesPerSample = -5 }), "devices[2].cyclesPerSample is -5; it must be positive."),
        ["device bandwidth zero"] = (s => Device(s, 4, d => d with { BandwidthHz = 0 }), "devices[4].bandwidthHz is 0; it must be positive."),
        ["device gain negative"] = (s => Device(s, 5, d => d with { ChannelGain = -1e-9 }), "devices[5].channelGain is -1E-09; it must be positive."),
        ["device gain NaN"] = (s => Device(s, 5, d => d with { ChannelGain = double.NaN }), "devices[5].channelGain is NaN; it must be a finite number."),
        ["device dataset zero"] = (s => Device(s, 6, d => d with { DatasetSize = 0 }), "devices[6].datasetSize is 0; it must be at least 1."),
        ["device batch negative"] = (s => Device(s, 7, d => d with { MaxBatch = -1 }), "devices[7].maxBatch is -1; it must be at least 1."),
        ["device id empty"] = (s => Device(s, 8, d => d with { Id = "" }), "devices[8].id is \"\"; it must not be empty."),
        ["device id duplicate"] = (s => Device(s, 2, d => d with { Id = "dev-0" }), "devices[2].id is \"dev-0\"; it must be unique (devices[0].id is the same)."),
        ["devices empty"] = (s => s with { Devices = [] }, "devices is empty; it must list at least one device."),
        ["noise negative"] = (s => s with { Channel = new ChannelSpec { NoisePsdWPerHz = -1 } }, "channel.noisePsdWPerHz is -1; it must be positive."),
        ["downlink delay negative"] = (s => s with { Downlink = new DownlinkSpec { DelayS = -1 } }, "downlink.delayS is -1; it must be zero or positive."),
        ["downlink energy NaN"] = (s => s with { Downlink = new DownlinkSpec { EnergyJ = double.NaN } }, "downlink.energyJ is NaN; it must be a finite number."),
        ["upload bits zero"] = (s => s with { Model = new ModelSpec { UploadBits = 0 } }, "model.uploadBits is 0; it must be positive."),
        ["energy budget zero"] = (s => s with { Budget = s.Budget with { EnergyJ = 0 } }, "budget.energyJ is 0; it must be positive."),
        ["delay budget -inf"] = (s => s with { Budget = s.Budget with { DelayS = double.NegativeInfinity } }, "budget.delayS is -Infinity; it must be a finite number."),
        ["max pretrain rounds negative"] = (s => s with { Limits = new LimitsSpec { MaxPretrainRounds = -1 } }, "limits.maxPretrainRounds is -1; it must be at least 0."),
        ["max finetune rounds zero"] = (s => s with { Limits = new LimitsSpec { MaxFinetuneRounds = 0 } }, "limits.maxFinetuneRounds is 0; it must be at least 1."),
        ["smoothness zero"] = (s => Learning(s, l => l with { Smoothness = 0 }), "learning.smoothness is 0; it must be positive."),
        ["step size above 1/L"] = (s => Learning(s, l => l with { StepSize = 0.2 }), "learning.stepSize is 0.2; it must be at most 1/L = 0.1 (learning.smoothness is 10)."),
        ["step size zero"] = (s => Learning(s, l => l with { StepSize = 0 }), "learning.stepSize is 0; it must be positive."),
        ["pretrain step size above 1/L"] = (s => Learning(s, l => l with { PretrainStepSize = 0.5 }), "learning.pretrainStepSize is 0.5; it must be at most 1/L = 0.1 (learning.smoothness is 10)."),
        ["pretrain step size negative"] = (s => Learning(s, l => l with { PretrainStepSize = -0.05 }), "learning.pretrainStepSize is -0.05; it must be positive."),
        ["PL constant above L"] = (s => Learning(s, l => l with { PlConstant = 11 }), "learning.plConstant is 11; it must be at most L = 10 (learning.smoothness)."),
        ["PL constant zero"] = (s => Learning(s, l => l with { PlConstant = 0 }), "learning.plConstant is 0; it must be positive."),
        ["variance negative"] = (s => Learning(s, l => l with { GradientVariance = -1 }), "learning.gradientVariance is -1; it must be zero or positive."),
        ["pretrain variance negative"] = (s => Learning(s, l => l with { PretrainGradientVariance = -1 }), "learning.pretrainGradientVariance is -1; it must be zero or positive."),
        ["pretrain gap negative"] = (s => Learning(s, l => l with { PretrainInitialGap = -2.3 }), "learning.pretrainInitialGap is -2.3; it must be zero or positive."),
        ["target gap NaN"] = (s => Learning(s, l => l with { TargetInitialGap = double.NaN }), "learning.targetInitialGap is NaN; it must be a finite number."),
        ["wasserstein negative"] = (s => Learning(s, l => l with { Shift = l.Shift with { Wasserstein = -1 } }), "learning.shift.wasserstein is -1; it must be zero or positive."),
        ["lipschitz negative"] = (s => Learning(s, l => l with { Shift = l.Shift with { DataLipschitz = -0.1 } }), "learning.shift.dataLipschitz is -0.1; it must be zero or positive."),
        ["server missing (built in code)"] = (s => s with { Server = null! }, "server is missing; it is required."),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Validate_OneBadField_ReportsPathValueAndRule(string caseName)
    {
        var (breakIt, expected) = Cases[caseName];
        var scenario = breakIt(DefaultScenario.Create());

        var errors = ScenarioValidator.Validate(scenario);

        Assert.Equal(expected, Assert.Single(errors).Message);
        Assert.False(ScenarioValidator.IsValid(scenario));
    }

    [Fact]
    public void Validate_SeveralBadFields_ReportsEveryOne()
    {
        var s = DefaultScenario.Create();
        s = Device(s, 3, d => d with { MaxPowerW = -0.1 });
        s = Device(s, 9, d => d with { Id = "dev-3", DatasetSize = 0 });
        s = s with { Budget = new BudgetSpec { EnergyJ = -1, DelayS = double.NaN } };

        var messages = ScenarioValidator.Validate(s).Select(e => e.Message).ToList();

        Assert.Equal(
            [
                "devices[3].maxPowerW is -0.1; it must be positive.",
                "devices[9].id is \"dev-3\"; it must be unique (devices[3].id is the same).",
                "devices[9].datasetSize is 0; it must be at least 1.",
                "budget.energyJ is -1; it must be positive.",
                "budget.delayS is NaN; it must be a finite number.",
            ],
            messages);
    }

    [Fact]
    public void Validate_BoundaryValues_AreAccepted()
    {
        // eta = eta0 = 1/L, mu = L, Mmax = 0, Nmax = 1, zero variances/gaps/shift, batches of 1.
        var s = Learning(DefaultScenario.Create(), l => l with
        {
            StepSize = 0.1,
            PretrainStepSize = 0.1,
            PlConstant = 10,
            GradientVariance = 0,
            PretrainInitialGap = 0,
            Shift = new ShiftSpec { Wasserstein = 0, DataLipschitz = 0 },
        });
        s = s with { Limits = new LimitsSpec { MaxPretrainRounds = 0, MaxFinetuneRounds = 1 } };
        s = Device(s, 0, d => d with { DatasetSize = 1, MaxBatch = 1 });

        Assert.Empty(ScenarioValidator.Validate(s));
    }

    [Fact]
    public void Validate_InvalidSmoothness_SkipsTheRulesThatDependOnIt()
    {
        var s = Learning(DefaultScenario.Create(), l => l with { Smoothness = -10, StepSize = 5, PlConstant = 50 });

        var error = Assert.Single(ScenarioValidator.Validate(s));

        Assert.Equal("learning.smoothness", error.Path);
    }

    internal static Scenario Device(Scenario s, int k, Func<DeviceSpec, DeviceSpec> change)
    {
        var devices = s.Devices.ToArray();
        devices[k] = change(devices[k]);
        return s with { Devices = devices };
    }

    private static Scenario Learning(Scenario s, Func<LearningSpec, LearningSpec> change) => s with { Learning = change(s.Learning) };

    [Theory]
    [InlineData("dev\t1", "\"dev\\u00091\"")]
    [InlineData("\u001b[31mred", "\"\\u001b[31mred\"")]
    [InlineData("bell\u0007", "\"bell\\u0007\"")]
    public void DeviceId_WithControlCharacters_IsRejectedAndShownEscaped(string id, string shown)
    {
        var scenario = DefaultScenario.Create();
        var devices = scenario.Devices.ToArray();
        devices[2] = devices[2] with { Id = id };

        var errors = ScenarioValidator.Validate(scenario with { Devices = devices });

        var error = Assert.Single(errors);
        Assert.Equal($"devices[2].id is {shown}; it must not contain control characters (tab, newline, escape, …).", error.Message);
        Assert.DoesNotContain(error.Message, char.IsControl);
    }

    [Fact]
    public void DeviceMaxBatch_LargerThanItsData_IsRejectedNamingBoth()
    {
        var scenario = DefaultScenario.Create();
        var devices = scenario.Devices.ToArray();
        devices[1] = devices[1] with { DatasetSize = 10, MaxBatch = 13 };

        var error = Assert.Single(ScenarioValidator.Validate(scenario with { Devices = devices }));

        Assert.Equal("devices[1].maxBatch is 13; it must be at most the device's datasetSize (10).", error.Message);
    }
}
