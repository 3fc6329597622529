using EdgeLearn.Planning.Internal;

namespace EdgeLearn.Core.Tests.Planning;

public class LambertWTests
{
    [Theory]
    [InlineData(1.0, 0.5671432904097838)]
    [InlineData(Math.E, 1.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(-0.36787944117144233, -1.0)]
    public void W0_KnownValues(double x, double expected) => Assert.Equal(expected, LambertW.W0(x), 1e-12);

    [Theory]
    [InlineData(-0.3678)]
    [InlineData(-0.2)]
    [InlineData(1e-8)]
    [InlineData(2.5)]
    [InlineData(1e3)]
    [InlineData(1e30)]
    [InlineData(1e300)]
    public void W0_SatisfiesDefiningEquation(double x)
    {
        double w = LambertW.W0(x);

        Assert.Equal(x, w * Math.Exp(w), 1e-13 * Math.Abs(x) + 1e-300);
    }
}
