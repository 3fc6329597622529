using System.Globalization;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Explore.Levers;

/// <summary>An explorer request that passed every check: the levers, the what-if scenario they give, and the scheme.</summary>
/// <param name="Levers">The lever values (defaults for those not given).</param>
/// <param name="Scenario">The valid what-if scenario.</param>
/// <param name="Scheme">The scheme to plan.</param>
public sealed record LeverRequest(ExploreLevers Levers, Scenario Scenario, Scheme Scheme);

/// <summary>A request that failed a check: the parameter it names and one line in the CLI's words.</summary>
/// <param name="Field">The query parameter (or scenario path) at fault.</param>
/// <param name="Message">"budget.energyJ is -1; it must be positive."</param>
public sealed record LeverError(string Field, string Message);

/// <summary>
/// Reads the explorer API's query parameters. Each is named after the scenario field it sets and is checked with that
/// field's rule and words (<see cref="ScenarioValidator.CheckValue"/>); the what-if scenario is then validated whole.
/// </summary>
public static class LeverQuery
{
    /// <summary>Energy budget, J.</summary>
    public const string EnergyJ = "budget.energyJ";

    /// <summary>Delay budget, s.</summary>
    public const string DelayS = "budget.delayS";

    /// <summary>W1 (when G &gt; 0).</summary>
    public const string Wasserstein = "learning.shift.wasserstein";

    /// <summary>Γ (when G = 0).</summary>
    public const string Gap = "learning.shift.gap";

    /// <summary>Number of devices K.</summary>
    public const string Devices = "devices";

    /// <summary>Mean uplink bandwidth, Hz.</summary>
    public const string BandwidthHz = "devices.bandwidthHz";

    /// <summary>Server frequency limit, Hz.</summary>
    public const string ServerFrequencyHz = "server.maxFrequencyHz";

    /// <summary>Scheme name.</summary>
    public const string Scheme = "scheme";

    /// <summary>The query parameter that carries the shift in <paramref name="space"/>.</summary>
    /// <param name="space">The explored space.</param>
    /// <returns><see cref="Wasserstein"/> or <see cref="Gap"/>.</returns>
    public static string ShiftName(ExploreSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return space.ShiftLever == ShiftLever.Wasserstein ? Wasserstein : Gap;
    }

    /// <summary>Reads and checks a request. Absent parameters take the base scenario's values (joint for the scheme).</summary>
    /// <param name="space">The explored space.</param>
    /// <param name="query">Parameter name to its value (one value each).</param>
    /// <param name="allowed">Extra parameter names the caller reads itself (e.g. a sweep's size); others are refused.</param>
    /// <param name="request">The request when every check passed.</param>
    /// <returns>Null when valid, otherwise the first problem.</returns>
    public static LeverError? TryRead(ExploreSpace space, IReadOnlyDictionary<string, string> query, IReadOnlyCollection<string>? allowed, out LeverRequest? request)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(query);
        request = null;
        string shiftName = ShiftName(space);
        string[] known = [EnergyJ, DelayS, shiftName, Devices, BandwidthHz, ServerFrequencyHz, Scheme];
        foreach (string name in query.Keys)
        {
            if (name == (shiftName == Wasserstein ? Gap : Wasserstein))
            {
                return new LeverError(name, space.ShiftLever == ShiftLever.Gap
                    ? $"{name} is {Shown(query[name])}; this scenario's shift moves through {shiftName}: its learning.shift.dataLipschitz G is 0, so W1 does not change Γ."
                    : $"{name} is {Shown(query[name])}; this scenario's shift moves through {shiftName} (Γ = G W1 with G = {Text(space.DataLipschitz)}).");
            }

            if (!known.Contains(name, StringComparer.Ordinal) && allowed?.Contains(name) != true)
            {
                return new LeverError(name, $"{Shown(name)} is not a parameter of this API; it must be one of {string.Join(", ", known.Concat(allowed ?? []))}.");
            }
        }

        var defaults = space.Defaults;
        var scheme = Planning.Scheme.Joint;
        if (query.TryGetValue(Scheme, out var schemeName) && !SchemeNames.TryParse(schemeName, out scheme))
        {
            return new LeverError(Scheme, $"{Scheme} is {Shown(schemeName)}; it must be one of {SchemeNames.Valid}.");
        }

        int devices = defaults.Devices;
        if (query.TryGetValue(Devices, out var devicesText))
        {
            // Any number form (1e3 too), then the rules: whole, and in range.
            if (!double.TryParse(devicesText, NumberStyles.Float, CultureInfo.InvariantCulture, out double count) || !double.IsFinite(count) || count != Math.Floor(count))
            {
                return new LeverError(Devices, $"{Devices} is {Shown(devicesText)}; it must be a whole number of devices.");
            }

            int most = (int)space.Devices.Max;
            if (count < 1 || count > most)
            {
                return new LeverError(Devices, $"{Devices} is {Shown(devicesText)}; it must be between 1 and {most}.");
            }

            devices = (int)count;
        }

        if (Read(query, EnergyJ, defaults.EnergyJ, ScenarioRanges.EnergyBudgetJ, out double energy) is { } energyError) return energyError;
        if (Read(query, DelayS, defaults.DelayS, ScenarioRanges.DelayBudgetS, out double delay) is { } delayError) return delayError;
        if (Read(query, shiftName, defaults.Shift, shiftName == Gap ? ScenarioRanges.LossScale : ScenarioRanges.Shift, out double shift) is { } shiftError) return shiftError;
        if (Read(query, BandwidthHz, defaults.BandwidthHz, ScenarioRanges.BandwidthHz, out double bandwidth) is { } bandwidthError) return bandwidthError;
        if (Read(query, ServerFrequencyHz, defaults.ServerFrequencyHz, ScenarioRanges.FrequencyHz, out double frequency) is { } frequencyError) return frequencyError;

        var levers = new ExploreLevers
        {
            EnergyJ = energy, DelayS = delay, Shift = shift, Devices = devices, BandwidthHz = bandwidth, ServerFrequencyHz = frequency,
        };
        var scenario = WhatIf.Apply(space, levers);
        if (ScenarioValidator.Validate(scenario) is [var first, ..])
        {
            // A per-device value the bandwidth factor pushed out of its range, say: the scenario's own words, on the
            // lever that caused it.
            return new LeverError(Cause(first.Path, shiftName), first.Message);
        }

        request = new LeverRequest(levers, scenario, scheme);
        return null;
    }

    /// <summary>The lever behind an error of the what-if scenario at <paramref name="path"/>.</summary>
    private static string Cause(string path, string shiftName) => path switch
    {
        _ when path.StartsWith("devices[", StringComparison.Ordinal) && path.EndsWith(".bandwidthHz", StringComparison.Ordinal) => BandwidthHz,
        _ when path.StartsWith("devices", StringComparison.Ordinal) => Devices,
        _ when path.StartsWith("learning.shift.", StringComparison.Ordinal) => shiftName,
        _ => path,
    };

    private static LeverError? Read(IReadOnlyDictionary<string, string> query, string name, double fallback, ValueRange range, out double value)
    {
        value = fallback;
        if (!query.TryGetValue(name, out var text))
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return new LeverError(name, $"{name} is {Shown(text)}; it must be a number.");
        }

        return ScenarioValidator.CheckValue(value, range, name) is { } error ? new LeverError(name, error.Message) : null;
    }

    /// <summary>A value as the user typed it, on one line and at most 40 characters ("empty" for nothing).</summary>
    private static string Shown(string text)
    {
        if (text.Length == 0) return "empty";
        string line = string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
        return line.Length <= 40 ? line : line[..40] + "…";
    }

    private static string Text(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
