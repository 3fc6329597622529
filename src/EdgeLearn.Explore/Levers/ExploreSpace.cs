using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Explore.Levers;

/// <summary>
/// What can be explored around a base scenario: its own lever values (the page's starting point), the span of each
/// slider, and what the shift lever moves.
/// </summary>
public sealed record ExploreSpace
{
    /// <summary>The largest fleet the devices slider reaches (or the scenario's own, if larger).</summary>
    public const int MaxDevices = 100_000;

    /// <summary>The scenario being explored.</summary>
    public required Scenario Scenario { get; init; }

    /// <summary>The scenario's own lever values.</summary>
    public required ExploreLevers Defaults { get; init; }

    /// <summary>What the shift lever moves: W1 when the scenario has a positive G, otherwise Γ.</summary>
    public required ShiftLever ShiftLever { get; init; }

    /// <summary>The scenario's data-Lipschitz constant G (Γ = G W1).</summary>
    public double DataLipschitz => Scenario.Learning.Shift.DataLipschitz;

    /// <summary>Slider span of the energy budget, J: 1/100 (or a third of the smallest workable budget, when lower) to
    /// 100 times the scenario's.</summary>
    public required LeverRange EnergyJ { get; init; }

    /// <summary>Slider span of the delay budget, s: 1/100 (or a third of the smallest workable budget, when lower) to
    /// 100 times the scenario's.</summary>
    public required LeverRange DelayS { get; init; }

    /// <summary>Slider span of the shift: from 0 past the point where the transfer penalty alone reaches Φ
    /// (pre-training cannot help beyond it), and at least 4 times the scenario's own shift.</summary>
    public required LeverRange Shift { get; init; }

    /// <summary>Slider span of the number of devices: 1 to <see cref="MaxDevices"/> (or the scenario's own count, if
    /// larger).</summary>
    public required LeverRange Devices { get; init; }

    /// <summary>Slider span of the mean uplink bandwidth, Hz: 1/100 to 100 times the scenario's.</summary>
    public required LeverRange BandwidthHz { get; init; }

    /// <summary>Slider span of the server frequency limit, Hz: 1/100 to 10 times the scenario's.</summary>
    public required LeverRange ServerFrequencyHz { get; init; }

    /// <summary>The space around <paramref name="scenario"/>.</summary>
    /// <param name="scenario">A valid scenario.</param>
    /// <returns>Its defaults and slider spans.</returns>
    /// <exception cref="InvalidScenarioException">The scenario is not valid.</exception>
    public static ExploreSpace For(Scenario scenario)
    {
        ScenarioValidator.ThrowIfInvalid(scenario);
        var shift = scenario.Learning.Shift;
        var lever = shift.DataLipschitz > 0 ? ShiftLever.Wasserstein : ShiftLever.Gap;
        double phi = scenario.Learning.TargetInitialGap;
        // Γ + Γ* ≥ Φ switches pre-training off whatever M does; with Γ* = Γ that is Γ = Φ / 2: cover up to twice that.
        double shiftValue = lever == ShiftLever.Wasserstein ? shift.Wasserstein : shift.Gap;
        double shiftMax = lever == ShiftLever.Wasserstein ? phi / shift.DataLipschitz : phi;
        shiftMax = Math.Max(Math.Max(shiftMax, 4 * shiftValue), 1e-9);
        double bandwidth = MeanBandwidthHz(scenario.Devices);
        // The budgets' sliders reach below the smallest workable budgets, so that the infeasible region is on the page.
        var smallest = Planner.Plan(scenario with { Budget = scenario.Budget with { EnergyJ = ScenarioRanges.EnergyBudgetJ.Min } }).Infeasibility;
        int k = scenario.Devices.Count;
        return new ExploreSpace
        {
            Scenario = scenario,
            ShiftLever = lever,
            Defaults = new ExploreLevers
            {
                EnergyJ = scenario.Budget.EnergyJ,
                DelayS = scenario.Budget.DelayS,
                Shift = shiftValue,
                Devices = k,
                BandwidthHz = bandwidth,
                ServerFrequencyHz = scenario.Server.MaxFrequencyHz,
            },
            EnergyJ = Around(scenario.Budget.EnergyJ, 100, 100, ScenarioRanges.EnergyBudgetJ, smallest?.MinimumEnergyJ),
            DelayS = Around(scenario.Budget.DelayS, 100, 100, ScenarioRanges.DelayBudgetS, smallest?.MinimumDelayS),
            Shift = new LeverRange(ShiftMin(shift, lever), shiftMax, Logarithmic: false),
            Devices = new LeverRange(1, Math.Max(MaxDevices, k), Logarithmic: true, Integer: true),
            BandwidthHz = Around(bandwidth, 100, 100, ScenarioRanges.BandwidthHz),
            ServerFrequencyHz = Around(scenario.Server.MaxFrequencyHz, 100, 10, ScenarioRanges.FrequencyHz),
        };
    }

    /// <summary>The smallest shift the scenario's rules allow: 0, or where Γ + Γ* reaches 0 when Γ* is negative.</summary>
    private static double ShiftMin(ShiftSpec shift, ShiftLever lever)
    {
        double gap = shift.OptimumGap is { } optimum && optimum < 0 ? -optimum : 0; // Γ ≥ −Γ*
        return lever == ShiftLever.Wasserstein ? gap / shift.DataLipschitz : gap;
    }

    /// <summary>The mean uplink bandwidth of <paramref name="devices"/>, Hz.</summary>
    /// <param name="devices">At least one device.</param>
    /// <returns>Σ Wk / K.</returns>
    public static double MeanBandwidthHz(IReadOnlyList<DeviceSpec> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        double sum = 0;
        foreach (var device in devices)
        {
            sum += device.BandwidthHz;
        }

        return sum / devices.Count;
    }

    /// <summary>From <paramref name="value"/> / <paramref name="below"/> (or a third of <paramref name="workable"/> when
    /// that is lower) to <paramref name="value"/> × <paramref name="above"/>, inside <paramref name="valid"/>.</summary>
    private static LeverRange Around(double value, double below, double above, ValueRange valid, double? workable = null)
    {
        double min = value / below;
        if (workable is { } w && double.IsFinite(w) && w > 0)
        {
            min = Math.Min(min, w / 3);
        }

        return new LeverRange(Math.Max(min, valid.Min), Math.Min(value * above, valid.Max), Logarithmic: true);
    }
}
