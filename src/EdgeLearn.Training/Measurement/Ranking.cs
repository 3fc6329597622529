namespace EdgeLearn.Training.Measurement;

/// <summary>How well a bound ranks runs: Kendall τ-b between the predicted bound and two measured figures.</summary>
/// <param name="BoundVsGradientNorm">τ-b between <see cref="TrainingSummary.PredictedBound"/> and the measured
/// <see cref="TrainingSummary.AverageSquaredGradientNorm"/>; null when undefined.</param>
/// <param name="BoundVsTestError">τ-b between the predicted bound and the test error 1 − accuracy; null when undefined.</param>
public sealed record RankAgreement(double? BoundVsGradientNorm, double? BoundVsTestError);

/// <summary>Rank agreement between what a bound predicts and what runs measure.</summary>
public static class Ranking
{
    /// <summary>Kendall τ-b across runs (typically the schemes of one seed) between the predicted bound and the measured
    /// average |∇F|², and between the predicted bound and the test error.</summary>
    /// <param name="runs">The runs' summaries.</param>
    /// <returns>Both coefficients.</returns>
    public static RankAgreement Of(IReadOnlyList<TrainingSummary> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        double[] bound = runs.Select(r => r.PredictedBound).ToArray();
        double[] norm = runs.Select(r => r.AverageSquaredGradientNorm).ToArray();
        double[] error = runs.Select(r => 1 - r.FinalTestAccuracy).ToArray();
        return new RankAgreement(KendallTauB(bound, norm), KendallTauB(bound, error));
    }

    /// <summary>Kendall's τ-b between two paired samples (ties in either handled as τ-b does).</summary>
    /// <param name="x">First values, e.g. the predicted bounds of the schemes.</param>
    /// <param name="y">Second values in the same order, e.g. the measured average |∇F|².</param>
    /// <returns>τ-b in [−1, 1]; <c>null</c> when it is undefined (fewer than two pairs, or every x or every y tied).</returns>
    /// <remarks>τ-b = (C − D) / √((n0 − n1)(n0 − n2)) with C, D the concordant and discordant pairs, n0 = n(n − 1)/2 and
    /// n1, n2 the pairs tied in x and in y (Kendall, "The treatment of ties in ranking problems", Biometrika 1945).
    /// O(n²), meant for a handful of schemes.</remarks>
    /// <exception cref="ArgumentException">The lengths differ or a value is not finite.</exception>
    public static double? KendallTauB(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"x has {x.Length} values and y {y.Length}; they must be paired.", nameof(y));
        }

        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
            {
                throw new ArgumentException($"pair {i} is ({x[i]}, {y[i]}); both values must be finite.", nameof(x));
            }
        }

        long concordant = 0, discordant = 0, tiedX = 0, tiedY = 0, pairs = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = i + 1; j < x.Length; j++)
            {
                pairs++;
                int sx = Math.Sign(x[i] - x[j]), sy = Math.Sign(y[i] - y[j]);
                if (sx == 0)
                {
                    tiedX++;
                }

                if (sy == 0)
                {
                    tiedY++;
                }

                if (sx * sy > 0)
                {
                    concordant++;
                }
                else if (sx * sy < 0)
                {
                    discordant++;
                }
            }
        }

        double denominator = Math.Sqrt((double)(pairs - tiedX) * (pairs - tiedY));
        return denominator > 0 ? (concordant - discordant) / denominator : null;
    }
}
