using System.Globalization;
using EdgeLearn.Cli.Commands.Planning.Internal;

namespace EdgeLearn.Cli.Infrastructure;

/// <summary>Numbers for table cells that must not wrap at 80 columns.</summary>
internal static class CellText
{
    /// <summary>A number in at most <paramref name="width"/> characters: <paramref name="digits"/> significant digits
    /// ("0.2108", "1.234E-28"), whole numbers from 1000 up ("577197"); when that is too wide, as many digits as fit
    /// (<see cref="PlanText.Compact"/>); "—" for NaN, "∞" for infinities.</summary>
    /// <param name="value">The number.</param>
    /// <param name="width">The most characters the cell holds.</param>
    /// <param name="digits">Significant digits wanted.</param>
    public static string Fit(double value, int width, int digits = 4)
    {
        if (!double.IsFinite(value))
        {
            return PlanText.Compact(value, width);
        }

        string text = Math.Abs(value) >= 1000
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return text.Length <= width ? text : PlanText.Compact(value, width);
    }
}
