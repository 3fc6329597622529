using EdgeLearn.Cli.Commands.Planning.Internal;
using EdgeLearn.Cli.Infrastructure;

namespace EdgeLearn.Cli.Tests.Infrastructure;

public class CellTextTests
{
    [Theory]
    [InlineData(0.2107883, 8, 4, "0.2108")]
    [InlineData(577197.4, 9, 4, "577197")]
    [InlineData(1.234e-28, 9, 4, "1.234E-28")]
    [InlineData(1.234e-28, 5, 4, "1E-28")]
    [InlineData(123456789012.0, 7, 4, "1.2E+11")]
    [InlineData(0.0726, 6, 2, "0.073")]
    [InlineData(double.NaN, 6, 4, "—")]
    public void Fit_SignificantDigitsWithinTheWidth(double value, int width, int digits, string expected) =>
        Assert.Equal(expected, CellText.Fit(value, width, digits));

    [Fact]
    public void Compact_TinyNonZero_NotShownAsZero()
    {
        Assert.Equal("1E-28", PlanText.Compact(1e-28, 7));
        Assert.Equal("-3E-08", PlanText.Compact(-3e-8, 7));
        Assert.Equal("0", PlanText.Compact(0, 7));
    }
}
