using System.Text.Json;
using EdgeLearn.Scenarios.Internal;

namespace EdgeLearn.Internal;

/// <summary>Field look-ups shared by the hand-written JSON readers (scenario, plan), which report every
/// problem as a value (JSON path, the value found, the rule) instead of stopping at the first.</summary>
internal static class JsonFields
{
    /// <summary>Looks a property up; reports "missing" or "null" with "is required" when a required one is absent or null.</summary>
    /// <param name="parent">The object to look in; null when the parent itself was bad (its own error covers this field).</param>
    /// <param name="name">Property name.</param>
    /// <param name="parentPath">JSON path of the parent.</param>
    /// <param name="required">Whether absence is an error.</param>
    /// <param name="value">The property when found.</param>
    /// <param name="report">Receives (path, value, rule) of a problem.</param>
    public static bool TryGet(JsonElement? parent, string name, string parentPath, bool required, out JsonElement value,
        Action<string, string, string> report)
    {
        value = default;
        if (parent is not { } obj)
        {
            return false;
        }

        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            report(Paths.Join(parentPath, name), obj.TryGetProperty(name, out _) ? "null" : "missing", "is required");
        }

        return false;
    }

    /// <summary>A short description of a value of the wrong kind: its text for scalars, its kind for containers.</summary>
    /// <param name="value">The value.</param>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => Shorten(value.GetRawText()),
        _ => value.GetRawText(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
