using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeLearn.Learning.Internal;

/// <summary>Copy and add for the short rows (5–30 floats) of im2col, col2im and GEMM edge tiles, where span and
/// TensorPrimitives call overhead would exceed the work.</summary>
internal static unsafe class ShortVectors
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* src, float* dst, int length)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= length; i += 8)
            {
                Vector256.Load(src + i).Store(dst + i);
            }
        }

        for (; i < length; i++)
        {
            dst[i] = src[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(float* src, float* dst, int length)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= length; i += 8)
            {
                (Vector256.Load(dst + i) + Vector256.Load(src + i)).Store(dst + i);
            }
        }

        for (; i < length; i++)
        {
            dst[i] += src[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Clear(float* dst, int length)
    {
        for (int i = 0; i < length; i++)
        {
            dst[i] = 0f;
        }
    }
}
