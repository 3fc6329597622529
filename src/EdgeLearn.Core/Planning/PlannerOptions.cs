namespace EdgeLearn.Planning;

/// <summary>Options of <see cref="Planner"/>.</summary>
public sealed record PlannerOptions
{
    /// <summary>Tolerances are accepted in [<see cref="SmallestTolerance"/>, <see cref="LargestTolerance"/>].</summary>
    public const double SmallestTolerance = 1e-14;

    /// <summary>See <see cref="SmallestTolerance"/>.</summary>
    public const double LargestTolerance = 1e-3;

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

    /// <summary>Every option that breaks its rule, one "name is value; it must …." line each.</summary>
    public IReadOnlyList<string> Errors()
    {
        var errors = new List<string>();
        AtLeast(errors, nameof(MinPretrainRounds), MinPretrainRounds, 0);
        Tolerance(errors, nameof(SearchTolerance), SearchTolerance);
        Tolerance(errors, nameof(FinalTolerance), FinalTolerance);
        AtLeast(errors, nameof(GridPoints), GridPoints, 3);
        AtLeast(errors, nameof(ExhaustiveWidth), ExhaustiveWidth, 2);
        AtLeast(errors, nameof(LocalSweep), LocalSweep, 0);
        AtLeast(errors, nameof(IntegerSweep), IntegerSweep, 0);
        AtLeast(errors, nameof(IntegerSweepMaxDevices), IntegerSweepMaxDevices, 0);
        return errors;
    }

    internal void ThrowIfInvalid(string? paramName)
    {
        var errors = Errors();
        if (errors.Count > 0) throw new ArgumentException(errors[0], paramName);
    }

    internal static void Tolerance(List<string> errors, string name, double value)
    {
        if (!(value >= SmallestTolerance && value <= LargestTolerance))
            errors.Add(FormattableString.Invariant($"{name} is {value:G6}; it must be between 1e-14 and 1e-3 (PlannerOptions.SmallestTolerance, LargestTolerance)."));
    }

    private static void AtLeast(List<string> errors, string name, int value, int least)
    {
        if (value < least) errors.Add(FormattableString.Invariant($"{name} is {value}; it must be at least {least}."));
    }
}
