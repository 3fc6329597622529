using EdgeLearn.Data.Datasets;
using EdgeLearn.Data.Shift;

namespace EdgeLearn.Data.Tests.Shift;

public class ShiftedDataBuilderTests
{
    private static DatasetSplit IndexedSplit(int trainCount = 2000, int testCount = 500, int classes = 5)
    {
        ImageDataset all = TestData.Indexed(trainCount + testCount, classes);
        return new DatasetSplit(all.Slice(0, trainCount), all.Slice(trainCount, testCount));
    }

    [Theory]
    [InlineData(DeviceSplit.Iid)]
    [InlineData(DeviceSplit.Dirichlet)]
    public void TryBuild_NoShift_SizesHonouredAndSamplesDisjoint(DeviceSplit split)
    {
        DatasetSplit source = IndexedSplit();
        var config = new DataConfig { GeneralSize = 700, DeviceSizes = [100, 250, 50, 400], TaskTestSize = 300, DeviceSplit = split, DirichletAlpha = 0.3, Seed = 9 };

        Assert.True(ShiftedDataBuilder.TryBuild(source, config, out ShiftedData? data, out IReadOnlyList<string> errors), string.Join(" ", errors));

        Assert.Equal(700, data!.General.Count);
        Assert.Equal([100, 250, 50, 400], data.Devices.Select(d => d.Count));
        Assert.Equal(800, data.Task.Count);
        Assert.Equal(300, data.TaskTest.Count);
        int[] general = Ids(data.General), task = Ids(data.Task), test = Ids(data.TaskTest);
        int[] devices = data.Devices.SelectMany(Ids).ToArray();
        Assert.Equal(700, general.Distinct().Count());
        Assert.Equal(800, devices.Distinct().Count());
        Assert.Equal(devices.Order(), task.Order());
        Assert.Empty(general.Intersect(task));
        Assert.All(general.Concat(task), i => Assert.True(i < 2000));
        Assert.All(test, i => Assert.True(i >= 2000));
        Assert.Equal(300, test.Distinct().Count());
    }

    [Fact]
    public void TryBuild_DirichletSplit_DeterministicPerSeedAndSkewed()
    {
        DatasetSplit source = IndexedSplit(5000, 100, 10);
        var config = new DataConfig { GeneralSize = 0, DeviceSizes = Enumerable.Repeat(200, 10).ToArray(), TaskTestSize = 0, DeviceSplit = DeviceSplit.Dirichlet, DirichletAlpha = 0.1, Seed = 1 };

        Assert.True(ShiftedDataBuilder.TryBuild(source, config, out ShiftedData? a, out _));
        Assert.True(ShiftedDataBuilder.TryBuild(source, config, out ShiftedData? b, out _));
        Assert.True(ShiftedDataBuilder.TryBuild(source, config with { Seed = 2 }, out ShiftedData? c, out _));
        Assert.True(ShiftedDataBuilder.TryBuild(source, config with { DeviceSplit = DeviceSplit.Iid }, out ShiftedData? iid, out _));

        for (int k = 0; k < 10; k++)
        {
            Assert.Equal(Ids(a!.Devices[k]), Ids(b!.Devices[k]));
        }

        Assert.NotEqual(a!.Devices.SelectMany(Ids), c!.Devices.SelectMany(Ids));

        // With alpha = 0.1 a device's largest class dominates; IID devices stay near 1/10 per class.
        double Dominance(ShiftedData d) => d.Devices.Average(dev => dev.ClassCounts().Max() / (double)dev.Count);
        Assert.True(Dominance(a) > 0.5, $"dirichlet dominance {Dominance(a)}");
        Assert.True(Dominance(iid!) < 0.25, $"iid dominance {Dominance(iid!)}");
    }

    [Fact]
    public void TryBuild_ClassWeights_TaskAndTestFollowThem()
    {
        DatasetSplit source = IndexedSplit(2000, 500, 5);
        var shift = new ShiftConfig { TaskClassWeights = [3, 1, 0, 0, 0] };
        var config = new DataConfig { GeneralSize = 500, DeviceSizes = [200, 200], TaskTestSize = 100, Shift = shift, Seed = 3 };

        Assert.True(ShiftedDataBuilder.TryBuild(source, config, out ShiftedData? data, out _));

        Assert.Equal([300, 100, 0, 0, 0], data!.Task.ClassCounts());
        Assert.Equal([75, 25, 0, 0, 0], data.TaskTest.ClassCounts());
    }

    [Fact]
    public void TryBuild_TooManyImages_ErrorNamesField()
    {
        DatasetSplit source = IndexedSplit(1000, 100, 5);
        var config = new DataConfig { GeneralSize = 600, DeviceSizes = [300, 200], TaskTestSize = 50 };

        Assert.False(ShiftedDataBuilder.TryBuild(source, config, out ShiftedData? data, out IReadOnlyList<string> errors));

        Assert.Null(data);
        Assert.Equal("generalSize is 600; only 500 training images remain after the 500 task images (they must be disjoint).", Assert.Single(errors));
    }

    [Fact]
    public void TryBuild_InvalidConfig_AllErrorsListed()
    {
        var config = new DataConfig
        {
            GeneralSize = -1, DeviceSizes = [10, 0], DeviceSplit = DeviceSplit.Dirichlet, DirichletAlpha = 0,
            Shift = new ShiftConfig { RotationDegrees = 400, InvertFraction = 2, NoiseStd = -1, TaskClassWeights = [1, 2] },
        };

        Assert.False(ShiftedDataBuilder.TryBuild(IndexedSplit(), config, out _, out IReadOnlyList<string> errors));

        Assert.Equal(7, errors.Count);
        Assert.Contains("deviceSizes[1] is 0; it must be at least 1.", errors);
        Assert.Contains("shift.rotationDegrees is 400; it must be between -360 and 360.", errors);
    }

    [Fact]
    public void TryBuild_ShiftApplied_GeneralUntouchedTaskTransformed()
    {
        ImageDataset blobs = TestData.Blobs(300, 16, seed: 1);
        var source = new DatasetSplit(blobs.Slice(0, 250), blobs.Slice(250, 50));
        var config = new DataConfig { GeneralSize = 100, DeviceSizes = [100], TaskTestSize = 40, Shift = new ShiftConfig { InvertFraction = 1 }, Seed = 4 };

        Assert.True(ShiftedDataBuilder.TryBuild(source, config, out ShiftedData? data, out _));

        // Blobs are dark at the corner; inverted images are bright there.
        Assert.All(Enumerable.Range(0, 100), i => Assert.True(data!.General.Image(i)[0] < 0.01f));
        Assert.All(Enumerable.Range(0, 100), i => Assert.True(data!.Task.Image(i)[0] > 0.99f));
        Assert.All(Enumerable.Range(0, 40), i => Assert.True(data!.TaskTest.Image(i)[0] > 0.99f));
    }

    [Fact]
    public void Transform_InvertFraction_ExactlyThatManyImages()
    {
        var set = new ImageDataset("zeros", 3, 3, 1, 1, new float[50 * 9], new byte[50]);

        ImageDataset result = ShiftedDataBuilder.Transform(set, new ShiftConfig { InvertFraction = 0.3 }, new Random(1));

        Assert.Equal(15, Enumerable.Range(0, 50).Count(i => result.Image(i)[0] == 1f));
        Assert.All(set.Pixels.ToArray(), p => Assert.Equal(0f, p));
    }

    [Fact]
    public void Transform_Noise_StaysInUnitRangeWithStatedStd()
    {
        var pixels = Enumerable.Repeat(0.5f, 100 * 100).ToArray();
        var set = new ImageDataset("grey", 10, 10, 1, 1, pixels, new byte[100]);

        ImageDataset result = ShiftedDataBuilder.Transform(set, new ShiftConfig { NoiseStd = 0.1 }, new Random(2));

        float[] values = result.Pixels.ToArray();
        double mean = values.Average(v => (double)v);
        double std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(0.5, mean, 0.005);
        Assert.Equal(0.1, std, 0.005);
        Assert.All(ShiftedDataBuilder.Transform(set, new ShiftConfig { NoiseStd = 1 }, new Random(3)).Pixels.ToArray(), v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Transform_Rotation_MovesPixelsAboutCentre()
    {
        // 5x5, single bright pixel right of centre (row 2, column 4).
        var pixels = new float[25];
        pixels[2 * 5 + 4] = 1;
        var set = new ImageDataset("dot", 5, 5, 1, 1, pixels, new byte[1]);

        float[] quarter = ShiftedDataBuilder.Transform(set, new ShiftConfig { RotationDegrees = 90 }, new Random(1)).Pixels.ToArray();
        float[] full = ShiftedDataBuilder.Transform(set, new ShiftConfig { RotationDegrees = 360 }, new Random(1)).Pixels.ToArray();

        // Counterclockwise as displayed (row 0 at the top): right of centre goes to above centre.
        Assert.Equal(1f, quarter[0 * 5 + 2], 1e-5f);
        Assert.Equal(1f, quarter.Sum(), 1e-5f);
        Assert.Equal(pixels, full, (x, y) => Math.Abs(x - y) < 1e-5f);
    }

    private static int[] Ids(ImageDataset set) => Enumerable.Range(0, set.Count).Select(i => TestData.IndexOf(set, i)).ToArray();

    [Fact]
    public void LargestTaskTestSize_ProportionalTestPart_IsAllOfItOrJustBelow()
    {
        ImageDataset all = TestData.Indexed(500, 5);
        var split = DatasetSplit.Stratified(all, 0.2, seed: 1);
        var skewed = new ShiftConfig { TaskClassWeights = [5, 1, 1, 1, 1] };

        int size = ShiftedDataBuilder.LargestTaskTestSize(split);
        int skewedSize = ShiftedDataBuilder.LargestTaskTestSize(split, skewed);

        Assert.Equal(split.Test.Count, size);
        Assert.Equal(20 * 9 / 5, skewedSize);
        var config = new DataConfig { GeneralSize = 100, DeviceSizes = [100], TaskTestSize = skewedSize, Shift = skewed };
        Assert.True(ShiftedDataBuilder.TryBuild(split, config, out _, out _));
        Assert.False(ShiftedDataBuilder.TryBuild(split, config with { TaskTestSize = skewedSize + 1 }, out _, out _));
    }
}
