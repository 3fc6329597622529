namespace EdgeLearn.Data.Transport;

/// <summary>How W1 is estimated.</summary>
public enum WassersteinMethod
{
    /// <summary>Exact optimal transport between equal-size random subsamples (assignment problem), repeated over subsamples.</summary>
    Exact,

    /// <summary>Sliced Wasserstein: the mean over random directions of the 1-D W1 of the projected sets; fast on whole sets.</summary>
    Sliced,
}

/// <summary>Options of <see cref="Wasserstein.Estimate"/>.</summary>
public sealed record WassersteinOptions
{
    /// <summary>Estimator. Default: <see cref="WassersteinMethod.Exact"/>.</summary>
    public WassersteinMethod Method { get; init; } = WassersteinMethod.Exact;

    /// <summary>
    /// Images drawn from each set per repeat. Exact: default 1000, at least 1, at most 5000 (the n x n cost matrix
    /// takes 8 n^2 bytes); clipped to the smaller set. Sliced: 0 (the default for sliced callers) uses every image.
    /// </summary>
    public int Samples { get; init; } = 1000;

    /// <summary>Independent repeats (new subsamples, or new directions for sliced); the spread is their standard deviation. Default 5; at least 1.</summary>
    public int Repeats { get; init; } = 5;

    /// <summary>Weight lambda of the label term of the ground cost ||x - x'||_2 + lambda [y != y'] (pixel units). Default 0 (images only); at least 0.</summary>
    public double LabelWeight { get; init; }

    /// <summary>Random directions per repeat of the sliced estimate. Default 64; at least 1.</summary>
    public int Projections { get; init; } = 64;

    /// <summary>Seed of the subsamples and directions. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Threads to use. Default: <see cref="Environment.ProcessorCount"/>; at least 1.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Checks the options; one line per problem, naming the field, the value and the rule.</summary>
    /// <returns>An empty list when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Method == WassersteinMethod.Exact && (Samples < 1 || Samples > 5000))
        {
            errors.Add($"samples is {Samples}; it must be between 1 and 5000 for the exact method.");
        }

        if (Method == WassersteinMethod.Sliced && Samples < 0)
        {
            errors.Add($"samples is {Samples}; it must be 0 (all) or positive.");
        }

        if (Repeats < 1)
        {
            errors.Add($"repeats is {Repeats}; it must be at least 1.");
        }

        if (!(LabelWeight >= 0) || double.IsInfinity(LabelWeight))
        {
            errors.Add($"labelWeight is {LabelWeight}; it must be finite and at least 0.");
        }

        if (Projections < 1)
        {
            errors.Add($"projections is {Projections}; it must be at least 1.");
        }

        if (MaxDegreeOfParallelism < 1)
        {
            errors.Add($"maxDegreeOfParallelism is {MaxDegreeOfParallelism}; it must be at least 1.");
        }

        return errors;
    }
}

/// <summary>A W1 estimate with its spread over repeats.</summary>
/// <param name="Method">Estimator used.</param>
/// <param name="Value">Mean of the repeats' estimates (pixel units: Euclidean norm of [0, 1] pixel vectors).</param>
/// <param name="Spread">Sample standard deviation of the repeats' estimates (0 for one repeat).</param>
/// <param name="Repeats">Each repeat's estimate.</param>
/// <param name="Samples">Images per set per repeat actually used.</param>
/// <param name="LabelWeight">Label weight lambda used.</param>
/// <param name="MaxDualityGap">Largest assignment duality gap over repeats (exact; 0 for sliced), the certificate of optimality.</param>
public sealed record WassersteinEstimate(
    WassersteinMethod Method, double Value, double Spread, IReadOnlyList<double> Repeats, int Samples, double LabelWeight, double MaxDualityGap);

/// <summary>A shift estimate with its finite-sample floor removed (<see cref="Wasserstein.EstimateShift"/>).</summary>
/// <param name="Method">Estimator used.</param>
/// <param name="Raw">W1 between general and task samples, with its spread over repeats.</param>
/// <param name="Floor">W1 between two disjoint general samples of the same size: the sampling floor.</param>
/// <param name="Debiased">Mean over repeats of raw − floor: the part of W1 that is shift; about 0 (within
/// <paramref name="DebiasedSpread"/>) when the task data is drawn from P0.</param>
/// <param name="DebiasedSpread">Standard deviation over repeats of raw − floor.</param>
public sealed record ShiftEstimate(WassersteinMethod Method, WassersteinEstimate Raw, WassersteinEstimate Floor, double Debiased, double DebiasedSpread);
