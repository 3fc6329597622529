using EdgeLearn.Explore.Levers;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using FsCheck.Xunit;

namespace EdgeLearn.Explore.Tests.Levers;

public sealed class LeverQueryTests
{
    private static readonly ExploreSpace Default = ExploreSpace.For(DefaultScenario.Create());

    private static LeverError? Read(out LeverRequest? request, params (string Name, string Value)[] query) =>
        LeverQuery.TryRead(Default, query.ToDictionary(q => q.Name, q => q.Value), null, out request);

    [Fact]
    public void TryRead_NoParameters_IsTheScenarioAndJoint()
    {
        Assert.Null(Read(out var request));
        Assert.Same(Default.Scenario, request!.Scenario);
        Assert.Equal(Scheme.Joint, request.Scheme);
    }

    [Fact]
    public void TryRead_EveryLever_ReadsInvariantNumbers()
    {
        Assert.Null(Read(out var request, ("budget.energyJ", "1.5e2"), ("budget.delayS", "90"), ("learning.shift.wasserstein", "0"),
            ("devices", "40"), ("devices.bandwidthHz", "5e5"), ("server.maxFrequencyHz", "2e9"), ("scheme", "fixed-batch")));

        Assert.Equal(Default.Defaults with { EnergyJ = 150, DelayS = 90, Shift = 0, Devices = 40, BandwidthHz = 5e5, ServerFrequencyHz = 2e9 }, request!.Levers);
        Assert.Equal(Scheme.FixedBatch, request.Scheme);
        Assert.Equal(40, request.Scenario.Devices.Count);
    }

    [Fact]
    public void TryRead_DevicesInAnyNumberForm_IsTheWholeNumber()
    {
        Assert.Null(Read(out var request, ("devices", "1e3")));
        Assert.Equal(1000, request!.Scenario.Devices.Count);
    }

    [Theory]
    [InlineData("budget.energyJ", "-1")]
    [InlineData("budget.energyJ", "0")]
    [InlineData("budget.energyJ", "1e10")]
    [InlineData("budget.energyJ", "NaN")]
    [InlineData("budget.delayS", "-Infinity")]
    [InlineData("learning.shift.wasserstein", "-0.5")]
    [InlineData("server.maxFrequencyHz", "10")]
    public void TryRead_AValueAScenarioFileMayNotHold_GetsTheScenarioValidatorsWords(string name, string value)
    {
        double number = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        var scenario = DefaultScenario.Create();
        scenario = name switch
        {
            "budget.energyJ" => scenario with { Budget = scenario.Budget with { EnergyJ = number } },
            "budget.delayS" => scenario with { Budget = scenario.Budget with { DelayS = number } },
            "learning.shift.wasserstein" => scenario with { Learning = scenario.Learning with { Shift = scenario.Learning.Shift with { Wasserstein = number } } },
            _ => scenario with { Server = scenario.Server with { MaxFrequencyHz = number } },
        };
        var expected = Assert.Single(ScenarioValidator.Validate(scenario));

        var error = Read(out var request, (name, value));

        Assert.Null(request);
        Assert.Equal(new LeverError(name, expected.Message), error);
    }

    [Theory]
    [InlineData("budget.energyJ", "abc", "budget.energyJ is abc; it must be a number.")]
    [InlineData("budget.energyJ", "", "budget.energyJ is empty; it must be a number.")]
    [InlineData("devices", "0", "devices is 0; it must be between 1 and 100000.")]
    [InlineData("devices", "2.5", "devices is 2.5; it must be a whole number of devices.")]
    [InlineData("devices", "99999999999", "devices is 99999999999; it must be between 1 and 100000.")]
    [InlineData("devices.bandwidthHz", "-3", "devices.bandwidthHz is -3; it must be positive.")]
    [InlineData("scheme", "best", "scheme is best; it must be one of joint, finetune-only, separate, fixed-batch, max-resource, pretrain-only.")]
    [InlineData("learning.shift.gap", "0.2", "learning.shift.gap is 0.2; this scenario's shift moves through learning.shift.wasserstein (Γ = G W1 with G = 0.1).")]
    [InlineData("energy", "3", "energy is not a parameter of this API; it must be one of budget.energyJ, budget.delayS, learning.shift.wasserstein, devices, devices.bandwidthHz, server.maxFrequencyHz, scheme.")]
    public void TryRead_BadParameter_NamesTheFieldTheValueAndTheRule(string name, string value, string message)
    {
        Assert.Equal(new LeverError(name, message), Read(out _, (name, value)));
    }

    [Property(MaxTest = 300, Replay = "(20261130,20261201)")]
    public bool TryRead_AnyText_IsARequestOrOneLineErrorNamingItsField(int which, string? text)
    {
        string[] names = ["budget.energyJ", "budget.delayS", "learning.shift.wasserstein", "devices", "devices.bandwidthHz", "server.maxFrequencyHz", "scheme", "x"];
        string name = names[Math.Abs(which % names.Length)];

        var error = Read(out var request, (name, text ?? ""));

        return error is null
            ? request is not null && ScenarioValidator.Validate(request.Scenario).Count == 0
            : request is null && error.Field == name && error.Message.StartsWith(name + " ", StringComparison.Ordinal) && error.Message.EndsWith('.')
                && !error.Message.Any(char.IsControl) && error.Message.Length < 300;
    }
}
