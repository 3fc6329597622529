using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeLearn.Scenarios.Internal;

namespace EdgeLearn.Internal;

/// <summary>
/// The field names a hand-written JSON reader looked up, per object, and the check of a document against them:
/// a key given twice in one object is an error (which value counts would be a guess), a key the reader never
/// looked up is reported as unknown, with the nearest known name. Array elements share one set of names
/// (<c>devices[3]</c> and <c>devices[0]</c> both count as <c>devices[]</c>).
/// </summary>
internal sealed partial class JsonKeys
{
    private readonly Dictionary<string, HashSet<string>> _known = new(StringComparer.Ordinal);

    /// <summary>Records that the reader looks up <paramref name="name"/> in the object at <paramref name="parentPath"/>.</summary>
    public void Add(string parentPath, string name)
    {
        var key = Normalize(parentPath);
        if (!_known.TryGetValue(key, out var names))
        {
            _known[key] = names = new HashSet<string>(StringComparer.Ordinal);
        }

        names.Add(name);
    }

    /// <summary>Walks <paramref name="root"/>: keys given twice go to <paramref name="duplicate"/>, keys the reader did not
    /// look up in an object it read go to <paramref name="unknown"/> (not descended into). Both receive (path, value, rule).</summary>
    public void Check(JsonElement root, Action<string, string, string> duplicate, Action<string, string, string> unknown) =>
        Walk(root, string.Empty, duplicate, unknown);

    private void Walk(JsonElement element, string path, Action<string, string, string> duplicate, Action<string, string, string> unknown)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, Paths.Index(path, i++), duplicate, unknown);
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        _known.TryGetValue(Normalize(path), out var known);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var childPath = Paths.Join(path, property.Name);
            if (!seen.Add(property.Name))
            {
                duplicate(childPath, "given twice", "must be given once (the keys of a JSON object must be unique)");
                continue;
            }

            if (known is not null && !known.Contains(property.Name))
            {
                unknown(childPath, "not a known field", $"is ignored ({Suggestion(property.Name, known)})");
                continue;
            }

            Walk(property.Value, childPath, duplicate, unknown);
        }
    }

    /// <summary>"did you mean 'limits'?" for a near name; otherwise the names that are known there.</summary>
    private static string Suggestion(string name, IReadOnlyCollection<string> known)
    {
        var nearest = known.MinBy(k => Distance(name.ToLowerInvariant(), k.ToLowerInvariant()));
        return nearest is not null && Distance(name.ToLowerInvariant(), nearest.ToLowerInvariant()) <= Math.Max(2, name.Length / 3)
            ? $"did you mean '{nearest}'?"
            : $"the fields here are {string.Join(", ", known.Order(StringComparer.Ordinal))}";
    }

    /// <summary>Edit distance (insertions, deletions, substitutions, and swaps of neighbours).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static string Normalize(string path) => ArrayIndex().Replace(path, "[]");

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex ArrayIndex();
}
