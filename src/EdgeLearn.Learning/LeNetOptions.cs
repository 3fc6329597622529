namespace EdgeLearn.Learning;

/// <summary>Architecture of the LeNet-style CNN: conv(same) → ReLU → pool → conv(valid) → ReLU → pool → flatten → Dense → ReLU → Dense.</summary>
public sealed record LeNetOptions
{
    /// <summary>Input channels; default 1, at least 1.</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Input side in pixels (square images); default 28, at least 12 with the default kernel.</summary>
    public int ImageSize { get; init; } = 28;

    /// <summary>Filters of the first convolution; default 6.</summary>
    public int Conv1Filters { get; init; } = 6;

    /// <summary>Filters of the second convolution; default 16.</summary>
    public int Conv2Filters { get; init; } = 16;

    /// <summary>Kernel side of both convolutions; default 5, odd.</summary>
    public int KernelSize { get; init; } = 5;

    /// <summary>Units of the hidden dense layer; default 120.</summary>
    public int HiddenUnits { get; init; } = 120;

    /// <summary>Classes; default 10, at least 2.</summary>
    public int ClassCount { get; init; } = 10;
}
