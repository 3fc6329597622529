using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeLearn.Serialization;

/// <summary>Writes a finite double as a number and NaN or an infinity as <c>null</c> (JSON has no infinity;
/// docs/formats.md); reads numbers only. Every JSON front end of EdgeLearn (files, the explorer's API) uses it, so a
/// non-finite value never reaches a user as text.</summary>
public sealed class FiniteDoubleConverter : JsonConverter<double>
{
    /// <inheritdoc/>
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : throw new JsonException("expected a number");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }
}

/// <summary>Writes a finite float as a number and NaN or an infinity as <c>null</c>; reads numbers only.</summary>
public sealed class FiniteSingleConverter : JsonConverter<float>
{
    /// <inheritdoc/>
    public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetSingle() : throw new JsonException("expected a number");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (float.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }
}
