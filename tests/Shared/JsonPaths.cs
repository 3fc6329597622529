using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeLearn.Tests.Shared;

/// <summary>Scenario JSON by path ("devices[0].kappa"): the numeric leaves of a document and setting one of them. Linked
/// into the test projects that sweep scenario fields (the extreme-value sweep and the bad-input catalogue).</summary>
internal static class JsonPaths
{
    /// <summary>The paths of every number in the document, in document order.</summary>
    public static IEnumerable<string> NumericLeaves(JsonNode node, string path = "") => node switch
    {
        JsonObject o => o.SelectMany(p => NumericLeaves(p.Value!, path.Length == 0 ? p.Key : $"{path}.{p.Key}")),
        JsonArray a => a.SelectMany((item, i) => NumericLeaves(item!, $"{path}[{i}]")),
        JsonValue v when v.TryGetValue(out double _) => [path],
        _ => [],
    };

    /// <summary>Replaces the value at <paramref name="path"/> (objects by key, arrays by "[index]").</summary>
    public static void Set(JsonNode root, string path, JsonNode? value)
    {
        JsonNode node = root;
        string[] parts = path.Split('.');
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            int bracket = part.IndexOf('[', StringComparison.Ordinal);
            string key = bracket < 0 ? part : part[..bracket];
            bool last = i == parts.Length - 1;
            if (bracket < 0)
            {
                if (last) node[key] = value;
                else node = node[key]!;
            }
            else
            {
                int index = int.Parse(part[(bracket + 1)..^1], CultureInfo.InvariantCulture);
                if (last) node[key]![index] = value;
                else node = node[key]![index]!;
            }
        }
    }
}
