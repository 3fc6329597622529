using EdgeLearn.Data.Datasets;
using EdgeLearn.Data.Shift;
using EdgeLearn.Data.Transport;

namespace EdgeLearn.Data.Tests.Transport;

public class WassersteinTests
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData(WassersteinMethod.Exact)]
    [InlineData(WassersteinMethod.Sliced)]
    public void Estimate_IdenticalSets_Zero(WassersteinMethod method)
    {
        ImageDataset set = TestData.RandomBytes(60, 5, 5, 3, seed: 1);
        var options = new WassersteinOptions { Method = method, Samples = method == WassersteinMethod.Exact ? 60 : 0, Repeats = 3, LabelWeight = 1 };

        WassersteinEstimate w = Wasserstein.Estimate(set, set, options);

        Assert.Equal(0, w.Value, Tolerance);
        Assert.Equal(0, w.Spread, Tolerance);
    }

    [Fact]
    public void Estimate_ExactOnTranslatedCloud_NormOfShift()
    {
        // W1(X, X + delta) = ||delta||: the identity coupling costs ||delta||, and the 1-Lipschitz
        // function <x, delta/||delta||> certifies the lower bound.
        ImageDataset x = Cloud(80, 6, seed: 2, out float[] points);
        float[] delta = [0.3f, -0.1f, 0.2f, 0.05f, 0f, -0.4f];
        var shifted = new float[points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            shifted[i] = points[i] + delta[i % 6];
        }

        ImageDataset y = x.WithData("shifted", shifted, x.Labels.ToArray());
        double norm = Math.Sqrt(delta.Sum(d => (double)d * d));

        WassersteinEstimate w = Wasserstein.Estimate(x, y, new WassersteinOptions { Samples = 80, Repeats = 2 });

        Assert.Equal(norm, w.Value, 1e-5);
    }

    [Fact]
    public void Estimate_SlicedOnTranslatedCloud_MeanAbsoluteProjection()
    {
        // For a translation every 1-D projection is a translation by <delta, theta>, so the sliced estimate is
        // E|<delta, theta>| = ||delta|| Gamma(d/2) / (sqrt(pi) Gamma((d+1)/2)); for d = 4 that is ||delta|| * 4 / (3 pi).
        ImageDataset x = Cloud(50, 4, seed: 3, out float[] points);
        float[] delta = [1f, 2f, -2f, 0f];
        float[] shifted = points.Select((p, i) => p + delta[i % 4]).ToArray();
        ImageDataset y = x.WithData("shifted", shifted, x.Labels.ToArray());

        WassersteinEstimate w = Wasserstein.Estimate(x, y, new WassersteinOptions { Method = WassersteinMethod.Sliced, Samples = 0, Projections = 4000, Repeats = 2 });

        Assert.Equal(3.0 * 4 / (3 * Math.PI), w.Value, 0.03);
    }

    [Fact]
    public void Estimate_SameImagesOtherLabels_LabelWeight()
    {
        ImageDataset x = TestData.RandomBytes(40, 3, 3, 2, seed: 4);
        var zeros = new byte[40];
        var ones = Enumerable.Repeat((byte)1, 40).ToArray();
        ImageDataset a = x.WithData("a", x.Pixels.ToArray(), zeros), b = x.WithData("b", x.Pixels.ToArray(), ones);

        WassersteinEstimate w = Wasserstein.Estimate(a, b, new WassersteinOptions { Samples = 40, Repeats = 1, LabelWeight = 0.7 });

        Assert.Equal(0.7, w.Value, 1e-6);
    }

    [Fact]
    public void OneDimensional_EqualSizes_MeanSortedDifference()
    {
        double[] a = [3, 1, 2, 10], b = [0, 0.5, 4, 2];

        // Sorted: 1,2,3,10 vs 0,0.5,2,4 -> (1 + 1.5 + 1 + 6) / 4.
        Assert.Equal(9.5 / 4, Wasserstein.OneDimensional(a, b), 1e-12);
    }

    [Fact]
    public void OneDimensional_UnequalSizes_CdfIntegral()
    {
        // F_a jumps 1/2 at 0 and at 1, F_b jumps 1 at 0.5: integral |F_a - F_b| = 0.5 * 0.5 + 0.5 * 0.5.
        Assert.Equal(0.5, Wasserstein.OneDimensional([0, 1], [0.5]), 1e-12);
        Assert.Equal(0, Wasserstein.OneDimensional([0, 1], [1, 0, 0, 1]), 1e-12);
    }

    [Fact]
    public void OneDimensional_UniformGridShift_ClosedForm()
    {
        // Uniform samples of [0, 1] (1000 points) against [c, 1 + c] (700 points): W1 = c up to discretisation.
        double[] a = Enumerable.Range(0, 1000).Select(i => (i + 0.5) / 1000).ToArray();
        double[] b = Enumerable.Range(0, 700).Select(i => 0.3 + (i + 0.5) / 700).ToArray();

        Assert.Equal(0.3, Wasserstein.OneDimensional(a, b), 2e-3);
    }

    [Theory]
    [InlineData(WassersteinMethod.Exact)]
    [InlineData(WassersteinMethod.Sliced)]
    public void Estimate_RotationAngle_Grows(WassersteinMethod method)
    {
        ImageDataset blobs = TestData.Blobs(600, 16, seed: 5);
        var split = new DatasetSplit(blobs.Slice(0, 500), blobs.Slice(500, 100));
        double Distance(double degrees)
        {
            var config = new DataConfig { GeneralSize = 250, DeviceSizes = [250], TaskTestSize = 0, Seed = 1, Shift = new ShiftConfig { RotationDegrees = degrees } };
            Assert.True(ShiftedDataBuilder.TryBuild(split, config, out ShiftedData? data, out _));
            var options = new WassersteinOptions { Method = method, Samples = method == WassersteinMethod.Exact ? 200 : 0, Repeats = 3, Projections = 200, Seed = 2 };
            return Wasserstein.Estimate(data!.General, data.Task, options).Value;
        }

        double w0 = Distance(0), w15 = Distance(15), w45 = Distance(45);

        Assert.True(w0 < w15 && w15 < w45, $"W1: 0 deg {w0}, 15 deg {w15}, 45 deg {w45}");
    }

    [Theory]
    [InlineData(WassersteinMethod.Exact)]
    [InlineData(WassersteinMethod.Sliced)]
    public void EstimateShift_NoShift_DebiasedIsZeroWithinItsSpread(WassersteinMethod method)
    {
        ImageDataset cloud = TestData.RandomBytes(1200, 8, 8, 3, seed: 8);
        ImageDataset general = cloud.Slice(0, 800), task = cloud.Slice(800, 400);
        var options = new WassersteinOptions { Method = method, Samples = method == WassersteinMethod.Exact ? 200 : 0, Repeats = 5, Projections = 100, Seed = 2 };

        ShiftEstimate shift = Wasserstein.EstimateShift(general, task, options);

        Assert.True(shift.Raw.Value > 20 * Math.Abs(shift.Debiased), $"two samples of one distribution: raw W1 {shift.Raw.Value} is almost all floor, debiased {shift.Debiased}");
        Assert.InRange(shift.Debiased, -3 * Math.Max(shift.DebiasedSpread, 1e-3), 3 * Math.Max(shift.DebiasedSpread, 1e-3));
        Assert.Equal(shift.Raw.Value - shift.Floor.Value, shift.Debiased, 9);
    }

    [Fact]
    public void EstimateShift_SlicedWithATaskSetLargerThanHalfTheGeneral_StillZeroWithoutShift()
    {
        // General 400 (halves of 200) against 1,000 task images of the same distribution: the three sets are drawn to one
        // size, so the floor matches the raw estimate.
        ImageDataset cloud = TestData.RandomBytes(1400, 8, 8, 3, seed: 11);
        var options = new WassersteinOptions { Method = WassersteinMethod.Sliced, Samples = 0, Repeats = 5, Projections = 100, Seed = 4 };

        ShiftEstimate shift = Wasserstein.EstimateShift(cloud.Slice(0, 400), cloud.Slice(400, 1000), options);

        Assert.Equal(200, shift.Raw.Samples);
        Assert.Equal(200, shift.Floor.Samples);
        Assert.InRange(shift.Debiased, -3 * Math.Max(shift.DebiasedSpread, 1e-4), 3 * Math.Max(shift.DebiasedSpread, 1e-4));
    }

    [Fact]
    public void EstimateShift_Rotation_DebiasedGrowsAndStaysBelowRaw()
    {
        ImageDataset blobs = TestData.Blobs(1000, 16, seed: 9);
        var split = new DatasetSplit(blobs.Slice(0, 900), blobs.Slice(900, 100));
        ShiftEstimate Shift(double degrees)
        {
            var config = new DataConfig { GeneralSize = 500, DeviceSizes = [400], TaskTestSize = 0, Seed = 1, Shift = new ShiftConfig { RotationDegrees = degrees } };
            Assert.True(ShiftedDataBuilder.TryBuild(split, config, out ShiftedData? data, out _));
            return Wasserstein.EstimateShift(data!.General, data.Task, new WassersteinOptions { Samples = 200, Repeats = 4, Seed = 3 });
        }

        ShiftEstimate none = Shift(0), some = Shift(30), more = Shift(60);

        Assert.True(none.Debiased < some.Debiased && some.Debiased < more.Debiased, $"debiased W1: {none.Debiased}, {some.Debiased}, {more.Debiased}");
        Assert.True(some.Debiased > 3 * some.DebiasedSpread);
        Assert.True(some.Debiased < some.Raw.Value);
        Assert.Throws<ArgumentException>(() => Wasserstein.EstimateShift(blobs.Slice(0, 1), blobs, new WassersteinOptions()));
    }

    [Fact]
    public void Estimate_SameSeedAnyThreads_SameResult()
    {
        ImageDataset a = TestData.RandomBytes(120, 6, 6, 3, seed: 6), b = TestData.RandomBytes(120, 6, 6, 3, seed: 7);
        var options = new WassersteinOptions { Samples = 100, Repeats = 4, Seed = 3, LabelWeight = 0.5 };

        WassersteinEstimate one = Wasserstein.Estimate(a, b, options with { MaxDegreeOfParallelism = 1 });
        WassersteinEstimate two = Wasserstein.Estimate(a, b, options with { MaxDegreeOfParallelism = 2 });
        WassersteinEstimate other = Wasserstein.Estimate(a, b, options with { Seed = 4 });

        Assert.Equal(one.Repeats, two.Repeats);
        Assert.NotEqual(one.Repeats, other.Repeats);
        Assert.True(one.Spread > 0);
        Assert.True(one.MaxDualityGap < 1e-9);
    }

    [Fact]
    public void Validate_BadOptions_OneLinePerField()
    {
        var options = new WassersteinOptions { Samples = 0, Repeats = 0, LabelWeight = -1, Projections = 0, MaxDegreeOfParallelism = 0 };

        IReadOnlyList<string> errors = options.Validate();

        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("samples is 0", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => Wasserstein.Estimate(TestData.RandomBytes(2, 2, 2, 2, 1), TestData.RandomBytes(2, 2, 2, 2, 2), options));
    }

    [Fact]
    public void Estimate_DifferentShapes_Throws() =>
        Assert.Throws<ArgumentException>(() => Wasserstein.Estimate(
            TestData.RandomBytes(5, 2, 2, 2, 1), TestData.RandomBytes(5, 3, 3, 2, 2), new WassersteinOptions { Samples = 5 }));

    private static ImageDataset Cloud(int count, int dimension, int seed, out float[] points)
    {
        var random = new Random(seed);
        points = new float[count * dimension];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = (float)random.NextDouble();
        }

        return new ImageDataset("cloud", dimension, 1, 1, 1, points, new byte[count]);
    }
}
