using EdgeLearn.Data.Transport;

namespace EdgeLearn.Data.Tests.Transport;

public class LinearAssignmentTests
{
    private const double Tolerance = 1e-9;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Solve_RandomSmallMatrices_MatchesBruteForce(int n)
    {
        var random = new Random(100 + n);
        for (int trial = 0; trial < 30; trial++)
        {
            // Half the trials use small integers, which create ties.
            var cost = new double[n * n];
            for (int k = 0; k < cost.Length; k++)
            {
                cost[k] = trial % 2 == 0 ? random.NextDouble() * 10 - 3 : random.Next(4);
            }

            AssignmentResult result = LinearAssignment.Solve(cost, n);

            Assert.Equal(AssignmentStatus.Optimal, result.Status);
            Assert.Equal(Enumerable.Range(0, n), result.RowToColumn.Order());
            Assert.Equal(BruteForce(cost, n), result.TotalCost, Tolerance);
            Assert.Equal(result.RowToColumn.Select((j, i) => cost[i * n + j]).Sum(), result.TotalCost, Tolerance);
            Assert.True(Math.Abs(result.DualityGap) < Tolerance, $"gap {result.DualityGap}");
            Assert.True(result.MaxDualViolation < Tolerance, $"violation {result.MaxDualViolation}");
        }
    }

    [Fact]
    public void Solve_LargeRandomMatrix_CertificateHolds()
    {
        const int n = 300;
        var random = new Random(5);
        var cost = new double[n * n];
        for (int k = 0; k < cost.Length; k++)
        {
            cost[k] = random.NextDouble() * 100;
        }

        AssignmentResult result = LinearAssignment.Solve(cost, n);

        Assert.Equal(AssignmentStatus.Optimal, result.Status);
        Assert.True(Math.Abs(result.DualityGap) < 1e-7, $"gap {result.DualityGap}");
        Assert.True(result.MaxDualViolation < 1e-7, $"violation {result.MaxDualViolation}");
        Assert.Equal(n, result.RowToColumn.Distinct().Count());
    }

    [Fact]
    public void Solve_ForbiddenPairs_AvoidsThem()
    {
        double inf = double.PositiveInfinity;
        double[] cost = [0, inf, inf, 5, 1, inf, inf, inf, 2];

        AssignmentResult result = LinearAssignment.Solve(cost, 3);

        Assert.Equal(AssignmentStatus.Optimal, result.Status);
        Assert.Equal([0, 1, 2], result.RowToColumn);
        Assert.Equal(3, result.TotalCost, Tolerance);
    }

    [Fact]
    public void Solve_NoFiniteAssignment_Infeasible()
    {
        double inf = double.PositiveInfinity;
        double[] cost = [1, inf, 2, inf];

        Assert.Equal(AssignmentStatus.Infeasible, LinearAssignment.Solve(cost, 2).Status);
    }

    [Fact]
    public void Solve_NaNCost_Infeasible() =>
        Assert.Equal(AssignmentStatus.Infeasible, LinearAssignment.Solve([1, double.NaN, 2, 3], 2).Status);

    [Fact]
    public void Solve_EmptyMatrix_OptimalWithZeroCost()
    {
        AssignmentResult result = LinearAssignment.Solve([], 0);

        Assert.Equal(AssignmentStatus.Optimal, result.Status);
        Assert.Equal(0, result.TotalCost);
    }

    [Fact]
    public void Solve_WrongLength_Throws() =>
        Assert.Throws<ArgumentException>(() => LinearAssignment.Solve(new double[5], 2));

    private static double BruteForce(double[] cost, int n)
    {
        int[] p = Enumerable.Range(0, n).ToArray();
        double best = double.PositiveInfinity;
        void Recurse(int k)
        {
            if (k == n)
            {
                double sum = 0;
                for (int i = 0; i < n; i++)
                {
                    sum += cost[i * n + p[i]];
                }

                best = Math.Min(best, sum);
                return;
            }

            for (int i = k; i < n; i++)
            {
                (p[k], p[i]) = (p[i], p[k]);
                Recurse(k + 1);
                (p[k], p[i]) = (p[i], p[k]);
            }
        }

        Recurse(0);
        return best;
    }
}
