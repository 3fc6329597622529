using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EdgeLearn.Planning;

namespace EdgeLearn.Cli.Commands.Planning.Internal;

/// <summary>
/// The JSON of <c>edgelearn evaluate --json FILE</c>: the plan's scheme and rounds, whether it is feasible,
/// the re-checked totals and bound, the round costs, every device's cost and every constraint with its slack.
/// Numbers that are not finite (e.g. the time of a zero frequency) are written as <c>null</c>.
/// </summary>
internal static class EvaluationJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The JSON text, ending with a newline.</summary>
    public static string Serialize(Plan plan, PlanEvaluation evaluation)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("scheme", plan.Scheme.ToName());
            w.WriteNumber("pretrainRounds", plan.PretrainRounds);
            w.WriteNumber("finetuneRounds", plan.FinetuneRounds);
            w.WriteBoolean("feasible", evaluation.Feasible);
            w.WriteStartArray("violated");
            foreach (var c in evaluation.Constraints.Where(c => !c.Satisfied))
            {
                w.WriteStringValue(c.Name);
            }

            w.WriteEndArray();
            Number(w, "delayS", evaluation.DelayS);
            Number(w, "energyJ", evaluation.EnergyJ);
            Number(w, "bound", evaluation.Bound);

            w.WriteStartObject("pretrainRound");
            Number(w, "delayS", evaluation.PretrainRound.DelayS);
            Number(w, "energyJ", evaluation.PretrainRound.EnergyJ);
            w.WriteEndObject();
            w.WriteStartObject("finetuneRound");
            Number(w, "delayS", evaluation.FinetuneRound.DelayS);
            Number(w, "energyJ", evaluation.FinetuneRound.EnergyJ);
            w.WriteEndObject();

            w.WriteStartArray("devices");
            foreach (var d in evaluation.Devices)
            {
                w.WriteStartObject();
                w.WriteString("id", d.Id);
                w.WriteNumber("batch", d.Batch);
                Number(w, "frequencyHz", d.FrequencyHz);
                Number(w, "powerW", d.PowerW);
                Number(w, "computeTimeS", d.Cost.ComputeTimeS);
                Number(w, "uploadTimeS", d.Cost.UploadTimeS);
                Number(w, "computeEnergyJ", d.Cost.ComputeEnergyJ);
                Number(w, "uploadEnergyJ", d.Cost.UploadEnergyJ);
                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartArray("constraints");
            foreach (var c in evaluation.Constraints)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("relation", c.Relation);
                Number(w, "value", c.Value);
                Number(w, "limit", c.Limit);
                Number(w, "slack", c.Slack);
                w.WriteBoolean("satisfied", c.Satisfied);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
