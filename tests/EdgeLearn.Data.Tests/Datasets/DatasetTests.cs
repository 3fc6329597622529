using EdgeLearn.Data.Datasets;

namespace EdgeLearn.Data.Tests.Datasets;

public class DatasetTests
{
    [Fact]
    public void Constructor_InconsistentBuffers_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ImageDataset("x", 2, 2, 1, 2, new float[7], new byte[2]));
        Assert.Throws<ArgumentException>(() => new ImageDataset("x", 2, 2, 1, 2, new float[8], new byte[] { 0, 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageDataset("x", 0, 2, 1, 2, new float[0], new byte[0]));
    }

    [Fact]
    public void SliceAndSelect_ReturnTheRightImages()
    {
        ImageDataset set = TestData.Indexed(10, 3);

        ImageDataset slice = set.Slice(4, 3, "s");
        ImageDataset selected = set.Select([9, 0, 9]);

        Assert.Equal([4, 5, 6], Enumerable.Range(0, 3).Select(i => TestData.IndexOf(slice, i)));
        Assert.Equal([9, 0, 9], Enumerable.Range(0, 3).Select(i => TestData.IndexOf(selected, i)));
        Assert.Equal([0, 0, 0], selected.Labels.ToArray());
        Assert.Equal("s", slice.Name);
    }

    [Fact]
    public void Stratified_SameSeed_SameDisjointSplitWithClassFractions()
    {
        ImageDataset set = TestData.Indexed(1000, 4);

        DatasetSplit a = DatasetSplit.Stratified(set, 0.2, seed: 5);
        DatasetSplit b = DatasetSplit.Stratified(set, 0.2, seed: 5);
        DatasetSplit c = DatasetSplit.Stratified(set, 0.2, seed: 6);

        int[] Ids(ImageDataset s) => Enumerable.Range(0, s.Count).Select(i => TestData.IndexOf(s, i)).ToArray();
        Assert.Equal(Ids(a.Test), Ids(b.Test));
        Assert.NotEqual(Ids(a.Test), Ids(c.Test));
        Assert.Equal([50, 50, 50, 50], a.Test.ClassCounts());
        Assert.Equal(1000, Ids(a.Train).Concat(Ids(a.Test)).Distinct().Count());
        ImageDataset ordered = a.Ordered("all");
        Assert.Equal(Ids(a.Train).Concat(Ids(a.Test)), Ids(ordered));
    }
}
