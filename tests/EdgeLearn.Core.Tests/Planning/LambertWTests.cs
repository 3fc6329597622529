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

    [Theory]
    [InlineData(1e-300)]
    [InlineData(1e-40)]
    [InlineData(1e-20)]
    [InlineData(1e-12)]
    [InlineData(1e-9)]
    public void OnePlusW0Shifted_SmallY_MatchesTheBranchPointSeriesToFullPrecision(double y)
    {
        // x = 1 + W0((y − 1)/e) = p − p²/3 + 11p³/72 − 43p⁴/540 + … with p = √(2y); the terms after p⁴ are below 1e-16 · x here.
        double p = Math.Sqrt(2 * y);
        double series = p * (1 + (p * (-1.0 / 3 + (p * ((11.0 / 72) + (p * (-43.0 / 540)))))));

        double x = LambertW.OnePlusW0Shifted(y);

        Assert.Equal(1.0, x / series, 14);
    }

    [Theory]
    [InlineData(1e-3)]
    [InlineData(0.0999)]
    [InlineData(1.0)]
    [InlineData(50.0)]
    public void OnePlusW0Shifted_AwayFromTheBranchPoint_IsTheDirectFormula(double y) =>
        Assert.Equal(1 + LambertW.W0((y - 1) / Math.E), LambertW.OnePlusW0Shifted(y));

    [Fact]
    public void OnePlusW0Shifted_AtTheSwitch_IsContinuous()
    {
        double below = LambertW.OnePlusW0Shifted(1e-3 * (1 - 1e-12)), above = LambertW.OnePlusW0Shifted(1e-3);

        Assert.Equal(1.0, below / above, 9);
    }

    [Fact]
    public void DirectFormula_NearTheBranchPoint_LosesTheDigitsTheShiftedFormKeeps()
    {
        // Why the shifted form exists: at y = 1e-14 the direct formula is off by far more than rounding.
        double y = 1e-14, p = Math.Sqrt(2 * y), series = p * (1 - (p / 3));

        double direct = 1 + LambertW.W0((y - 1) / Math.E);

        Assert.True(Math.Abs((direct / series) - 1) > 1e-6, $"direct {direct:R}, series {series:R}");
        Assert.Equal(1.0, LambertW.OnePlusW0Shifted(y) / series, 12);
    }

    [Fact]
    public void OnePlusW0Shifted_FromAGuess_AgreesWithTheFreshValue()
    {
        // Guesses a few per cent off, as a device's price search moves, over the y a planner meets (and bad guesses).
        var random = new Random(3);
        for (int i = 0; i < 20_000; i++)
        {
            double y = Math.Exp(random.NextDouble() * 40 - 12);
            double fresh = LambertW.OnePlusW0Shifted(y);
            double guess = fresh * (1 + (random.NextDouble() - 0.5) * (i % 2 == 0 ? 0.05 : 3.0));

            double guessed = LambertW.OnePlusW0Shifted(y, guess);

            Assert.True(Math.Abs(guessed - fresh) <= 4e-15 * fresh, $"y = {y:R}, guess {guess:R}: {guessed:R} against {fresh:R}");
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void OnePlusW0Shifted_WithoutAUsableGuess_IsTheFreshValue(double guess) =>
        Assert.Equal(LambertW.OnePlusW0Shifted(7.5), LambertW.OnePlusW0Shifted(7.5, guess));
}
