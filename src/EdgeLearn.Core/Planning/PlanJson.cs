using System.Text.Json;
using EdgeLearn.Internal;
using EdgeLearn.Planning.Internal;

namespace EdgeLearn.Planning;

/// <summary>
/// Reads and writes the plan JSON of formats.md: one object per plan (<c>edgelearn plan --json</c>) or an
/// array of them (<c>edgelearn compare --json</c>). Field names are a contract; written from a
/// <see cref="PlanResult"/>, a plan also carries the added <c>certificate</c> and <c>search</c> objects,
/// which reading ignores.
/// </summary>
/// <example><code>
/// File.WriteAllText("plan.json", PlanJson.Serialize(Planner.Plan(scenario)));
/// var read = PlanJson.Load("plan.json");
/// if (!read.IsValid) foreach (var e in read.Errors) Console.Error.WriteLine(e.Message);
/// </code></example>
public static class PlanJson
{
    /// <summary>Writes one plan as an indented formats.md object (no <c>certificate</c> or <c>search</c>).</summary>
    /// <param name="plan">The plan; its numbers must be finite.</param>
    /// <returns>The JSON text, ending with a newline; <see cref="Parse"/> gives back an equal plan.</returns>
    /// <exception cref="ArgumentException">A number of the plan is NaN or infinite (JSON cannot hold it).</exception>
    public static string Serialize(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return JsonFields.ToText(writer => Write(writer, plan));
    }

    /// <summary>Writes a planned result as one plan object with its <c>certificate</c> and <c>search</c>.</summary>
    /// <param name="result">A result whose <see cref="PlanResult.Status"/> is <see cref="PlanStatus.Planned"/>.</param>
    /// <returns>The JSON text, ending with a newline.</returns>
    /// <exception cref="ArgumentException">The result is infeasible (it has no plan).</exception>
    public static string Serialize(PlanResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Plan is null)
        {
            throw new ArgumentException($"The {result.Scheme.ToName()} result is infeasible and has no plan to write.", nameof(result));
        }

        return JsonFields.ToText(writer => Write(writer, result));
    }

    /// <summary>Writes plans as a JSON array of plan objects, in the given order.</summary>
    /// <param name="plans">The plans.</param>
    /// <returns>The JSON text, ending with a newline.</returns>
    public static string SerializeAll(IEnumerable<Plan> plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        return JsonFields.ToText(writer =>
        {
            writer.WriteStartArray();
            foreach (var plan in plans)
            {
                Write(writer, plan);
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>
    /// Writes the planned results as a JSON array of plan objects (with <c>certificate</c> and <c>search</c>),
    /// in the given order. Infeasible results are left out, so every element is a complete plan; a reader
    /// finds which schemes are missing from their <c>scheme</c> names.
    /// </summary>
    /// <param name="results">The results, e.g. from <see cref="Planner.Compare(Scenarios.Scenario, PlannerOptions?)"/>.</param>
    /// <returns>The JSON text, ending with a newline (<c>[]</c> when no result has a plan).</returns>
    public static string SerializeAll(IEnumerable<PlanResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return JsonFields.ToText(writer =>
        {
            writer.WriteStartArray();
            foreach (var result in results.Where(r => r.Plan is not null))
            {
                Write(writer, result);
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>Writes one plan object to a JSON writer (for embedding in larger documents).</summary>
    /// <param name="writer">The destination, positioned where a value may start.</param>
    /// <param name="plan">The plan; its numbers must be finite.</param>
    public static void Write(Utf8JsonWriter writer, Plan plan) => Write(writer, plan, null, null);

    /// <summary>Writes a planned result as one plan object with its <c>certificate</c> and <c>search</c>.</summary>
    /// <param name="writer">The destination, positioned where a value may start.</param>
    /// <param name="result">A planned result.</param>
    /// <exception cref="ArgumentException">The result is infeasible.</exception>
    public static void Write(Utf8JsonWriter writer, PlanResult result) => Write(writer, result, null);

    /// <summary>As <see cref="Write(Utf8JsonWriter, PlanResult)"/>, with more properties of the caller's at the end of the
    /// object (a tool's provenance), so that large plans stream to their file in one pass.</summary>
    /// <param name="writer">The destination, positioned where a value may start.</param>
    /// <param name="result">A planned result.</param>
    /// <param name="extraProperties">Writes properties (names and values) into the open plan object; none when null.</param>
    /// <exception cref="ArgumentException">The result is infeasible.</exception>
    public static void Write(Utf8JsonWriter writer, PlanResult result, Action<Utf8JsonWriter>? extraProperties)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plan = result.Plan ?? throw new ArgumentException($"The {result.Scheme.ToName()} result is infeasible and has no plan to write.", nameof(result));
        Write(writer, plan, result, extraProperties);
    }

    /// <summary>Parses one plan object.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>
    /// The plan, or every error with its JSON path: invalid JSON (one error with line and position), a
    /// document that is not an object, missing fields, wrong types, an unknown scheme name, rounds or
    /// batches that are not whole numbers in range (M ≥ 0, N ≥ 1, batches ≥ 1) and non-finite numbers.
    /// <c>predicted</c> may be absent (see <see cref="PlanLoadResult.HasPrediction"/>); unknown fields are ignored.
    /// Whether the plan fits a scenario is <see cref="PlanEvaluator"/>'s job.
    /// </returns>
    public static PlanLoadResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonFields.TryParse(json, out var document, out var invalid)
            ? Read(document)
            : PlanLoadResult.Failure([new PlanError(string.Empty, invalid.Value, invalid.Rule)]);
    }

    private static PlanLoadResult Read(JsonDocument document)
    {
        using (document)
        {
            var reader = new PlanJsonReader();
            var plan = reader.Read(document.RootElement);
            return reader.Errors.Count == 0 ? PlanLoadResult.Success(plan, reader.HasPrediction) : PlanLoadResult.Failure(reader.Errors);
        }
    }

    /// <summary>Reads and parses a plan file.</summary>
    /// <param name="path">Path of a UTF-8 JSON file.</param>
    /// <returns>As <see cref="Parse"/>; an unreadable file gives one error naming the file and the reason.</returns>
    public static PlanLoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!JsonFields.TryReadFile(path, out var utf8, out var unreadable))
        {
            return PlanLoadResult.Failure([new PlanError(string.Empty, unreadable.Value, unreadable.Rule)]);
        }

        return JsonFields.TryParse(utf8, out var document, out var invalid)
            ? Read(document)
            : PlanLoadResult.Failure([new PlanError(string.Empty, invalid.Value, invalid.Rule)]);
    }

    private static void Write(Utf8JsonWriter writer, Plan plan, PlanResult? result, Action<Utf8JsonWriter>? extraProperties)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(plan);
        writer.WriteStartObject();
        writer.WriteString("scheme", plan.Scheme.ToName());
        writer.WriteNumber("pretrainRounds", plan.PretrainRounds);
        writer.WriteNumber("finetuneRounds", plan.FinetuneRounds);

        writer.WriteStartObject("server");
        writer.WriteNumber("batch", plan.Server.Batch);
        writer.WriteNumber("frequencyHz", plan.Server.FrequencyHz);
        writer.WriteEndObject();

        writer.WriteStartArray("devices");
        foreach (var device in plan.Devices)
        {
            writer.WriteStartObject();
            writer.WriteString("id", device.Id);
            writer.WriteNumber("batch", device.Batch);
            writer.WriteNumber("frequencyHz", device.FrequencyHz);
            writer.WriteNumber("powerW", device.PowerW);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        var p = plan.Predicted;
        writer.WriteStartObject("predicted");
        writer.WriteNumber("delayS", p.DelayS);
        writer.WriteNumber("energyJ", p.EnergyJ);
        writer.WriteNumber("bound", p.Bound);
        writer.WriteNumber("lowerBound", p.LowerBound);
        writer.WriteNumber("gap", p.Gap);
        writer.WriteEndObject();

        if (result?.Certificate is { } certificate)
        {
            writer.WriteStartObject("certificate");
            OptionalNumber(writer, "relaxedBound", certificate.Bound);
            OptionalNumber(writer, "lowerBound", certificate.LowerBound);
            OptionalNumber(writer, "dualityGap", certificate.DualityGap);
            OptionalNumber(writer, "energyPrice", certificate.EnergyPrice);
            OptionalNumber(writer, "delayPrice", certificate.DelayPrice);
            writer.WriteNumber("evaluations", certificate.Evaluations);
            writer.WriteNumber("priceIterations", certificate.PriceIterations);
            writer.WriteNumber("deadlineIterations", certificate.DeadlineIterations);
            writer.WriteBoolean("converged", certificate.Converged);
            writer.WriteEndObject();
        }

        if (result?.Search is { } search)
        {
            writer.WriteStartObject("search");
            writer.WriteString("strategy", search.Strategy);
            writer.WriteNumber("maxPretrainRounds", search.MaxPretrainRounds);
            writer.WriteNumber("maxFinetuneRounds", search.MaxFinetuneRounds);
            writer.WriteNumber("largestFeasiblePretrainRounds", search.LargestFeasiblePretrainRounds);
            writer.WriteNumber("pairsEvaluated", search.PairsEvaluated);
            writer.WriteNumber("feasibilityChecks", search.FeasibilityChecks);
            writer.WriteNumber("relaxedPretrainRounds", search.RelaxedPretrainRounds);
            writer.WriteNumber("relaxedFinetuneRounds", search.RelaxedFinetuneRounds);
            OptionalNumber(writer, "relaxedBound", search.RelaxedBound);
            writer.WriteNumber("notConvergedSolves", search.NotConvergedSolves);
            writer.WriteEndObject();
        }

        extraProperties?.Invoke(writer);
        writer.WriteEndObject();
    }

    /// <summary>A diagnostic number, or <c>null</c> when it is not finite (JSON has no infinity).</summary>
    private static void OptionalNumber(Utf8JsonWriter writer, string name, double value)
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
