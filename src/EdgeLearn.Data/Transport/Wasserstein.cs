using System.Numerics.Tensors;
using EdgeLearn.Data.Datasets;
using EdgeLearn.Data.Internal;
using EdgeLearn.Data.Transport.Internal;

namespace EdgeLearn.Data.Transport;

/// <summary>The 1-Wasserstein distance W1(P0, P) between two labelled image sets (model.md A4).</summary>
/// <remarks>
/// W1(P0, P) = min over couplings pi of E_pi[c((x, y), (x', y'))] with ground cost c = ||x - x'||_2 + lambda [y != y'] on
/// flattened pixel vectors in [0, 1]. By Kantorovich-Rubinstein duality |F(w) - F0(w)| &lt;= G W1(P0, P) for a loss that
/// is G-Lipschitz in the sample, so Gamma = G W1 is the shift gap of the bound.
/// <para>
/// The exact estimator solves the optimal transport between two uniform n-point subsamples, which is an assignment
/// problem (Birkhoff-von Neumann), and averages over repeats. It is biased upwards in high dimension: two independent
/// subsamples of the <em>same</em> distribution are at a positive distance, so compare a shift against the distance
/// between two disjoint subsamples of P0 (a noise floor) where that matters.
/// The sliced estimator (Rabin et al., "Wasserstein barycenter and its application to texture mixing", 2011) averages
/// the closed-form 1-D W1 of the sets projected on random unit directions; it is a lower bound of W1 (about
/// W1 / sqrt(d) for isotropic shifts) and cheap on whole sets.
/// </para>
/// </remarks>
public static class Wasserstein
{
    /// <summary>Estimates W1 between two image sets with the method of <paramref name="options"/>.</summary>
    /// <param name="general">Samples of P0 (the server's general data).</param>
    /// <param name="task">Samples of P (the devices' task data); same image shape as <paramref name="general"/>.</param>
    /// <param name="options">Method, subsample size, repeats, label weight and seed; must be valid (<see cref="WassersteinOptions.Validate"/>).</param>
    /// <returns>The mean over repeats and its standard deviation.</returns>
    /// <exception cref="ArgumentException">The options are invalid, a set is empty, or the shapes differ.</exception>
    public static WassersteinEstimate Estimate(ImageDataset general, ImageDataset task, WassersteinOptions options)
    {
        ArgumentNullException.ThrowIfNull(general);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        if (general.ImageSize != task.ImageSize)
        {
            throw new ArgumentException($"The sets have {general.ImageSize} and {task.ImageSize} values per image; they must match.", nameof(task));
        }

        if (general.Count == 0 || task.Count == 0)
        {
            throw new ArgumentException("Both sets must hold at least one image.", general.Count == 0 ? nameof(general) : nameof(task));
        }

        return options.Method == WassersteinMethod.Exact ? Exact(general, task, options) : Sliced(general, task, options);
    }

    /// <summary>
    /// Estimates the shift W1(P0, P) without its finite-sample floor: the raw estimate between the general and the task
    /// data, the same estimate between two disjoint parts of the general data (the floor: what two samples of one
    /// distribution already differ by), and their difference, repeat by repeat.
    /// </summary>
    /// <param name="general">Samples of P0; at least two.</param>
    /// <param name="task">Samples of P; same image shape.</param>
    /// <param name="options">As for <see cref="Estimate"/>. Exact: every repeat draws disjoint general subsamples A and B
    /// and a task subsample T of n = min(samples, |general| / 2, |task|) each, raw = W1(A, T), floor = W1(A, B). Sliced:
    /// A and B from the two halves of the general data and T from the task data, n = min(samples or all, |general| / 2,
    /// |task|) each, drawn once; raw = SW(A, T) and floor = SW(A, B) use the same directions in every repeat.</param>
    /// <returns>Raw, floor and debiased (raw − floor) values with their spreads over repeats. Unshifted data gives a
    /// debiased value of about 0 within its spread.</returns>
    /// <exception cref="ArgumentException">The options are invalid, the general set has fewer than two images, the task
    /// set is empty, or the shapes differ.</exception>
    public static ShiftEstimate EstimateShift(ImageDataset general, ImageDataset task, WassersteinOptions options)
    {
        ArgumentNullException.ThrowIfNull(general);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(options);
        if (general.Count < 2)
        {
            throw new ArgumentException("The general set must hold at least two images to measure its own floor.", nameof(general));
        }

        WassersteinEstimate raw, floor;
        if (options.Method == WassersteinMethod.Exact)
        {
            var rawValues = new double[options.Repeats];
            var floorValues = new double[options.Repeats];
            int n = Math.Min(options.Samples, Math.Min(general.Count / 2, task.Count));
            for (int r = 0; r < options.Repeats; r++)
            {
                var random = new Random(Sampling.DeriveSeed(options.Seed, r));
                int[] gi = Sampling.Permutation(general.Count, random);
                int[] ti = Sampling.Permutation(task.Count, random)[..n];
                ImageDataset a = general.Select(gi.AsSpan(0, n)), b = general.Select(gi.AsSpan(n, n));
                var pairOptions = options with { Samples = n, Repeats = 1, Seed = Sampling.DeriveSeed(options.Seed, options.Repeats + r) };
                rawValues[r] = Estimate(a, task.Select(ti), pairOptions).Value;
                floorValues[r] = Estimate(a, b, pairOptions).Value;
            }

            raw = Summarize(WassersteinMethod.Exact, rawValues, n, options.LabelWeight, 0);
            floor = Summarize(WassersteinMethod.Exact, floorValues, n, options.LabelWeight, 0);
        }
        else
        {
            // Three sets of one size n, drawn once with their own stream, so that each repeat's random directions (drawn
            // from the repeat's stream) are the same for the raw and the floor estimate.
            var random = new Random(Sampling.DeriveSeed(options.Seed, -1));
            int half = general.Count / 2;
            int n = Math.Min(half, task.Count);
            if (options.Samples > 0)
            {
                n = Math.Min(n, options.Samples);
            }

            int[] order = Sampling.Permutation(general.Count, random);
            ImageDataset a = general.Select(order.AsSpan(0, n)), b = general.Select(order.AsSpan(half, n));
            ImageDataset t = task.Select(Sampling.Permutation(task.Count, random).AsSpan(0, n));
            var whole = options with { Samples = 0 };
            raw = Estimate(a, t, whole);
            floor = Estimate(a, b, whole);
        }

        double[] debiased = raw.Repeats.Zip(floor.Repeats, (x, y) => x - y).ToArray();
        WassersteinEstimate difference = Summarize(options.Method, debiased, raw.Samples, options.LabelWeight, 0);
        return new ShiftEstimate(options.Method, raw, floor, difference.Value, difference.Spread);
    }

    /// <summary>W1 between two uniform empirical 1-D distributions of any sizes: the integral of |F_a(t) - F_b(t)| dt.</summary>
    /// <param name="a">Samples of the first distribution; not empty.</param>
    /// <param name="b">Samples of the second distribution; not empty.</param>
    /// <returns>The distance, in the samples' unit.</returns>
    /// <remarks>For equal sizes this equals the mean of |a_(i) - b_(i)| over the sorted samples.</remarks>
    public static double OneDimensional(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.IsEmpty || b.IsEmpty)
        {
            throw new ArgumentException("Both sample sets must be non-empty.");
        }

        double[] sa = a.ToArray(), sb = b.ToArray();
        Array.Sort(sa);
        Array.Sort(sb);
        return OneDimensionalSorted(sa, sb);
    }

    private static double OneDimensionalSorted(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length == b.Length)
        {
            double sum = 0;
            for (int i = 0; i < a.Length; i++)
            {
                sum += Math.Abs(a[i] - b[i]);
            }

            return sum / a.Length;
        }

        // Walk the merged order; between consecutive breakpoints both CDFs are constant.
        double wa = 1.0 / a.Length, wb = 1.0 / b.Length;
        int ia = 0, ib = 0;
        double fa = 0, fb = 0, total = 0;
        double previous = Math.Min(a[0], b[0]);
        while (ia < a.Length || ib < b.Length)
        {
            double next = ib >= b.Length || (ia < a.Length && a[ia] <= b[ib]) ? a[ia] : b[ib];
            total += Math.Abs(fa - fb) * (next - previous);
            previous = next;
            while (ia < a.Length && a[ia] == next)
            {
                fa += wa;
                ia++;
            }

            while (ib < b.Length && b[ib] == next)
            {
                fb += wb;
                ib++;
            }
        }

        return total;
    }

    private static WassersteinEstimate Exact(ImageDataset general, ImageDataset task, WassersteinOptions options)
    {
        int n = Math.Min(options.Samples, Math.Min(general.Count, task.Count));
        int d = general.ImageSize;
        int repeats = options.Repeats;
        var values = new double[repeats];
        var gaps = new double[repeats];
        int dop = options.MaxDegreeOfParallelism;

        // Parallel over repeats when there are enough of them; otherwise parallel inside the cost matrix.
        bool outer = dop > 1 && repeats >= dop;
        void RunRepeat(int r)
        {
            var random = new Random(Sampling.DeriveSeed(options.Seed, r));
            int[] gi = Sampling.Permutation(general.Count, random)[..n];
            int[] ti = Sampling.Permutation(task.Count, random)[..n];
            ImageDataset x = general.Select(gi), y = task.Select(ti);
            var cost = new double[n * n];
            CostMatrix.Compute(x.Pixels, x.Labels, y.Pixels, y.Labels, d, options.LabelWeight, cost, outer ? 1 : dop);
            AssignmentResult result = LinearAssignment.Solve(cost, n);
            if (result.Status != AssignmentStatus.Optimal)
            {
                throw new InvalidOperationException("The transport problem between finite costs must be feasible.");
            }

            values[r] = result.TotalCost / n;
            gaps[r] = Math.Abs(result.DualityGap) / n;
        }

        if (outer)
        {
            Parallel.For(0, repeats, new ParallelOptions { MaxDegreeOfParallelism = dop }, RunRepeat);
        }
        else
        {
            for (int r = 0; r < repeats; r++)
            {
                RunRepeat(r);
            }
        }

        return Summarize(WassersteinMethod.Exact, values, n, options.LabelWeight, gaps.Max());
    }

    private static WassersteinEstimate Sliced(ImageDataset general, ImageDataset task, WassersteinOptions options)
    {
        int d = general.ImageSize;
        int classes = Math.Max(general.ClassCount, task.ClassCount);
        bool withLabels = options.LabelWeight > 0;
        int na = options.Samples == 0 ? general.Count : Math.Min(options.Samples, general.Count);
        int nb = options.Samples == 0 ? task.Count : Math.Min(options.Samples, task.Count);
        int repeats = options.Repeats, projections = options.Projections;
        var values = new double[repeats];
        int dop = options.MaxDegreeOfParallelism;
        for (int r = 0; r < repeats; r++)
        {
            var random = new Random(Sampling.DeriveSeed(options.Seed, r));
            ImageDataset a = na == general.Count ? general : general.Select(Sampling.Permutation(general.Count, random)[..na]);
            ImageDataset b = nb == task.Count ? task : task.Select(Sampling.Permutation(task.Count, random)[..nb]);

            // Directions in the joint space (pixels, label one-hot scaled by lambda / sqrt 2, so that
            // different labels are lambda apart), normalized to unit length.
            var directions = new float[projections * d];
            var labelDirections = new double[projections * classes];
            for (int p = 0; p < projections; p++)
            {
                double norm = 0;
                for (int k = 0; k < d; k++)
                {
                    double g = Sampling.Gaussian(random);
                    directions[p * d + k] = (float)g;
                    norm += g * g;
                }

                for (int c = 0; c < classes && withLabels; c++)
                {
                    double g = Sampling.Gaussian(random);
                    labelDirections[p * classes + c] = g;
                    norm += g * g;
                }

                float scale = (float)(1 / Math.Sqrt(norm));
                TensorPrimitives.Multiply(directions.AsSpan(p * d, d), scale, directions.AsSpan(p * d, d));
                for (int c = 0; c < classes; c++)
                {
                    labelDirections[p * classes + c] *= scale * options.LabelWeight / Math.Sqrt(2);
                }
            }

            double[] pa = Project(a, directions, labelDirections, projections, classes, dop);
            double[] pb = Project(b, directions, labelDirections, projections, classes, dop);
            var perDirection = new double[projections];
            Parallel.For(0, projections, new ParallelOptions { MaxDegreeOfParallelism = dop }, p =>
            {
                double[] sa = pa.AsSpan(p * a.Count, a.Count).ToArray();
                double[] sb = pb.AsSpan(p * b.Count, b.Count).ToArray();
                Array.Sort(sa);
                Array.Sort(sb);
                perDirection[p] = OneDimensionalSorted(sa, sb);
            });
            values[r] = perDirection.Average();
        }

        return Summarize(WassersteinMethod.Sliced, values, Math.Min(na, nb), options.LabelWeight, 0);
    }

    /// <summary>Projections of every image on every direction, direction-major: result[p * count + i].</summary>
    private static double[] Project(ImageDataset set, float[] directions, double[] labelDirections, int projections, int classes, int dop)
    {
        int count = set.Count, d = set.ImageSize;
        var result = new double[projections * count];
        ReadOnlyMemory<float> pixels = set.PixelMemory;
        byte[] labels = set.Labels.ToArray();
        const int Block = 64;
        int blocks = (count + Block - 1) / Block;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = dop }, block =>
        {
            ReadOnlySpan<float> all = pixels.Span;
            int end = Math.Min(count, (block + 1) * Block);
            for (int p = 0; p < projections; p++)
            {
                ReadOnlySpan<float> direction = directions.AsSpan(p * d, d);
                for (int i = block * Block; i < end; i++)
                {
                    result[p * count + i] = TensorPrimitives.Dot(all.Slice(i * d, d), direction) + labelDirections[p * classes + labels[i]];
                }
            }
        });
        return result;
    }

    private static WassersteinEstimate Summarize(WassersteinMethod method, double[] values, int samples, double labelWeight, double gap)
    {
        double mean = values.Average();
        double spread = 0;
        if (values.Length > 1)
        {
            double ss = 0;
            foreach (double v in values)
            {
                ss += (v - mean) * (v - mean);
            }

            spread = Math.Sqrt(ss / (values.Length - 1));
        }

        return new WassersteinEstimate(method, mean, spread, values, samples, labelWeight, gap);
    }
}
