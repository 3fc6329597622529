using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeLearn.Serialization;

namespace EdgeLearn.Explore.Api;

/// <summary>The JSON settings of the explorer's API: camelCase, compact, enums as camelCase strings, a number that is not
/// finite as <c>null</c>.</summary>
public static class ExploreJson
{
    /// <summary>Shared, read-only serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new FiniteDoubleConverter() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
