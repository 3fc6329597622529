using System.Numerics.Tensors;

namespace EdgeLearn.Data.Transport.Internal;

/// <summary>Ground-cost matrices c_ij = ||x_i - y_j||_2 + lambda [a_i != b_j] between two point sets.</summary>
internal static class CostMatrix
{
    private const int Tile = 32;

    /// <summary>Fills <paramref name="destination"/> (n x m, row-major) with the costs between the rows of x (n x d) and y (m x d).</summary>
    public static void Compute(
        ReadOnlySpan<float> x, ReadOnlySpan<byte> xLabels, ReadOnlySpan<float> y, ReadOnlySpan<byte> yLabels, int dimension,
        double labelWeight, Span<double> destination, int degreeOfParallelism)
    {
        int n = xLabels.Length, m = yLabels.Length;
        if (x.Length != n * dimension || y.Length != m * dimension)
        {
            throw new ArgumentException("point buffers do not match the label counts and the dimension.");
        }

        if (destination.Length < n * m)
        {
            throw new ArgumentException("destination is too short.", nameof(destination));
        }

        int tiles = (n + Tile - 1) / Tile;
        if (degreeOfParallelism <= 1 || tiles < 2)
        {
            for (int t = 0; t < tiles; t++)
            {
                ComputeRows(x, xLabels, y, yLabels, dimension, labelWeight, destination, t * Tile, Math.Min(n, (t + 1) * Tile));
            }

            return;
        }

        // Spans cannot cross into lambdas; pin the buffers for the parallel loop.
        unsafe
        {
            fixed (float* px = x)
            fixed (float* py = y)
            fixed (byte* pa = xLabels)
            fixed (byte* pb = yLabels)
            fixed (double* pd = destination)
            {
                nint ax = (nint)px, ay = (nint)py, la = (nint)pa, lb = (nint)pb, d = (nint)pd;
                int xl = x.Length, yl = y.Length;
                Parallel.For(0, tiles, new ParallelOptions { MaxDegreeOfParallelism = degreeOfParallelism }, t =>
                {
                    ComputeRows(
                        new ReadOnlySpan<float>((float*)ax, xl), new ReadOnlySpan<byte>((byte*)la, n),
                        new ReadOnlySpan<float>((float*)ay, yl), new ReadOnlySpan<byte>((byte*)lb, m),
                        dimension, labelWeight, new Span<double>((double*)d, n * m), t * Tile, Math.Min(n, (t + 1) * Tile));
                });
            }
        }
    }

    private static void ComputeRows(
        ReadOnlySpan<float> x, ReadOnlySpan<byte> xLabels, ReadOnlySpan<float> y, ReadOnlySpan<byte> yLabels, int dimension,
        double labelWeight, Span<double> destination, int rowStart, int rowEnd)
    {
        int m = yLabels.Length;
        for (int jStart = 0; jStart < m; jStart += Tile)
        {
            int jEnd = Math.Min(m, jStart + Tile);
            for (int i = rowStart; i < rowEnd; i++)
            {
                ReadOnlySpan<float> xi = x.Slice(i * dimension, dimension);
                Span<double> row = destination.Slice(i * m, m);
                byte label = xLabels[i];
                for (int j = jStart; j < jEnd; j++)
                {
                    double c = TensorPrimitives.Distance(xi, y.Slice(j * dimension, dimension));
                    row[j] = label == yLabels[j] ? c : c + labelWeight;
                }
            }
        }
    }
}
