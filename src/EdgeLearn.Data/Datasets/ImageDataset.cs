namespace EdgeLearn.Data.Datasets;

/// <summary>An immutable labelled image set: pixels in [0, 1] stored row-major in one contiguous buffer, one byte label per image.</summary>
/// <remarks>
/// Image <c>i</c> occupies <c>Pixels[i * ImageSize .. (i + 1) * ImageSize)</c>; inside an image the layout is
/// height x width x channels (row-major, channels innermost). Slicing (<see cref="Slice"/>) shares the buffer.
/// </remarks>
public sealed class ImageDataset
{
    private readonly ReadOnlyMemory<float> _pixels;
    private readonly ReadOnlyMemory<byte> _labels;

    /// <summary>Creates a dataset over the given buffers; the caller gives up ownership of the arrays (they must not be mutated later).</summary>
    /// <param name="name">Human-readable name, for example <c>mnist</c> or <c>mnist/train</c>.</param>
    /// <param name="width">Image width in pixels; at least 1.</param>
    /// <param name="height">Image height in pixels; at least 1.</param>
    /// <param name="channels">Channels per pixel; at least 1 (1 for MNIST).</param>
    /// <param name="classCount">Number of classes; 1 to 256. Every label must be below it.</param>
    /// <param name="pixels">Pixels in [0, 1]; length <c>labels.Length * width * height * channels</c>.</param>
    /// <param name="labels">One class label per image.</param>
    /// <exception cref="ArgumentException">A shape is not positive, a length does not match, or a label is out of range.</exception>
    public ImageDataset(string name, int width, int height, int channels, int classCount, ReadOnlyMemory<float> pixels, ReadOnlyMemory<byte> labels)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, 256);
        long imageSize = (long)width * height * channels;
        if (imageSize * labels.Length != pixels.Length)
        {
            throw new ArgumentException($"pixels has length {pixels.Length}; it must be {labels.Length} images x {imageSize} values.", nameof(pixels));
        }

        foreach (byte label in labels.Span)
        {
            if (label >= classCount)
            {
                throw new ArgumentException($"label {label} is not below classCount {classCount}.", nameof(labels));
            }
        }

        Name = name;
        Width = width;
        Height = height;
        Channels = channels;
        ClassCount = classCount;
        ImageSize = (int)imageSize;
        _pixels = pixels;
        _labels = labels;
    }

    /// <summary>Name of the dataset, for example <c>mnist</c>.</summary>
    public string Name { get; }

    /// <summary>Number of images.</summary>
    public int Count => _labels.Length;

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Channels per pixel.</summary>
    public int Channels { get; }

    /// <summary>Number of classes; every label is below it.</summary>
    public int ClassCount { get; }

    /// <summary>Values per image: <c>Width * Height * Channels</c> (784 for MNIST).</summary>
    public int ImageSize { get; }

    /// <summary>All pixels, image after image, each in [0, 1].</summary>
    public ReadOnlySpan<float> Pixels => _pixels.Span;

    /// <summary>All pixels as memory (for callers that keep a reference across awaits or threads).</summary>
    public ReadOnlyMemory<float> PixelMemory => _pixels;

    /// <summary>All labels, one per image.</summary>
    public ReadOnlySpan<byte> Labels => _labels.Span;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    /// <param name="index">Image index, 0 to <see cref="Count"/> - 1.</param>
    public ReadOnlySpan<float> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _pixels.Span.Slice(index * ImageSize, ImageSize);
    }

    /// <summary>The label of image <paramref name="index"/>.</summary>
    /// <param name="index">Image index, 0 to <see cref="Count"/> - 1.</param>
    public byte Label(int index) => _labels.Span[index];

    /// <summary>Number of images of each class.</summary>
    /// <returns>An array of length <see cref="ClassCount"/>.</returns>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (byte label in Labels)
        {
            counts[label]++;
        }

        return counts;
    }

    /// <summary>A contiguous range of images, sharing this dataset's buffers (no copy).</summary>
    /// <param name="start">First image.</param>
    /// <param name="count">Number of images.</param>
    /// <param name="name">Name of the slice; defaults to this dataset's name.</param>
    public ImageDataset Slice(int start, int count, string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count);
        return new ImageDataset(
            name ?? Name, Width, Height, Channels, ClassCount,
            _pixels.Slice(start * ImageSize, count * ImageSize), _labels.Slice(start, count));
    }

    /// <summary>The images at the given indices, in that order, copied into a new dataset.</summary>
    /// <param name="indices">Image indices; repeats are allowed.</param>
    /// <param name="name">Name of the new dataset; defaults to this dataset's name.</param>
    public ImageDataset Select(ReadOnlySpan<int> indices, string? name = null)
    {
        var pixels = new float[(long)indices.Length * ImageSize];
        var labels = new byte[indices.Length];
        ReadOnlySpan<float> source = Pixels;
        ReadOnlySpan<byte> sourceLabels = Labels;
        for (int k = 0; k < indices.Length; k++)
        {
            int i = indices[k];
            source.Slice(i * ImageSize, ImageSize).CopyTo(pixels.AsSpan(k * ImageSize, ImageSize));
            labels[k] = sourceLabels[i];
        }

        return new ImageDataset(name ?? Name, Width, Height, Channels, ClassCount, pixels, labels);
    }

    /// <summary>A new dataset with this dataset's shape and class count but new buffers.</summary>
    /// <param name="name">Name of the new dataset.</param>
    /// <param name="pixels">Pixels in [0, 1]; the caller gives up ownership.</param>
    /// <param name="labels">Labels; the caller gives up ownership.</param>
    public ImageDataset WithData(string name, ReadOnlyMemory<float> pixels, ReadOnlyMemory<byte> labels) =>
        new(name, Width, Height, Channels, ClassCount, pixels, labels);

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Count} x {Width}x{Height}x{Channels}, {ClassCount} classes";
}
