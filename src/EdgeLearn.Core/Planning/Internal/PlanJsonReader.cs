using System.Text.Json;
using EdgeLearn.Internal;
using EdgeLearn.Scenarios.Internal;

namespace EdgeLearn.Planning.Internal;

/// <summary>
/// Reads a plan from a parsed JSON document field by field, recording every error (missing field, wrong
/// type, unknown scheme, non-finite number, batch or rounds out of range) with its JSON path instead of
/// stopping at the first. A key given twice in one object is an error; unknown fields (e.g. <c>certificate</c>,
/// <c>search</c>) are ignored.
/// </summary>
internal sealed class PlanJsonReader
{
    private readonly List<PlanError> _errors = [];

    /// <summary>Errors found so far, in document order.</summary>
    public IReadOnlyList<PlanError> Errors => _errors;

    /// <summary>Whether the document had a <c>predicted</c> object.</summary>
    public bool HasPrediction { get; private set; }

    /// <summary>Reads the root object; the result is meaningful only when <see cref="Errors"/> is empty.</summary>
    public Plan Read(JsonElement root)
    {
        // No names are registered, so only keys given twice are reported (plans carry extra objects by design).
        new JsonKeys().Check(root, (path, value, rule) => _errors.Add(new PlanError(path, value, rule)), (_, _, _) => { });
        JsonElement? doc = root;
        if (root.ValueKind != JsonValueKind.Object)
        {
            var rule = root.ValueKind == JsonValueKind.Array
                ? "must be one plan object (compare --json writes an array of plans; pick one element)"
                : "must be a JSON object with the fields of formats.md";
            _errors.Add(new PlanError(string.Empty, Describe(root), rule));
            doc = null;
        }

        var scheme = SchemeName(doc);
        var pretrainRounds = Integer(doc, "pretrainRounds", string.Empty, minimum: 0);
        var finetuneRounds = Integer(doc, "finetuneRounds", string.Empty, minimum: 1);
        var server = Section(doc, "server", string.Empty, required: true);
        var serverAllocation = new ServerAllocation(
            Integer(server, "batch", "server", minimum: 1),
            Number(server, "frequencyHz", "server"));
        var devices = Devices(doc);
        var predicted = Section(doc, "predicted", string.Empty, required: false);
        HasPrediction = predicted is not null;
        var prediction = predicted is null
            ? new PlanPrediction(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN)
            : new PlanPrediction(
                Number(predicted, "delayS", "predicted"),
                Number(predicted, "energyJ", "predicted"),
                Number(predicted, "bound", "predicted"),
                Number(predicted, "lowerBound", "predicted"),
                Number(predicted, "gap", "predicted"));

        return new Plan
        {
            Scheme = scheme,
            PretrainRounds = pretrainRounds,
            FinetuneRounds = finetuneRounds,
            Server = serverAllocation,
            Devices = devices,
            Predicted = prediction,
        };
    }

    private Scheme SchemeName(JsonElement? doc)
    {
        if (!TryGet(doc, "scheme", string.Empty, required: true, out var value))
        {
            return default;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            _errors.Add(new PlanError("scheme", Describe(value), $"must be a scheme name, one of {SchemeNames.Valid}"));
            return default;
        }

        var name = value.GetString();
        if (SchemeNames.TryParse(name, out var scheme))
        {
            return scheme;
        }

        _errors.Add(new PlanError("scheme", Describe(value), $"must be one of {SchemeNames.Valid}"));
        return default;
    }

    private DeviceAllocation[] Devices(JsonElement? doc)
    {
        if (!TryGet(doc, "devices", string.Empty, required: true, out var array))
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            _errors.Add(new PlanError("devices", Describe(array), "must be an array of device allocations"));
            return [];
        }

        if (array.GetArrayLength() == 0)
        {
            _errors.Add(new PlanError("devices", "empty", "must list every device of the scenario"));
            return [];
        }

        var devices = new DeviceAllocation[array.GetArrayLength()];
        var k = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = Paths.Index("devices", k);
            JsonElement? device = item;
            if (item.ValueKind != JsonValueKind.Object)
            {
                _errors.Add(new PlanError(path, Describe(item), "must be an object with id, batch, frequencyHz and powerW"));
                device = null;
            }

            devices[k++] = new DeviceAllocation(
                String(device, "id", path) ?? string.Empty,
                Integer(device, "batch", path, minimum: 1),
                Number(device, "frequencyHz", path),
                Number(device, "powerW", path));
        }

        return devices;
    }

    private JsonElement? Section(JsonElement? parent, string name, string parentPath, bool required)
    {
        if (!TryGet(parent, name, parentPath, required, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            return value;
        }

        _errors.Add(new PlanError(Paths.Join(parentPath, name), Describe(value), "must be an object"));
        return null;
    }

    /// <summary>A required finite number; NaN (with a recorded error) when absent or not a finite number.</summary>
    private double Number(JsonElement? parent, string name, string parentPath)
    {
        if (!TryGet(parent, name, parentPath, required: true, out var value))
        {
            return double.NaN;
        }

        var path = Paths.Join(parentPath, name);
        if (value.ValueKind != JsonValueKind.Number)
        {
            _errors.Add(new PlanError(path, Describe(value), "must be a number"));
            return double.NaN;
        }

        if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            _errors.Add(new PlanError(path, value.GetRawText(), "must be a finite number"));
            return double.NaN;
        }

        return number;
    }

    /// <summary>A required whole number of at least <paramref name="minimum"/> (48 and 48.0 are accepted); 0 when invalid.</summary>
    private int Integer(JsonElement? parent, string name, string parentPath, int minimum)
    {
        if (!TryGet(parent, name, parentPath, required: true, out var value))
        {
            return 0;
        }

        var path = Paths.Join(parentPath, name);
        var rule = $"must be a whole number, at least {Paths.Text(minimum)}";
        if (value.ValueKind != JsonValueKind.Number)
        {
            _errors.Add(new PlanError(path, Describe(value), rule));
            return 0;
        }

        int integer;
        if (value.TryGetInt32(out var exact))
        {
            integer = exact;
        }
        else if (value.TryGetDouble(out var number) && Math.Floor(number) == number && number is >= int.MinValue and <= int.MaxValue)
        {
            integer = (int)number;
        }
        else
        {
            var reason = value.TryGetDouble(out var d) && Math.Floor(d) == d ? $"{rule} and at most {int.MaxValue}" : rule;
            _errors.Add(new PlanError(path, value.GetRawText(), reason));
            return 0;
        }

        if (integer < minimum)
        {
            _errors.Add(new PlanError(path, value.GetRawText(), rule));
            return 0;
        }

        return integer;
    }

    private string? String(JsonElement? parent, string name, string parentPath)
    {
        if (!TryGet(parent, name, parentPath, required: true, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        _errors.Add(new PlanError(Paths.Join(parentPath, name), Describe(value), "must be a string"));
        return null;
    }

    /// <summary>Looks a property up; records "is missing; it is required" when a required one is absent or null.</summary>
    private bool TryGet(JsonElement? parent, string name, string parentPath, bool required, out JsonElement value) =>
        JsonFields.TryGet(parent, name, parentPath, required, out value, (path, found, rule) => _errors.Add(new PlanError(path, found, rule)));

    private static string Describe(JsonElement value) => JsonFields.Describe(value);
}
