using EdgeLearn.Explore.Levers;
using EdgeLearn.Explore.Sweeps;
using EdgeLearn.Planning;

namespace EdgeLearn.Explore.Api;

/// <summary>What the page needs to draw its controls (JSON of <c>/api/space</c>).</summary>
/// <param name="Scenario">The explored scenario's name.</param>
/// <param name="Source">Where it came from (a file path or "the default scenario").</param>
/// <param name="ShiftLever">What the shift slider moves.</param>
/// <param name="DataLipschitz">G (Γ = G W1).</param>
/// <param name="Levers">The sliders, in page order.</param>
/// <param name="Schemes">Every scheme, joint first.</param>
/// <param name="CurveEnergies">Energy budgets of the curves, J.</param>
/// <param name="MapEnergies">Energy budgets of the heat map's columns, J.</param>
/// <param name="MapDelays">Delay budgets of the heat map's rows, s.</param>
public sealed record SpaceView(string Scenario, string Source, ShiftLever ShiftLever, double DataLipschitz, IReadOnlyList<LeverView> Levers,
    IReadOnlyList<SchemeView> Schemes, IReadOnlyList<double> CurveEnergies, IReadOnlyList<double> MapEnergies, IReadOnlyList<double> MapDelays)
{
    /// <summary>The view of <paramref name="space"/>.</summary>
    /// <param name="space">The explored space.</param>
    /// <param name="source">Where the scenario came from.</param>
    /// <returns>The view.</returns>
    public static SpaceView Create(ExploreSpace space, string source)
    {
        ArgumentNullException.ThrowIfNull(space);
        var d = space.Defaults;
        bool w1 = space.ShiftLever == ShiftLever.Wasserstein;
        LeverView[] levers =
        [
            new(LeverQuery.EnergyJ, "Energy budget Emax", "J", d.EnergyJ, space.EnergyJ),
            new(LeverQuery.DelayS, "Delay budget Tmax", "s", d.DelayS, space.DelayS),
            new(LeverQuery.ShiftName(space), w1 ? "Shift W1 (Γ = G·W1)" : "Shift gap Γ", "", d.Shift, space.Shift),
            new(LeverQuery.Devices, "Devices K", "", d.Devices, space.Devices,
                "Added devices copy the scenario's in order, each with its own uplink channel: the total spectrum grows with K."),
            new(LeverQuery.BandwidthHz, "Uplink bandwidth per device (mean)", "Hz", d.BandwidthHz, space.BandwidthHz,
                "Every device's bandwidth scales by the same factor, so the fleet's mean is this value."),
            new(LeverQuery.ServerFrequencyHz, "Server frequency f0max", "Hz", d.ServerFrequencyHz, space.ServerFrequencyHz),
        ];
        return new SpaceView(space.Scenario.Name, source, space.ShiftLever, space.DataLipschitz, levers,
            [.. SchemeNames.Definitions.Select(s => new SchemeView(s.Name, s.Summary))],
            BudgetSweeps.CurveEnergies(space), BudgetSweeps.MapEnergies(space), BudgetSweeps.MapDelays(space));
    }
}

/// <summary>One slider.</summary>
/// <param name="Name">Its query parameter.</param>
/// <param name="Label">Its label.</param>
/// <param name="Unit">Its SI unit ("" when none).</param>
/// <param name="Value">The scenario's own value.</param>
/// <param name="Range">Its span.</param>
/// <param name="Note">What moving it means, when the label cannot say it (or null).</param>
public sealed record LeverView(string Name, string Label, string Unit, double Value, LeverRange Range, string? Note = null);

/// <summary>One scheme.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Summary">What it fixes.</param>
public sealed record SchemeView(string Name, string Summary);
