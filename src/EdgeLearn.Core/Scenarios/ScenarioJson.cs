using System.Text.Json;
using EdgeLearn.Internal;
using EdgeLearn.Scenarios.Internal;

namespace EdgeLearn.Scenarios;

/// <summary>
/// Reads and writes the scenario JSON of formats.md (camelCase, SI units; <c>downlink</c> and
/// <c>limits</c> optional). Reading reports every error with its JSON path and validates the result.
/// </summary>
public static class ScenarioJson
{
    /// <summary>Parses and validates a scenario.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>
    /// The scenario, or every error: invalid JSON gives one error with its line and position;
    /// otherwise all keys given twice in one object, missing required fields, wrong types and
    /// <see cref="ScenarioValidator"/> violations. Unknown fields are ignored and listed in
    /// <see cref="ScenarioLoadResult.Warnings"/> with the nearest known name.
    /// </returns>
    public static ScenarioLoadResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonFields.TryParse(json, out var document, out var invalid)
            ? Read(document)
            : ScenarioLoadResult.Failure([new ScenarioError(string.Empty, invalid.Value, invalid.Rule)]);
    }

    private static ScenarioLoadResult Read(JsonDocument document)
    {
        using (document)
        {
            var reader = new ScenarioJsonReader();
            var scenario = reader.Read(document.RootElement);
            var structural = reader.Errors;
            var errors = new List<ScenarioError>(structural);
            foreach (var error in ScenarioValidator.Validate(scenario))
            {
                if (!structural.Any(s => Paths.Covers(s.Path, error.Path)))
                {
                    errors.Add(error);
                }
            }

            var result = errors.Count == 0 ? ScenarioLoadResult.Success(scenario) : ScenarioLoadResult.Failure(errors);
            return result with { Warnings = reader.Warnings };
        }
    }

    /// <summary>Reads, parses and validates a scenario file.</summary>
    /// <param name="path">Path of a UTF-8 JSON file.</param>
    /// <returns>As <see cref="Parse"/>; an unreadable file gives one error naming the file and the reason.</returns>
    public static ScenarioLoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!JsonFields.TryReadFile(path, out var utf8, out var unreadable))
        {
            return ScenarioLoadResult.Failure([new ScenarioError(string.Empty, unreadable.Value, unreadable.Rule)]);
        }

        return JsonFields.TryParse(utf8, out var document, out var invalid)
            ? Read(document)
            : ScenarioLoadResult.Failure([new ScenarioError(string.Empty, invalid.Value, invalid.Rule)]);
    }

    /// <summary>Writes a scenario as indented formats.md JSON.</summary>
    /// <param name="scenario">The scenario; its numbers must be finite (validate first).</param>
    /// <returns>The JSON text, ending with a newline. Numbers use the shortest round-trip form, so
    /// <see cref="Parse"/> gives back an equal scenario.</returns>
    /// <exception cref="ArgumentException">A number is NaN or infinite (JSON cannot hold it).</exception>
    public static string Serialize(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return JsonFields.ToText(writer => Write(writer, scenario));
    }

    /// <summary>Writes a scenario object to a JSON writer (for embedding in larger documents).</summary>
    /// <param name="writer">The destination writer, positioned where a value may start.</param>
    /// <param name="scenario">The scenario; its numbers must be finite.</param>
    public static void Write(Utf8JsonWriter writer, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(scenario);
        writer.WriteStartObject();
        writer.WriteString("name", scenario.Name);

        writer.WriteStartObject("server");
        writer.WriteNumber("maxFrequencyHz", scenario.Server.MaxFrequencyHz);
        writer.WriteNumber("kappa", scenario.Server.Kappa);
        writer.WriteNumber("cyclesPerSample", scenario.Server.CyclesPerSample);
        writer.WriteNumber("maxBatch", scenario.Server.MaxBatch);
        writer.WriteEndObject();

        writer.WriteStartArray("devices");
        foreach (var device in scenario.Devices)
        {
            writer.WriteStartObject();
            writer.WriteString("id", device.Id);
            writer.WriteNumber("maxFrequencyHz", device.MaxFrequencyHz);
            writer.WriteNumber("kappa", device.Kappa);
            writer.WriteNumber("cyclesPerSample", device.CyclesPerSample);
            writer.WriteNumber("maxPowerW", device.MaxPowerW);
            writer.WriteNumber("bandwidthHz", device.BandwidthHz);
            writer.WriteNumber("channelGain", device.ChannelGain);
            writer.WriteNumber("datasetSize", device.DatasetSize);
            writer.WriteNumber("maxBatch", device.MaxBatch);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartObject("channel");
        writer.WriteNumber("noisePsdWPerHz", scenario.Channel.NoisePsdWPerHz);
        writer.WriteEndObject();

        writer.WriteStartObject("downlink");
        writer.WriteNumber("delayS", scenario.Downlink.DelayS);
        writer.WriteNumber("energyJ", scenario.Downlink.EnergyJ);
        writer.WriteEndObject();

        writer.WriteStartObject("model");
        writer.WriteNumber("uploadBits", scenario.Model.UploadBits);
        writer.WriteEndObject();

        writer.WriteStartObject("budget");
        writer.WriteNumber("energyJ", scenario.Budget.EnergyJ);
        writer.WriteNumber("delayS", scenario.Budget.DelayS);
        writer.WriteEndObject();

        writer.WriteStartObject("limits");
        writer.WriteNumber("maxPretrainRounds", scenario.Limits.MaxPretrainRounds);
        writer.WriteNumber("maxFinetuneRounds", scenario.Limits.MaxFinetuneRounds);
        writer.WriteEndObject();

        var learning = scenario.Learning;
        writer.WriteStartObject("learning");
        writer.WriteNumber("smoothness", learning.Smoothness);
        writer.WriteNumber("stepSize", learning.StepSize);
        writer.WriteNumber("pretrainStepSize", learning.PretrainStepSize);
        writer.WriteNumber("plConstant", learning.PlConstant);
        writer.WriteNumber("gradientVariance", learning.GradientVariance);
        writer.WriteNumber("pretrainGradientVariance", learning.PretrainGradientVariance);
        writer.WriteNumber("pretrainInitialGap", learning.PretrainInitialGap);
        writer.WriteNumber("targetInitialGap", learning.TargetInitialGap);
        writer.WriteStartObject("shift");
        writer.WriteNumber("wasserstein", learning.Shift.Wasserstein);
        writer.WriteNumber("dataLipschitz", learning.Shift.DataLipschitz);
        if (learning.Shift.MeasuredGap is { } gap)
        {
            writer.WriteNumber("gap", gap);
        }

        if (learning.Shift.OptimumGap is { } optimumGap)
        {
            writer.WriteNumber("optimumGap", optimumGap);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();

        writer.WriteEndObject();
    }
}
