using EdgeLearn.Data.Datasets;

namespace EdgeLearn.Data.Cache;

/// <summary>What a cache file holds, read from its header (the pixels are not read).</summary>
/// <param name="Name">Dataset name.</param>
/// <param name="Path">Full path of the cache file.</param>
/// <param name="Count">Number of images.</param>
/// <param name="TrainCount">Number of images in the training part (the first ones); the rest are the test part.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Channels">Channels per pixel.</param>
/// <param name="ClassCount">Number of classes.</param>
/// <param name="SizeBytes">Size of the file on disk in bytes.</param>
public sealed record CacheEntry(
    string Name, string Path, int Count, int TrainCount, int Width, int Height, int Channels, int ClassCount, long SizeBytes)
{
    /// <summary>Number of images in the test part.</summary>
    public int TestCount => Count - TrainCount;
}

/// <summary>A dataset read back from the cache, with its train/test boundary.</summary>
/// <param name="All">All images: the training part first, then the test part.</param>
/// <param name="TrainCount">Number of images in the training part.</param>
public sealed record CachedDataset(ImageDataset All, int TrainCount)
{
    /// <summary>The training and test parts (slices of <see cref="All"/>, no copy).</summary>
    public DatasetSplit Split => new(
        All.Slice(0, TrainCount, All.Name + "/train"),
        All.Slice(TrainCount, All.Count - TrainCount, All.Name + "/test"));
}
