using EdgeLearn.Explore.Sweeps;
using FsCheck.Xunit;

namespace EdgeLearn.Explore.Tests.Sweeps;

public sealed class SweepOrderTests
{
    [Fact]
    public void Indices_Nine_GoesEndsMiddleQuartersThenTheRest()
    {
        Assert.Equal([0, 8, 4, 2, 6, 1, 3, 5, 7], SweepOrder.Indices(9));
    }

    [Property(MaxTest = 200, Replay = "(20261130,20261207)")]
    public bool Indices_AnyCount_IsAPermutationStartingAtBothEnds(byte size)
    {
        int count = 1 + (size % 60);
        var order = SweepOrder.Indices(count);
        return order.Order().SequenceEqual(Enumerable.Range(0, count)) && order[0] == 0 && (count == 1 || order[1] == count - 1);
    }

    [Property(MaxTest = 100, Replay = "(20261130,20261203)")]
    public bool Cells_AnyGrid_VisitsEveryCellOnceCornersFirst(byte rows, byte columns)
    {
        int r = 1 + (rows % 25), c = 1 + (columns % 25);
        var cells = SweepOrder.Cells(r, c);
        var corners = new HashSet<(int, int)> { (0, 0), (0, c - 1), (r - 1, 0), (r - 1, c - 1) };
        return cells.Distinct().Count() == r * c && cells.Take(corners.Count).All(corners.Contains);
    }
}
