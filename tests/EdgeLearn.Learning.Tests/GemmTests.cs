using EdgeLearn.Learning.Internal;

namespace EdgeLearn.Learning.Tests;

public class GemmTests
{
    private static readonly int[] Sizes = [0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65, 100, 129, 130];
    private static readonly int[] Depths = [0, 1, 5, 33, 130];

    public static TheoryData<string, bool, bool> Variants()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (GemmKernelKind kind in AvailableKinds())
        {
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                {
                    data.Add(kind.ToString(), ta, tb);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Multiply_AllSmallShapes_MatchesNaiveReference(string kernel, bool transposeA, bool transposeB)
    {
        GemmKernelKind kind = Enum.Parse<GemmKernelKind>(kernel);
        var scratch = new GemmScratch();
        int seed = 1;
        foreach (int m in Sizes)
        {
            foreach (int n in Sizes)
            {
                foreach (int k in Depths)
                {
                    var shape = new GemmShape(m, n, k, transposeA, transposeB);
                    CheckAgainstReference(shape, kind, scratch, seed++, accumulate: false);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Multiply_BlockBoundaries_MatchesNaiveReference(string kernel, bool transposeA, bool transposeB)
    {
        GemmKernelKind kind = Enum.Parse<GemmKernelKind>(kernel);
        var scratch = new GemmScratch();
        CheckAgainstReference(new GemmShape(300, 70, 600, transposeA, transposeB), kind, scratch, 11, accumulate: false);
        CheckAgainstReference(new GemmShape(9, 2100, 20, transposeA, transposeB), kind, scratch, 12, accumulate: false);
        CheckAgainstReference(new GemmShape(257, 33, 257, transposeA, transposeB), kind, scratch, 13, accumulate: true);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Multiply_Accumulate_AddsToDestination(string kernel, bool transposeA, bool transposeB)
    {
        GemmKernelKind kind = Enum.Parse<GemmKernelKind>(kernel);
        var scratch = new GemmScratch();
        foreach (int size in new[] { 1, 7, 33, 130 })
        {
            CheckAgainstReference(new GemmShape(size, size + 3, size + 1, transposeA, transposeB), kind, scratch, size, accumulate: true);
        }
    }

    [Fact]
    public void Multiply_DestinationTooShort_Throws()
    {
        var shape = new GemmShape(3, 4, 5);
        float[] a = new float[15], b = new float[20], c = new float[11];
        Assert.Throws<ArgumentException>("c", () => Gemm.Multiply(shape, a, b, c));
    }

    [Fact]
    public void Multiply_SourceTooShort_Throws()
    {
        var shape = new GemmShape(3, 4, 5);
        Assert.Throws<ArgumentException>("a", () => Gemm.Multiply(shape, new float[14], new float[20], new float[12]));
        Assert.Throws<ArgumentException>("b", () => Gemm.Multiply(shape, new float[15], new float[19], new float[12]));
    }

    [Fact]
    public void Multiply_ZeroDepth_ClearsDestination()
    {
        float[] c = [1, 2, 3, 4];
        Gemm.Multiply(new GemmShape(2, 2, 0), [], [], c);
        Assert.All(c, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Multiply_SameInputsTwice_BitIdentical()
    {
        var shape = new GemmShape(77, 91, 300, true, false);
        float[] a = TestData.Uniform(77 * 300, 5), b = TestData.Uniform(300 * 91, 6);
        float[] c1 = new float[77 * 91], c2 = new float[77 * 91];
        Gemm.Multiply(shape, a, b, c1);
        Gemm.Multiply(shape, a, b, c2);
        Assert.Equal(c1, c2);
    }

    private static IEnumerable<GemmKernelKind> AvailableKinds()
    {
        yield return GemmKernelKind.Scalar;
        if (GemmKernels.Best >= GemmKernelKind.Vector256)
        {
            yield return GemmKernelKind.Vector256;
        }

        if (GemmKernels.Best == GemmKernelKind.Vector512)
        {
            yield return GemmKernelKind.Vector512;
        }
    }

    private static void CheckAgainstReference(GemmShape shape, GemmKernelKind kind, GemmScratch scratch, int seed, bool accumulate)
    {
        int m = shape.M, n = shape.N, k = shape.K;
        float[] a = TestData.Uniform(m * k, seed);
        float[] b = TestData.Uniform(k * n, seed + 1000);
        float[] c = TestData.Uniform(m * n, seed + 2000);
        float[] original = (float[])c.Clone();
        Gemm.Multiply(shape, a, b, c, accumulate, scratch, kind);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? original[(i * n) + j] : 0;
                double scale = Math.Abs(sum);
                for (int p = 0; p < k; p++)
                {
                    double av = shape.TransposeA ? a[(p * m) + i] : a[(i * k) + p];
                    double bv = shape.TransposeB ? b[(j * k) + p] : b[(p * n) + j];
                    sum += av * bv;
                    scale += Math.Abs(av * bv);
                }

                if (!Tolerance.IsClose(sum, c[(i * n) + j], scale, Tolerance.Gemm, 1e-7))
                {
                    Tolerance.Close(sum, c[(i * n) + j], scale, Tolerance.Gemm, 1e-7, $"{kind} {shape} accumulate={accumulate} C[{i},{j}]");
                }
            }
        }
    }
}
