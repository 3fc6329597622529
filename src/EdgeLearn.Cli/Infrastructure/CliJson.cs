using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeLearn.Serialization;

namespace EdgeLearn.Cli.Infrastructure;

/// <summary>The JSON settings of every file the CLI writes (formats.md: camelCase, SI numbers as JSON numbers).</summary>
public static class CliJson
{
    /// <summary>
    /// Shared, read-only serializer options: camelCase property names, indented, enums as camelCase
    /// strings, no escaping of non-ASCII text, and a number that is not finite written as <c>null</c> (JSON has no
    /// infinity; formats.md) rather than throwing after a run's work is done.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The text of a JSON file: <paramref name="value"/> serialized with <see cref="Options"/>, then a newline.</summary>
    /// <typeparam name="T">Type of the value.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="options">Serializer options; <see cref="Options"/> when <c>null</c>.</param>
    /// <returns>The file's text.</returns>
    public static string FileText<T>(T value, JsonSerializerOptions? options = null) =>
        JsonSerializer.Serialize(value, options ?? Options) + "\n";

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new FiniteDoubleConverter(), new FiniteSingleConverter() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
