using System.ComponentModel;
using System.Text.Json;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Scenarios;

/// <summary>Settings of <c>edgelearn scenario generate</c>.</summary>
internal sealed class GenerateScenarioSettings : CliSettings
{
    /// <summary>Largest accepted number of devices.</summary>
    public const int MaxDevices = 1_000_000;

    /// <summary>Number of devices K.</summary>
    [CommandOption("--devices <K>")]
    [Description("Number of devices K (1 to 1000000). Required.")]
    public int? Devices { get; init; }

    /// <summary>Seed of the random draws.</summary>
    [CommandOption("--seed <S>")]
    [Description("Seed of the random draws (any integer); the same seed gives the same scenario. Required.")]
    public int? Seed { get; init; }

    /// <summary>Output file; stdout when absent.</summary>
    [CommandOption("--out <FILE>")]
    [Description("Write the scenario JSON to FILE (atomically). Default: print it to stdout.")]
    public string? Out { get; init; }

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        if (Devices is null)
        {
            return ValidationResult.Error("--devices is missing; it is required (a number of devices from 1 to 1000000).");
        }

        if (Devices is < 1 or > MaxDevices)
        {
            return ValidationResult.Error($"--devices is {Devices}; it must be between 1 and {MaxDevices}.");
        }

        if (Seed is null)
        {
            return ValidationResult.Error("--seed is missing; it is required (any integer, e.g. --seed 1).");
        }

        return OutputPath.CheckFile("--out", Out);
    }
}

/// <summary><c>edgelearn scenario generate --devices K --seed S [--out FILE]</c>.</summary>
internal sealed class GenerateScenarioCommand(CliOutput output) : Command<GenerateScenarioSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, GenerateScenarioSettings settings, CancellationToken cancellationToken)
    {
        var scenario = ScenarioGenerator.Generate(settings.Devices!.Value, settings.Seed!.Value);
        if (settings.Out is null)
        {
            output.WriteRaw(ScenarioJson.Serialize(scenario));
        }
        else
        {
            // The text of ScenarioJson.Serialize, streamed to the file: a million devices are a 286 MB file.
            AtomicFile.Write(settings.Out, stream =>
            {
                using (var writer = new Utf8JsonWriter(new StreamBufferWriter(stream), new JsonWriterOptions { Indented = true }))
                {
                    ScenarioJson.Write(writer, scenario);
                }

                stream.Write("\n"u8);
            });
            output.Status($"Wrote {scenario.Name} ({scenario.Devices.Count} devices) to {settings.Out}.");
        }

        return ExitCodes.Ok;
    }
}
