using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeLearn.Training.Study;

/// <summary>The JSON form of a study's files: camelCase, indented, enums as camelCase strings, nulls left out.</summary>
public static class StudyJson
{
    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Serializes <paramref name="value"/> (with a final newline).</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options) + "\n";

    /// <summary>Deserializes a study file.</summary>
    /// <exception cref="JsonException">The text is not such a file.</exception>
    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("the file holds null.");
}
