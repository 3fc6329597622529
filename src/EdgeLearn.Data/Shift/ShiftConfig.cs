namespace EdgeLearn.Data.Shift;

/// <summary>The controlled shift applied to the task data (model.md A4: what makes P differ from P0).</summary>
public sealed record ShiftConfig
{
    /// <summary>Rotation of every task image about its centre, in degrees counterclockwise, bilinear, zero fill. Default 0; between -360 and 360.</summary>
    public double RotationDegrees { get; init; }

    /// <summary>Fraction of task images whose intensities are inverted (x -> 1 - x); exactly round(fraction * count) images, chosen at random. Default 0; in [0, 1].</summary>
    public double InvertFraction { get; init; }

    /// <summary>Standard deviation of additive Gaussian pixel noise (pixel units, result clipped to [0, 1]). Default 0; in [0, 1].</summary>
    public double NoiseStd { get; init; }

    /// <summary>
    /// Class skew: relative class proportions of the task data (length = class count, non-negative, positive sum).
    /// Default null: the base dataset's own proportions.
    /// </summary>
    public IReadOnlyList<double>? TaskClassWeights { get; init; }

    /// <summary>Whether this configuration changes nothing (task data distributed like general data).</summary>
    public bool IsIdentity => RotationDegrees == 0 && InvertFraction == 0 && NoiseStd == 0 && TaskClassWeights is null;

    /// <summary>Checks the configuration; one line per problem, naming the field, the value and the rule.</summary>
    /// <param name="classCount">Number of classes of the base dataset, for <see cref="TaskClassWeights"/>.</param>
    /// <returns>An empty list when valid.</returns>
    public IReadOnlyList<string> Validate(int classCount)
    {
        var errors = new List<string>();
        if (!(RotationDegrees >= -360 && RotationDegrees <= 360))
        {
            errors.Add($"shift.rotationDegrees is {RotationDegrees}; it must be between -360 and 360.");
        }

        if (!(InvertFraction >= 0 && InvertFraction <= 1))
        {
            errors.Add($"shift.invertFraction is {InvertFraction}; it must be between 0 and 1.");
        }

        if (!(NoiseStd >= 0 && NoiseStd <= 1))
        {
            errors.Add($"shift.noiseStd is {NoiseStd}; it must be between 0 and 1.");
        }

        if (TaskClassWeights is { } weights)
        {
            if (weights.Count != classCount)
            {
                errors.Add($"shift.taskClassWeights has {weights.Count} entries; it must have one per class ({classCount}).");
            }
            else if (weights.Any(w => !(w >= 0) || double.IsInfinity(w)) || weights.Sum() <= 0)
            {
                errors.Add($"shift.taskClassWeights is [{string.Join(", ", weights)}]; weights must be finite, non-negative and not all zero.");
            }
        }

        return errors;
    }
}
