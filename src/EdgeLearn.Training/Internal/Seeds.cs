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

    /// <summary>Stream of the devices' minibatches (each device's draws derive from it, its id and the round).</summary>
    public const int Devices = 1000;

    /// <summary>The seed of round <paramref name="round"/> of stream <paramref name="stream"/>: every round's draws depend
    /// on (seed, stream, round) alone, so any round can be recomputed without the ones before it.</summary>
    public static int ForRound(int seed, int stream, int round) => Derive(Derive(seed, stream), round);

    /// <summary>The seed of device <paramref name="deviceId"/>'s minibatch in fine-tuning round <paramref name="round"/>:
    /// derived from (seed, device id, round), the same in <c>train</c> and in a device agent of a real federation.</summary>
    public static int ForDevice(int seed, string deviceId, int round) =>
        Derive(Derive(Derive(seed, Devices), IdHash(deviceId)), round);

    /// <summary>FNV-1a of the id's UTF-16 code units, 31 bits: stable across processes and platforms (unlike
    /// <see cref="string.GetHashCode()"/>).</summary>
    private static int IdHash(string id)
    {
        uint hash = 2166136261;
        foreach (char c in id)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return (int)(hash & 0x7FFFFFFF);
    }

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
