namespace EdgeLearn.Data.Transport;

/// <summary>Outcome of an assignment solve.</summary>
public enum AssignmentStatus
{
    /// <summary>An optimal assignment was found; the dual certificate in the result confirms it.</summary>
    Optimal,

    /// <summary>No finite-cost assignment exists, or a cost is NaN.</summary>
    Infeasible,
}

/// <summary>An optimal assignment of rows to columns of a square cost matrix, with its dual certificate.</summary>
/// <param name="Status">Whether the solve reached an optimum; callers must check it.</param>
/// <param name="RowToColumn">Column assigned to each row (a permutation of 0..n-1); empty when infeasible.</param>
/// <param name="TotalCost">Sum of the assigned costs.</param>
/// <param name="RowPotentials">Dual variables u of the rows.</param>
/// <param name="ColumnPotentials">Dual variables v of the columns.</param>
/// <param name="DualityGap">TotalCost - (sum u + sum v); zero up to rounding at an optimum.</param>
/// <param name="MaxDualViolation">max over (i, j) of u_i + v_j - c_ij, clipped below at 0; zero up to rounding at an optimum.</param>
/// <param name="Augmentations">Number of shortest augmenting paths searched (rows not matched by the initial column reduction).</param>
public sealed record AssignmentResult(
    AssignmentStatus Status, int[] RowToColumn, double TotalCost, double[] RowPotentials, double[] ColumnPotentials,
    double DualityGap, double MaxDualViolation, int Augmentations);

/// <summary>Exact solver of the linear assignment problem min over permutations s of sum_i c[i, s(i)] (double precision).</summary>
/// <remarks>
/// Shortest augmenting path method of Jonker and Volgenant (Computing 38, 1987) in the form of Crouse
/// ("On implementing 2D rectangular assignment algorithms", IEEE TAES 52(4), 2016): a column-reduction start, then one
/// Dijkstra search per free row on reduced costs c_ij - u_i - v_j &gt;= 0, with dual updates that keep complementary
/// slackness. O(n^3) in the worst case, O(n^2) memory beyond the cost matrix. The returned potentials certify optimality:
/// u_i + v_j &lt;= c_ij for all (i, j) and equality on the assignment.
/// </remarks>
public static class LinearAssignment
{
    /// <summary>Solves the assignment problem for an n x n cost matrix in row-major order.</summary>
    /// <param name="cost">Costs, <c>cost[i * n + j]</c> for row i and column j; finite values (+infinity marks a forbidden pair).</param>
    /// <param name="n">Matrix order; at least 0.</param>
    /// <returns>The assignment, its cost and its dual certificate; <see cref="AssignmentStatus.Infeasible"/> when none is finite.</returns>
    /// <exception cref="ArgumentException"><paramref name="cost"/> does not hold n * n values.</exception>
    public static AssignmentResult Solve(ReadOnlySpan<double> cost, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (cost.Length != (long)n * n)
        {
            throw new ArgumentException($"cost has {cost.Length} values; an {n} x {n} matrix needs {(long)n * n}.", nameof(cost));
        }

        foreach (double c in cost)
        {
            if (double.IsNaN(c) || double.IsNegativeInfinity(c))
            {
                return Infeasible(n);
            }
        }

        var u = new double[n];
        var v = new double[n];
        var rowToColumn = new int[n];
        var columnToRow = new int[n];
        Array.Fill(rowToColumn, -1);
        Array.Fill(columnToRow, -1);

        // Column reduction: v_j = min_i c_ij; give column j to its cheapest row when that row is still free.
        for (int j = 0; j < n; j++)
        {
            double best = double.PositiveInfinity;
            int bestRow = -1;
            for (int i = 0; i < n; i++)
            {
                double c = cost[i * n + j];
                if (c < best)
                {
                    best = c;
                    bestRow = i;
                }
            }

            if (bestRow < 0)
            {
                return Infeasible(n);
            }

            v[j] = best;
            if (rowToColumn[bestRow] < 0)
            {
                rowToColumn[bestRow] = j;
                columnToRow[j] = bestRow;
            }
        }

        var shortest = new double[n];
        var path = new int[n];
        var remaining = new int[n];
        var scannedRows = new bool[n];
        var scannedColumns = new bool[n];
        var scannedRowList = new int[n];
        int augmentations = 0;
        for (int freeRow = 0; freeRow < n; freeRow++)
        {
            if (rowToColumn[freeRow] >= 0)
            {
                continue;
            }

            augmentations++;
            if (!Augment(cost, n, freeRow, u, v, rowToColumn, columnToRow, shortest, path, remaining, scannedRows, scannedColumns, scannedRowList))
            {
                return Infeasible(n);
            }
        }

        return Certify(cost, n, rowToColumn, u, v, augmentations);
    }

    private static bool Augment(
        ReadOnlySpan<double> cost, int n, int freeRow, double[] u, double[] v, int[] rowToColumn, int[] columnToRow,
        double[] shortest, int[] path, int[] remaining, bool[] scannedRows, bool[] scannedColumns, int[] scannedRowList)
    {
        for (int j = 0; j < n; j++)
        {
            remaining[j] = n - 1 - j;
        }

        Array.Fill(shortest, double.PositiveInfinity);
        Array.Clear(scannedRows);
        Array.Clear(scannedColumns);
        int remainingCount = n;
        int scannedRowCount = 0;
        double minValue = 0;
        int sink = -1;
        int i = freeRow;
        while (sink < 0)
        {
            scannedRows[i] = true;
            scannedRowList[scannedRowCount++] = i;
            ReadOnlySpan<double> row = cost.Slice(i * n, n);
            double baseValue = minValue - u[i];
            double lowest = double.PositiveInfinity;
            int lowestIndex = -1;
            for (int k = 0; k < remainingCount; k++)
            {
                int j = remaining[k];
                double reduced = baseValue + row[j] - v[j];
                double s = shortest[j];
                if (reduced < s)
                {
                    path[j] = i;
                    shortest[j] = reduced;
                    s = reduced;
                }

                if (s < lowest || (s == lowest && columnToRow[j] < 0))
                {
                    lowest = s;
                    lowestIndex = k;
                }
            }

            if (lowestIndex < 0 || double.IsPositiveInfinity(lowest))
            {
                return false;
            }

            minValue = lowest;
            int column = remaining[lowestIndex];
            scannedColumns[column] = true;
            remaining[lowestIndex] = remaining[--remainingCount];
            if (columnToRow[column] < 0)
            {
                sink = column;
            }
            else
            {
                i = columnToRow[column];
            }
        }

        // Dual update keeps u_i + v_j <= c_ij everywhere and equality on matched pairs.
        u[freeRow] += minValue;
        for (int k = 0; k < scannedRowCount; k++)
        {
            int r = scannedRowList[k];
            if (r != freeRow)
            {
                u[r] += minValue - shortest[rowToColumn[r]];
            }
        }

        for (int j = 0; j < n; j++)
        {
            if (scannedColumns[j])
            {
                v[j] -= minValue - shortest[j];
            }
        }

        // Flip the matching along the path back to the free row.
        int jj = sink;
        while (true)
        {
            int r = path[jj];
            columnToRow[jj] = r;
            (rowToColumn[r], jj) = (jj, rowToColumn[r]);
            if (r == freeRow)
            {
                break;
            }
        }

        return true;
    }

    private static AssignmentResult Certify(ReadOnlySpan<double> cost, int n, int[] rowToColumn, double[] u, double[] v, int augmentations)
    {
        double total = 0, dual = 0, violation = 0;
        for (int i = 0; i < n; i++)
        {
            total += cost[i * n + rowToColumn[i]];
            dual += u[i] + v[i];
            ReadOnlySpan<double> row = cost.Slice(i * n, n);
            double ui = u[i];
            for (int j = 0; j < n; j++)
            {
                violation = Math.Max(violation, ui + v[j] - row[j]);
            }
        }

        return new AssignmentResult(AssignmentStatus.Optimal, rowToColumn, total, u, v, total - dual, violation, augmentations);
    }

    private static AssignmentResult Infeasible(int n) =>
        new(AssignmentStatus.Infeasible, [], double.PositiveInfinity, new double[n], new double[n], double.NaN, double.NaN, 0);
}
