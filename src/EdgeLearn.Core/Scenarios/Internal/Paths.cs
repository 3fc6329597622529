using System.Globalization;

namespace EdgeLearn.Scenarios.Internal;

/// <summary>JSON paths and value texts for <see cref="ScenarioError"/>.</summary>
internal static class Paths
{
    /// <summary>Joins a parent path and a property name: <c>server</c> + <c>kappa</c> → <c>server.kappa</c>.</summary>
    public static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    /// <summary>An array element path: <c>devices</c>, 3 → <c>devices[3]</c>.</summary>
    public static string Index(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>
    /// Whether an error at <paramref name="covering"/> already explains one at <paramref name="path"/>
    /// (the same field, a field inside it, or the empty path of the whole document).
    /// </summary>
    public static bool Covers(string covering, string path) =>
        covering.Length == 0
        || path.StartsWith(covering, StringComparison.Ordinal)
        && (path.Length == covering.Length || path[covering.Length] is '.' or '[');

    /// <summary>A number as the user would write it (shortest round-trip form, invariant culture).</summary>
    public static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>An integer in invariant culture.</summary>
    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A string as a JSON literal would show it, quoted.</summary>
    public static string Quote(string? value) => value is null ? "null" : "\"" + Printable(value) + "\"";

    /// <summary>The text with every control character written as a \uXXXX escape, so that a message never carries a raw
    /// tab, escape or bell to the user's terminal.</summary>
    public static string Printable(string value) =>
        value.Any(char.IsControl)
            ? string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()))
            : value;
}
