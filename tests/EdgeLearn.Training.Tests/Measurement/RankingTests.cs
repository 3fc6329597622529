using EdgeLearn.Training.Measurement;

namespace EdgeLearn.Training.Tests.Measurement;

public sealed class RankingTests
{
    [Fact]
    public void KendallTauB_KnownValues()
    {
        Assert.Equal(1.0, Ranking.KendallTauB([1, 2, 3, 4], [10, 20, 30, 40]));
        Assert.Equal(-1.0, Ranking.KendallTauB([1, 2, 3, 4], [4, 3, 2, 1]));
        // One tie in x: C = 5, D = 0, n0 = 6, n1 = 1, n2 = 0 → 5 / √30 (scipy.stats.kendalltau: 0.9128709).
        Assert.Equal(5 / Math.Sqrt(30), Ranking.KendallTauB([1, 2, 2, 3], [1, 2, 3, 4])!.Value, 12);
        // C = 2, D = 4 → (2 − 4) / 6.
        Assert.Equal(-2 / 6.0, Ranking.KendallTauB([1, 2, 3, 4], [1, 3, 2, 0.5])!.Value, 12);
    }

    [Fact]
    public void KendallTauB_AllTiedOrTooShort_IsUndefined()
    {
        Assert.Null(Ranking.KendallTauB([1, 1, 1], [1, 2, 3]));
        Assert.Null(Ranking.KendallTauB([5], [7]));
    }

    [Fact]
    public void KendallTauB_BadInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => Ranking.KendallTauB([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => Ranking.KendallTauB([1, double.NaN], [1, 2]));
    }
}
