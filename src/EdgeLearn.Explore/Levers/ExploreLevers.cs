namespace EdgeLearn.Explore.Levers;

/// <summary>The six what-if levers of the explorer: the values the page's sliders set on a base scenario.</summary>
public sealed record ExploreLevers
{
    /// <summary>Energy budget Emax, J (<c>budget.energyJ</c>).</summary>
    public required double EnergyJ { get; init; }

    /// <summary>Delay budget Tmax, s (<c>budget.delayS</c>).</summary>
    public required double DelayS { get; init; }

    /// <summary>The shift: W1 when <see cref="ExploreSpace.ShiftLever"/> is <see cref="ShiftLever.Wasserstein"/>
    /// (Γ = G W1), otherwise Γ itself (<c>learning.shift.gap</c>).</summary>
    public required double Shift { get; init; }

    /// <summary>Number of devices K of the fleet (<see cref="WhatIf.Fleet"/>).</summary>
    public required int Devices { get; init; }

    /// <summary>Mean uplink bandwidth over the fleet, Hz; every device's bandwidth scales by the same factor.</summary>
    public required double BandwidthHz { get; init; }

    /// <summary>Server CPU frequency limit f0max, Hz (<c>server.maxFrequencyHz</c>).</summary>
    public required double ServerFrequencyHz { get; init; }
}

/// <summary>What the shift lever moves.</summary>
public enum ShiftLever
{
    /// <summary>The Wasserstein distance W1 between general and task data; Γ = G W1 with the scenario's G.</summary>
    Wasserstein,

    /// <summary>The shift gap Γ itself: the scenario's G is 0 (calibration found W1 within its noise), so W1 cannot move Γ.</summary>
    Gap,
}
