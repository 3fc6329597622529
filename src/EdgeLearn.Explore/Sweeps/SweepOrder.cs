namespace EdgeLearn.Explore.Sweeps;

/// <summary>Orders the points of a sweep coarse to fine, so that a picture drawn while it fills in shows the whole range
/// early: both ends, then the middle, then the quarters, and so on.</summary>
public static class SweepOrder
{
    /// <summary>The indices 0 … <paramref name="count"/> − 1, coarse to fine.</summary>
    /// <param name="count">Number of points, at least 1.</param>
    /// <returns>A permutation of the indices.</returns>
    public static IReadOnlyList<int> Indices(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var rank = Ranks(count);
        return [.. Enumerable.Range(0, count).OrderBy(i => rank[i]).ThenBy(i => i)];
    }

    /// <summary>The cells of a <paramref name="rows"/> × <paramref name="columns"/> grid, coarse to fine in both
    /// directions: a cell comes at the finer of its row's and its column's levels.</summary>
    /// <param name="rows">Rows, at least 1.</param>
    /// <param name="columns">Columns, at least 1.</param>
    /// <returns>Every (row, column) once.</returns>
    public static IReadOnlyList<(int Row, int Column)> Cells(int rows, int columns)
    {
        var rowRank = Ranks(rows);
        var columnRank = Ranks(columns);
        return [.. (from r in Enumerable.Range(0, rows)
                    from c in Enumerable.Range(0, columns)
                    orderby Math.Max(rowRank[r], columnRank[c]), Math.Min(rowRank[r], columnRank[c]), r, c
                    select (r, c))];
    }

    /// <summary>Each index's level: 0 for both ends, then 1 for the middle, 2 for the quarters… (subdivision depth).</summary>
    private static int[] Ranks(int count)
    {
        var rank = new int[count];
        Array.Fill(rank, int.MaxValue);
        rank[0] = 0;
        rank[count - 1] = 0;
        for (int level = 1, parts = 2; parts / 2 < count; level++, parts *= 2)
        {
            for (int p = 1; p < parts; p += 2)
            {
                int i = (int)Math.Round(p * (count - 1) / (double)parts);
                rank[i] = Math.Min(rank[i], level);
            }
        }

        for (int i = 0; i < count; i++)
        {
            if (rank[i] == int.MaxValue) rank[i] = 64;
        }

        return rank;
    }
}
