using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using EdgeLearn.Training;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Infrastructure;

/// <summary>Builds the <see cref="Provenance"/> of what a command writes: the one place that gathers the tool version,
/// the command line, the options and the scenario hash; commands add the plan, data and seeds with <c>with</c>.</summary>
internal static class RunProvenance
{
    /// <summary>The tool's name as recorded.</summary>
    public const string Tool = "edgelearn";

    /// <summary>The provenance common to every output of a command.</summary>
    /// <param name="output">The command's output (it carries the command line as typed).</param>
    /// <param name="context">The command's context (its name; its arguments when the output has none).</param>
    /// <param name="settings">The parsed settings: every <c>[CommandOption]</c> property is recorded by its long name.</param>
    /// <param name="scenario">The scenario the command worked on.</param>
    /// <returns>The provenance, without plan, data or seeds.</returns>
    public static Provenance Create(CliOutput output, CommandContext context, CommandSettings settings, Scenario scenario) =>
        Create(output, context, settings) with { Scenario = scenario.Name, ScenarioSha256 = Provenance.ScenarioHash(scenario) };

    /// <summary>The provenance of a command that reads no scenario (<c>data shift</c>).</summary>
    /// <param name="output">The command's output.</param>
    /// <param name="context">The command's context.</param>
    /// <param name="settings">The parsed settings.</param>
    /// <returns>The provenance, without scenario, plan, data or seeds.</returns>
    public static Provenance Create(CliOutput output, CommandContext context, CommandSettings settings) => new()
    {
        Tool = Tool,
        Version = EdgeLearnApp.Version,
        Command = context.Name,
        Arguments = output.Arguments.Count > 0 ? output.Arguments : [.. context.Arguments],
        Options = Options(settings, output.Quiet),
    };

    /// <summary>A JSON object's text with a <c>provenance</c> object appended.</summary>
    /// <param name="json">The object's JSON text.</param>
    /// <param name="provenance">The provenance.</param>
    /// <returns>The JSON text, ending with a newline.</returns>
    public static string AddTo(string json, Provenance provenance)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        root["provenance"] = JsonSerializer.SerializeToNode(provenance, CliJson.Options);
        return root.ToJsonString(CliJson.Options) + "\n";
    }

    /// <summary>Every option of the settings by its first long name (<c>--rotate</c>), in ordinal order, with its value in
    /// the run: the typed one or the default; null when unset without a default.</summary>
    /// <param name="settings">The parsed settings.</param>
    /// <param name="quiet">Whether --quiet was given (the app takes it off the command line before the settings are parsed).</param>
    /// <returns>The options.</returns>
    public static IReadOnlyDictionary<string, object?> Options(CommandSettings settings, bool quiet)
    {
        var options = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<CommandOptionAttribute>() is { } option && option.LongNames.Count > 0)
            {
                options["--" + option.LongNames[0]] = property.GetValue(settings);
            }
        }

        if (options.ContainsKey("--quiet"))
        {
            options["--quiet"] = quiet;
        }

        return options;
    }

    /// <summary>Writes the plan JSON of <c>plan --json</c> (one object) or <c>compare --json</c> (an array of them, the
    /// planned results only) atomically to <paramref name="path"/>, with a <c>provenance</c> object at the end of every plan
    /// whose <c>planSha256</c> is that plan's. The JSON streams to the file: a plan of a million devices is never held as
    /// text or as a document tree.</summary>
    /// <param name="path">The output file.</param>
    /// <param name="results">The results; each written one has a plan.</param>
    /// <param name="asArray">Whether to write an array (compare) rather than one object (plan).</param>
    /// <param name="provenance">The command's provenance.</param>
    public static void WritePlans(string path, IReadOnlyList<PlanResult> results, bool asArray, Provenance provenance) =>
        AtomicFile.Write(path, stream =>
        {
            // The text as the CLI's other JSON files have it: indented, and non-ASCII text kept as it is.
            var options = new JsonWriterOptions { Indented = true, Encoder = CliJson.Options.Encoder };
            using (var writer = new Utf8JsonWriter(new StreamBufferWriter(stream), options))
            {
                if (asArray) writer.WriteStartArray();
                foreach (var result in results.Where(r => r.Plan is not null))
                {
                    var own = provenance with { PlanSha256 = Provenance.PlanHash(result.Plan!) };
                    PlanJson.Write(writer, result, w =>
                    {
                        w.WritePropertyName("provenance");
                        JsonSerializer.Serialize(w, own, CliJson.Options);
                    });
                }

                if (asArray) writer.WriteEndArray();
            }

            stream.Write("\n"u8);
        });
}
