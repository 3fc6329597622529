using System.Buffers;
using System.Text;
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

    /// <summary>Parsing options of every EdgeLearn JSON input: comments and trailing commas allowed.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 64,
    };

    /// <summary>Runs a writer callback into indented UTF-8 JSON text ending with a newline.</summary>
    /// <param name="write">Writes one JSON value.</param>
    public static string ToText(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>The (value, rule) of an error for text that is not JSON: where it breaks and why, without the
    /// parser's own position suffix.</summary>
    /// <param name="ex">The parser's exception.</param>
    private static (string Value, string Rule) InvalidJson(JsonException ex)
    {
        // JsonException messages end with " LineNumber: 2 | BytePositionInLine: 4."; keep the reason only.
        var reason = ex.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
        }

        reason = (cut >= 0 ? reason[..cut] : reason).Trim().TrimEnd('.');
        var line = (ex.LineNumber ?? 0) + 1;
        var position = (ex.BytePositionInLine ?? 0) + 1;
        return ($"not valid JSON at line {line}, position {position}", $"must be valid JSON ({reason})");
    }

    /// <summary>Parses JSON text with <see cref="DocumentOptions"/>; on failure gives the (value, rule) of the error.</summary>
    /// <param name="json">The text.</param>
    /// <param name="document">The document, to be disposed by the caller.</param>
    /// <param name="error">Where and why the text is not JSON.</param>
    public static bool TryParse(string json, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JsonDocument? document,
        out (string Value, string Rule) error) =>
        TryParse(Encoding.UTF8.GetBytes(json), out document, out error); // the parser reads UTF-8 either way

    /// <summary>As <see cref="TryParse(string, out JsonDocument?, out ValueTuple{string, string})"/>, from UTF-8 bytes (a
    /// file as read: no UTF-16 copy of a large file is made; a leading byte-order mark is skipped).</summary>
    /// <param name="utf8">The bytes; the document refers to them until it is disposed.</param>
    /// <param name="document">The document, to be disposed by the caller.</param>
    /// <param name="error">Where and why the bytes are not JSON.</param>
    public static bool TryParse(ReadOnlyMemory<byte> utf8, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JsonDocument? document,
        out (string Value, string Rule) error)
    {
        if (utf8.Span.StartsWith(Encoding.UTF8.Preamble)) utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        // The parser does not check the text inside strings: bytes that are not UTF-8 would fail only when a field is read.
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span))
        {
            document = null;
            error = ("not UTF-8 text", "must be UTF-8 JSON (save the file as UTF-8)");
            return false;
        }

        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
            error = default;
            return true;
        }
        catch (JsonException ex)
        {
            document = null;
            error = InvalidJson(ex);
            return false;
        }
    }

    /// <summary>Reads a file's bytes (UTF-8 JSON); on failure gives the (value, rule) of an error naming the file and the reason.</summary>
    /// <param name="path">The file.</param>
    /// <param name="utf8">Its contents.</param>
    /// <param name="error">Why it could not be read.</param>
    public static bool TryReadFile(string path, out byte[] utf8, out (string Value, string Rule) error)
    {
        if (Directory.Exists(path))
        {
            utf8 = [];
            error = ($"unreadable ('{path}' is a folder)", "must be a readable JSON file");
            return false;
        }

        try
        {
            utf8 = File.ReadAllBytes(path);
            error = default;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var reason = ex is FileNotFoundException or DirectoryNotFoundException ? "does not exist" : ex.Message.TrimEnd('.');
            utf8 = [];
            error = ($"unreadable ('{path}' {reason})", "must be a readable JSON file");
            return false;
        }
    }
}
