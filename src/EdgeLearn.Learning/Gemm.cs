using EdgeLearn.Learning.Internal;

namespace EdgeLearn.Learning;

/// <summary>Single-precision dense matrix product C = op(A)·op(B) (or C += op(A)·op(B)) on row-major spans.</summary>
/// <remarks>
/// Cache-blocked GEMM in the style of Goto and van de Geijn, "Anatomy of high-performance matrix multiplication",
/// ACM TOMS 34(3), 2008: A is packed into MR-row panels, B into NR-column panels (or read in place when it is
/// not transposed), and an MR×NR register-tile micro-kernel with fused multiply-add does the arithmetic.
/// The micro-kernel uses <see cref="System.Runtime.Intrinsics.Vector512{T}"/> (8×32 tile) where AVX-512 is
/// hardware accelerated, <see cref="System.Runtime.Intrinsics.Vector256{T}"/> (6×16 tile) otherwise, and a
/// scalar loop as the last fallback. The summation order depends only on the shape and the kernel, so the
/// result is bit-identical for identical inputs on the same machine.
/// </remarks>
public static class Gemm
{
    /// <summary>Computes C = op(A)·op(B), or adds the product to C, allocating fresh packing buffers.</summary>
    /// <param name="shape">Dimensions and transposes.</param>
    /// <param name="a">A, at least <see cref="GemmShape.RequiredA"/> elements.</param>
    /// <param name="b">B, at least <see cref="GemmShape.RequiredB"/> elements.</param>
    /// <param name="c">Destination C (M×N), at least <see cref="GemmShape.RequiredC"/> elements.</param>
    /// <param name="accumulate">When true C += op(A)·op(B); default false (C is overwritten).</param>
    /// <remarks>Allocates its packing buffers; in hot loops use the overload taking a <see cref="GemmScratch"/>.</remarks>
    public static void Multiply(in GemmShape shape, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate = false)
        => Multiply(shape, a, b, c, accumulate, new GemmScratch());

    /// <summary>Computes C = op(A)·op(B), or adds the product to C, reusing <paramref name="scratch"/> (no allocation once it has grown).</summary>
    /// <param name="shape">Dimensions and transposes.</param>
    /// <param name="a">A, at least <see cref="GemmShape.RequiredA"/> elements.</param>
    /// <param name="b">B, at least <see cref="GemmShape.RequiredB"/> elements.</param>
    /// <param name="c">Destination C (M×N), at least <see cref="GemmShape.RequiredC"/> elements; must not overlap A or B.</param>
    /// <param name="accumulate">When true C += op(A)·op(B); otherwise C is overwritten.</param>
    /// <param name="scratch">Packing buffers owned by the calling thread.</param>
    public static void Multiply(in GemmShape shape, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate, GemmScratch scratch)
        => Multiply(shape, a, b, c, accumulate, scratch, GemmKernels.Best);

    internal static unsafe void Multiply(in GemmShape shape, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate, GemmScratch scratch, GemmKernelKind kind)
    {
        ArgumentNullException.ThrowIfNull(scratch);
        ArgumentOutOfRangeException.ThrowIfNegative(shape.M, nameof(shape));
        ArgumentOutOfRangeException.ThrowIfNegative(shape.N, nameof(shape));
        ArgumentOutOfRangeException.ThrowIfNegative(shape.K, nameof(shape));
        if (a.Length < shape.RequiredA)
        {
            throw new ArgumentException($"A has {a.Length} elements; the shape needs {shape.RequiredA}.", nameof(a));
        }

        if (b.Length < shape.RequiredB)
        {
            throw new ArgumentException($"B has {b.Length} elements; the shape needs {shape.RequiredB}.", nameof(b));
        }

        if (c.Length < shape.RequiredC)
        {
            throw new ArgumentException($"C has {c.Length} elements; the shape needs {shape.RequiredC}.", nameof(c));
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            GemmKernels.Run(shape, pa, pb, pc, accumulate, scratch, kind);
        }
    }
}
