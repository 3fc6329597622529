namespace EdgeLearn.Training.Internal;

/// <summary>Independent seeds for the random streams of a run, derived from the run's seed.</summary>
internal static class Seeds
{
    /// <summary>Stream of the server's pre-training minibatches.</summary>
    public const int Server = 1;

    /// <summary>Stream of the samples on which |∇F|² is measured every round.</summary>
    public const int GradientSubset = 2;

    /// <summary>Stream of the fading draws.</summary>
    public const int Fading = 3;

    /// <summary>First stream of the calibration pilots (repeat r uses this + r).</summary>
    public const int FirstCalibrationRepeat = 500;

    /// <summary>First stream of the devices' minibatches (device k uses this + k).</summary>
    public const int FirstDevice = 1000;

    /// <summary>A 31-bit seed for stream <paramref name="stream"/> of run seed <paramref name="seed"/> (SplitMix64 finalizer).</summary>
    public static int Derive(int seed, int stream)
    {
        ulong z = unchecked(((ulong)(uint)seed << 32) ^ (ulong)(uint)stream) + 0x9E3779B97F4A7C15UL;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
