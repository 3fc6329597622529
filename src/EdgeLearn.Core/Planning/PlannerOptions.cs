namespace EdgeLearn.Planning;

/// <summary>Options of <see cref="Planner"/>.</summary>
public sealed record PlannerOptions
{
    /// <summary>Relative tolerance of the fixed-(M, N) solves while searching (default 1e-9).</summary>
    public double SearchTolerance { get; init; } = 1e-9;

    /// <summary>Relative tolerance of the final solve of the chosen (M, N) (default 1e-12).</summary>
    public double FinalTolerance { get; init; } = 1e-12;

    /// <summary>Points of the coarse geometric grid over M and over N (default 17, at least 3).</summary>
    public int GridPoints { get; init; } = 17;

    /// <summary>Intervals this wide or narrower are enumerated instead of bisected (default 8).</summary>
    public int ExhaustiveWidth { get; init; } = 8;

    /// <summary>Half-width of the final sweep around the best M and N (default 3).</summary>
    public int LocalSweep { get; init; } = 3;
}
