namespace EdgeLearn.Learning;

/// <summary>Reusable packing buffers for <see cref="Gemm"/>; one instance per thread, grown on demand and then reused without allocation.</summary>
/// <remarks>Not thread-safe: give every concurrently running thread its own instance.</remarks>
public sealed class GemmScratch
{
    private float[] _packA = [];
    private float[] _packB = [];

    internal float[] PackA(int length)
    {
        if (_packA.Length < length)
        {
            _packA = new float[length];
        }

        return _packA;
    }

    internal float[] PackB(int length)
    {
        if (_packB.Length < length)
        {
            _packB = new float[length];
        }

        return _packB;
    }
}
