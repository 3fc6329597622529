using EdgeLearn.Scenarios;

namespace EdgeLearn.Explore.Levers;

/// <summary>Builds the scenario the levers describe: the base scenario with its budgets, shift, fleet, bandwidths and
/// server frequency set. A lever left at the base scenario's value leaves that part exactly as it was.</summary>
public static class WhatIf
{
    /// <summary>The what-if scenario of <paramref name="levers"/> in <paramref name="space"/>.</summary>
    /// <param name="space">The base scenario and its defaults.</param>
    /// <param name="levers">The lever values.</param>
    /// <returns>The scenario (not yet validated: a lever can take it outside the rules).</returns>
    public static Scenario Apply(ExploreSpace space, ExploreLevers levers)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(levers);
        var scenario = space.Scenario;
        var defaults = space.Defaults;
        if (levers == defaults)
        {
            return scenario;
        }

        IReadOnlyList<DeviceSpec> devices = levers.Devices == defaults.Devices ? scenario.Devices : Fleet(scenario.Devices, levers.Devices);
        if (levers.BandwidthHz != defaults.BandwidthHz || levers.Devices != defaults.Devices)
        {
            // The lever is the mean of the fleet as it now is (a cut or repeated mixed fleet has a mean of its own).
            double factor = levers.BandwidthHz / ExploreSpace.MeanBandwidthHz(devices);
            if (Math.Abs(factor - 1) > 1e-12)
            {
                devices = [.. devices.Select(d => d with { BandwidthHz = d.BandwidthHz * factor })];
            }
        }

        var shift = scenario.Learning.Shift;
        if (levers.Shift != defaults.Shift)
        {
            shift = space.ShiftLever == ShiftLever.Wasserstein
                // Γ = G W1: a measured Γ (calibration writes G = Γ / W1) moves with W1 too.
                ? shift with { Wasserstein = levers.Shift, MeasuredGap = shift.MeasuredGap is null ? null : shift.DataLipschitz * levers.Shift }
                : shift with { MeasuredGap = levers.Shift };
        }

        return scenario with
        {
            Name = scenario.Name + "-explored",
            Server = scenario.Server with { MaxFrequencyHz = levers.ServerFrequencyHz },
            Devices = devices,
            Budget = new BudgetSpec { EnergyJ = levers.EnergyJ, DelayS = levers.DelayS },
            Learning = scenario.Learning with { Shift = shift },
        };
    }

    /// <summary>A fleet of <paramref name="count"/> devices made from <paramref name="devices"/>: the first
    /// <paramref name="count"/> of them when there are enough, otherwise the list repeated in order, copy c of device
    /// "dev-3" named "dev-3+c" (same CPU, channel, data size and limits).</summary>
    /// <param name="devices">The scenario's devices (at least one).</param>
    /// <param name="count">K, at least 1.</param>
    /// <returns>The fleet.</returns>
    public static IReadOnlyList<DeviceSpec> Fleet(IReadOnlyList<DeviceSpec> devices, int count)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfZero(devices.Count);
        if (count <= devices.Count)
        {
            return devices.Count == count ? devices : [.. devices.Take(count)];
        }

        var fleet = new DeviceSpec[count];
        for (int k = 0; k < count; k++)
        {
            var source = devices[k % devices.Count];
            int copy = k / devices.Count;
            fleet[k] = copy == 0 ? source : source with { Id = $"{source.Id}+{copy}" };
        }

        return fleet;
    }
}
