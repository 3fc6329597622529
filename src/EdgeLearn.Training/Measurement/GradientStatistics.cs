namespace EdgeLearn.Training.Measurement;

/// <summary>
/// An estimate of |∇F(w)|², the squared norm of a mean gradient over a finite population (all the task data, or all
/// the general data), from G group means of m samples each drawn without replacement.
/// </summary>
/// <param name="Value">Unbiased estimate of |μ|² (μ the population mean gradient); can be slightly negative when μ ≈ 0.</param>
/// <param name="StdErr">Standard error of <see cref="Value"/> (delete-one-group jackknife with the finite-population
/// correction; conservative when |μ|² is small beside the noise); 0 when the whole population was used.</param>
/// <param name="PlugIn">|ḡ|², the squared norm of the sample mean: biased up by (1/n − 1/N) S².</param>
/// <param name="VarianceTrace">Estimate of tr Σ, the mean squared distance of a per-sample gradient from the population
/// mean (model.md A2's σ² for this population and model).</param>
/// <param name="Samples">n = G·m samples used.</param>
/// <param name="Population">N, the population size (0 for an infinite population).</param>
public readonly record struct GradientNormEstimate(double Value, double StdErr, double PlugIn, double VarianceTrace, int Samples, int Population);

/// <summary>
/// Unbiased estimators of the squared norm of a mean gradient and of the per-sample gradient variance from grouped
/// gradients (the pair estimator over groups with the finite-population correction).
/// </summary>
/// <remarks>
/// Draw n = G·m of the N samples without replacement and split them into G groups of m; g_a is group a's mean gradient
/// and ḡ their mean. With S² = Σ_i |g_i − μ|² / (N − 1) the population scatter, E|ḡ|² = |μ|² + (1/n − 1/N) S² and the
/// between-group scatter s_b = Σ_a |g_a − ḡ|² / (G − 1) has E[s_b] = S² / m, so
/// <c>U = |ḡ|² − (1/n − 1/N) m s_b</c> is unbiased for |μ|²; for an infinite population (1/N = 0) U is the mean of
/// g_a·g_b over pairs a ≠ b. Everything depends on the group means only through their Gram matrix K_ab = g_a·g_b, so
/// no vector beyond the groups' is needed. The standard error is the delete-one-group jackknife of U times √(1 − n/N).
/// </remarks>
public static class GradientStatistics
{
    /// <summary>Estimates |μ|² and tr Σ from the Gram matrix of G group-mean gradients.</summary>
    /// <param name="gram">K_ab = g_a·g_b, row-major G×G (symmetric).</param>
    /// <param name="groups">G, at least 2 (at least 3 for a standard error).</param>
    /// <param name="groupSize">m, samples per group, at least 1.</param>
    /// <param name="population">N, the population size the samples were drawn from without replacement, at least G·m;
    /// 0 for an infinite population (sampling with replacement).</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentException">The sizes are inconsistent.</exception>
    public static GradientNormEstimate FromGram(ReadOnlySpan<double> gram, int groups, int groupSize, int population)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        if (gram.Length != groups * groups)
        {
            throw new ArgumentException($"gram has {gram.Length} entries; {groups} groups need {groups * groups}.", nameof(gram));
        }

        int n = groups * groupSize;
        if (population != 0 && population < n)
        {
            throw new ArgumentException($"population is {population}; it must be 0 (infinite) or at least the {n} samples drawn.", nameof(population));
        }

        double inversePopulation = population == 0 ? 0 : 1.0 / population;
        double total = 0, diagonal = 0;
        Span<double> rowSums = groups <= 256 ? stackalloc double[groups] : new double[groups];
        for (int a = 0; a < groups; a++)
        {
            double row = 0;
            for (int b = 0; b < groups; b++)
            {
                row += gram[(a * groups) + b];
            }

            rowSums[a] = row;
            total += row;
            diagonal += gram[(a * groups) + a];
        }

        double value = Unbiased(total, diagonal, groups, groupSize, inversePopulation, out double plugIn, out double scatter);
        double correction = population == 0 ? 1 : (population - 1.0) / population;
        double varianceTrace = Math.Max(0, groupSize * scatter * correction);

        double stdErr = 0;
        double samplingFraction = n * inversePopulation;
        if (groups >= 3 && samplingFraction < 1)
        {
            // Delete-one-group jackknife: |T − g_a|² = |T|² − 2 T·g_a + K_aa.
            double mean = 0;
            Span<double> leaveOut = groups <= 256 ? stackalloc double[groups] : new double[groups];
            for (int a = 0; a < groups; a++)
            {
                double kaa = gram[(a * groups) + a];
                leaveOut[a] = Unbiased(total - (2 * rowSums[a]) + kaa, diagonal - kaa, groups - 1, groupSize, inversePopulation, out _, out _);
                mean += leaveOut[a];
            }

            mean /= groups;
            double sum = 0;
            foreach (double u in leaveOut)
            {
                sum += (u - mean) * (u - mean);
            }

            stdErr = Math.Sqrt((groups - 1.0) / groups * sum * (1 - samplingFraction));
        }

        return new GradientNormEstimate(value, stdErr, plugIn, varianceTrace, n, population);
    }

    /// <summary>U = |ḡ|² − (1/n − 1/N) m s_b from |T|² = Σ_ab K_ab and Q = Σ_a K_aa over G groups.</summary>
    private static double Unbiased(double totalSquared, double diagonal, int groups, int groupSize, double inversePopulation,
        out double plugIn, out double scatter)
    {
        plugIn = Math.Max(0, totalSquared) / ((double)groups * groups);
        scatter = Math.Max(0, (diagonal - (groups * plugIn)) / (groups - 1));
        double n = (double)groups * groupSize;
        return plugIn - (((1 / n) - inversePopulation) * groupSize * scatter);
    }
}
