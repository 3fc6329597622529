using EdgeLearn.Data.Datasets;
using EdgeLearn.Training.Internal;

namespace EdgeLearn.Training.Tests;

public sealed class MinibatchSamplerTests
{
    private static LabelledSet Set(int count)
    {
        // Image i has every pixel equal to i / count and label i % 4, so a drawn sample names its index.
        var pixels = new float[count * 4];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            pixels.AsSpan(i * 4, 4).Fill((float)i / count);
            labels[i] = (byte)(i % 4);
        }

        return LabelledSet.From(new ImageDataset("t", 2, 2, 1, 4, pixels, labels));
    }

    private static int[] Indices(MinibatchSampler sampler, int count)
    {
        var result = new int[sampler.Batch];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (int)Math.Round(sampler.Features[i * 4] * count);
            Assert.Equal(result[i] % 4, sampler.Labels[i]);
        }

        return result;
    }

    [Fact]
    public void Draw_BatchSmallerThanSet_DistinctSamplesEveryDraw()
    {
        var sampler = new MinibatchSampler(Set(50), 20, seed: 3);
        var seen = new HashSet<int>();

        for (int d = 0; d < 30; d++)
        {
            sampler.Draw();
            int[] indices = Indices(sampler, 50);
            Assert.Equal(20, indices.Distinct().Count());
            seen.UnionWith(indices);
        }

        Assert.Equal(50, seen.Count);
    }

    [Fact]
    public void Draw_BatchLargerThanSet_TakesEverySampleThenRepeats()
    {
        var sampler = new MinibatchSampler(Set(10), 15, seed: 3);

        sampler.Draw();

        int[] indices = Indices(sampler, 10);
        Assert.Equal(Enumerable.Range(0, 10), indices[..10].Order());
        Assert.All(indices[10..], i => Assert.InRange(i, 0, 9));
    }

    [Fact]
    public void Draw_SameSeed_SameBatches()
    {
        var a = new MinibatchSampler(Set(40), 8, seed: 9);
        var b = new MinibatchSampler(Set(40), 8, seed: 9);

        for (int d = 0; d < 5; d++)
        {
            a.Draw();
            b.Draw();
            Assert.Equal(a.Labels.ToArray(), b.Labels.ToArray());
            Assert.Equal(a.Features.ToArray(), b.Features.ToArray());
        }
    }

    [Fact]
    public void DrawWithSeed_DependsOnTheSeedAloneNotOnEarlierDraws()
    {
        var fresh = new MinibatchSampler(Set(50), 7, seed: 1);
        var used = new MinibatchSampler(Set(50), 7, seed: 2);
        used.Draw();
        used.Draw(99);
        used.Draw();

        fresh.Draw(42);
        used.Draw(42);
        var other = Indices(fresh, 50);

        Assert.Equal(other, Indices(used, 50));
        Assert.Equal(7, other.Distinct().Count());
        fresh.Draw(43);
        Assert.NotEqual(other, Indices(fresh, 50));
    }
}
