namespace EdgeLearn.Planning;

/// <summary>Options of <see cref="Planner"/>.</summary>
public sealed record PlannerOptions
{
    /// <summary>Fewest pre-training rounds M a plan may have (default 0; 1 forces pre-training on, for example to see
    /// what the best plan with pre-training achieves where the optimum switches it off). Ignored by finetune-only.</summary>
    public int MinPretrainRounds { get; init; }

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

    /// <summary>Half-width of the box of (M, N) around the relaxed optimum in which integer plans are
    /// compared (default 2; 0 keeps the relaxed optimum's rounds).</summary>
    public int IntegerSweep { get; init; } = 2;

    /// <summary>Above this many devices the integer sweep is skipped (default 2000): rounding losses
    /// average out and each integer solve costs several relaxed ones.</summary>
    public int IntegerSweepMaxDevices { get; init; } = 2000;
}
