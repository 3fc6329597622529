namespace EdgeLearn.Explore.Levers;

/// <summary>The span a slider covers.</summary>
/// <param name="Min">Smallest value on the slider.</param>
/// <param name="Max">Largest value on the slider.</param>
/// <param name="Logarithmic">Whether the slider moves in equal ratios (budgets, frequencies) rather than equal steps.</param>
/// <param name="Integer">Whether only whole numbers are meaningful (the number of devices).</param>
public sealed record LeverRange(double Min, double Max, bool Logarithmic, bool Integer = false)
{
    /// <summary><paramref name="count"/> values from <see cref="Min"/> to <see cref="Max"/>, equally spaced on the
    /// slider's scale (in log for a logarithmic range), both ends included.</summary>
    /// <param name="count">At least 2.</param>
    /// <returns>The values, ascending.</returns>
    public IReadOnlyList<double> Spaced(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            double t = i / (double)(count - 1);
            values[i] = Logarithmic ? Min * Math.Pow(Max / Min, t) : Min + ((Max - Min) * t);
        }

        values[^1] = Max;
        return values;
    }
}
