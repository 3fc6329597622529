using System.Text.Json;
using EdgeLearn.Internal;

namespace EdgeLearn.Scenarios.Internal;

/// <summary>
/// Reads a scenario from a parsed JSON document field by field, recording every structural error
/// (missing field, wrong type) with its JSON path instead of stopping at the first.
/// Fields that could not be read get placeholder values (NaN, 0, empty) whose validation errors
/// the caller drops because a structural error already covers their path.
/// </summary>
internal sealed class ScenarioJsonReader
{
    private readonly List<ScenarioError> _errors = [];
    private readonly List<ScenarioError> _warnings = [];
    private readonly JsonKeys _keys = new();

    /// <summary>Structural errors found so far, in document order (keys given twice first).</summary>
    public IReadOnlyList<ScenarioError> Errors => _errors;

    /// <summary>Fields the reader does not know, at any level, each with the nearest known name; they are ignored.</summary>
    public IReadOnlyList<ScenarioError> Warnings => _warnings;

    /// <summary>Reads the root object.</summary>
    public Scenario Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            _errors.Add(new ScenarioError(string.Empty, Describe(root), "must be a JSON object with the fields of formats.md"));
        }

        JsonElement? doc = root.ValueKind == JsonValueKind.Object ? root : null;
        var scenario = ReadFields(doc);
        var duplicates = new List<ScenarioError>();
        _keys.Check(root, (path, value, rule) => duplicates.Add(new ScenarioError(path, value, rule)),
            (path, value, rule) => _warnings.Add(new ScenarioError(path, value, rule)));
        _errors.InsertRange(0, duplicates);
        return scenario;
    }

    private Scenario ReadFields(JsonElement? doc)
    {
        var name = String(doc, "name", string.Empty, required: true);
        var server = Section(doc, "server", required: true);
        var devices = Devices(doc);
        var channel = Section(doc, "channel", required: true);
        var downlink = Section(doc, "downlink", required: false);
        var model = Section(doc, "model", required: true);
        var budget = Section(doc, "budget", required: true);
        var limits = Section(doc, "limits", required: false);
        var learning = Section(doc, "learning", required: true);
        var shift = Section(learning, "shift", "learning", required: true);

        var defaultLimits = new LimitsSpec();
        return new Scenario
        {
            Name = name ?? string.Empty,
            Server = new ServerSpec
            {
                MaxFrequencyHz = Number(server, "maxFrequencyHz", "server"),
                Kappa = Number(server, "kappa", "server"),
                CyclesPerSample = Number(server, "cyclesPerSample", "server"),
                MaxBatch = Integer(server, "maxBatch", "server", ScenarioRanges.Samples),
            },
            Devices = devices,
            Channel = new ChannelSpec { NoisePsdWPerHz = Number(channel, "noisePsdWPerHz", "channel") },
            Downlink = new DownlinkSpec
            {
                DelayS = Number(downlink, "delayS", "downlink", fallback: 0),
                EnergyJ = Number(downlink, "energyJ", "downlink", fallback: 0),
            },
            Model = new ModelSpec { UploadBits = Number(model, "uploadBits", "model") },
            Budget = new BudgetSpec
            {
                EnergyJ = Number(budget, "energyJ", "budget"),
                DelayS = Number(budget, "delayS", "budget"),
            },
            Limits = new LimitsSpec
            {
                MaxPretrainRounds = Integer(limits, "maxPretrainRounds", "limits", ScenarioRanges.Rounds, fallback: defaultLimits.MaxPretrainRounds),
                MaxFinetuneRounds = Integer(limits, "maxFinetuneRounds", "limits", ScenarioRanges.Rounds, fallback: defaultLimits.MaxFinetuneRounds),
            },
            Learning = new LearningSpec
            {
                Smoothness = Number(learning, "smoothness", "learning"),
                StepSize = Number(learning, "stepSize", "learning"),
                PretrainStepSize = Number(learning, "pretrainStepSize", "learning"),
                PlConstant = Number(learning, "plConstant", "learning"),
                GradientVariance = Number(learning, "gradientVariance", "learning"),
                PretrainGradientVariance = Number(learning, "pretrainGradientVariance", "learning"),
                PretrainInitialGap = Number(learning, "pretrainInitialGap", "learning"),
                TargetInitialGap = Number(learning, "targetInitialGap", "learning"),
                Shift = new ShiftSpec
                {
                    Wasserstein = Number(shift, "wasserstein", "learning.shift"),
                    DataLipschitz = Number(shift, "dataLipschitz", "learning.shift"),
                    MeasuredGap = Optional(Number(shift, "gap", "learning.shift", fallback: double.NaN)),
                    OptimumGap = Optional(Number(shift, "optimumGap", "learning.shift", fallback: double.NaN)),
                },
            },
        };
    }

    private DeviceSpec[] Devices(JsonElement? doc)
    {
        if (!TryGet(doc, "devices", string.Empty, required: true, out var array))
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            _errors.Add(new ScenarioError("devices", Describe(array), "must be an array of devices"));
            return [];
        }

        var devices = new DeviceSpec[array.GetArrayLength()];
        var k = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = Paths.Index("devices", k);
            JsonElement? device = item;
            if (item.ValueKind != JsonValueKind.Object)
            {
                _errors.Add(new ScenarioError(path, Describe(item), "must be an object"));
                device = null;
            }

            devices[k++] = new DeviceSpec
            {
                Id = String(device, "id", path, required: true) ?? string.Empty,
                MaxFrequencyHz = Number(device, "maxFrequencyHz", path),
                Kappa = Number(device, "kappa", path),
                CyclesPerSample = Number(device, "cyclesPerSample", path),
                MaxPowerW = Number(device, "maxPowerW", path),
                BandwidthHz = Number(device, "bandwidthHz", path),
                ChannelGain = Number(device, "channelGain", path),
                DatasetSize = Integer(device, "datasetSize", path, ScenarioRanges.Samples),
                MaxBatch = Integer(device, "maxBatch", path, ScenarioRanges.Samples),
            };
        }

        return devices;
    }

    private JsonElement? Section(JsonElement? parent, string name, bool required) => Section(parent, name, string.Empty, required);

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

        _errors.Add(new ScenarioError(Paths.Join(parentPath, name), Describe(value), "must be an object"));
        return null;
    }

    /// <summary>A required number; NaN (covered by a recorded error) when absent or not a finite number.</summary>
    private double Number(JsonElement? parent, string name, string parentPath, double? fallback = null)
    {
        if (!TryGet(parent, name, parentPath, required: fallback is null, out var value))
        {
            return fallback ?? double.NaN;
        }

        var path = Paths.Join(parentPath, name);
        if (value.ValueKind != JsonValueKind.Number)
        {
            _errors.Add(new ScenarioError(path, Describe(value), "must be a number"));
            return double.NaN;
        }

        if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            _errors.Add(new ScenarioError(path, value.GetRawText(), "must be a finite number"));
            return double.NaN;
        }

        return number;
    }

    /// <summary>null for an absent optional number (read with a NaN fallback); a field that failed to read is already an error.</summary>
    private static double? Optional(double number) => double.IsNaN(number) ? null : number;

    /// <summary>A required whole number (1e3 and 600.0 are accepted); 0 when absent or not whole.</summary>
    private int Integer(JsonElement? parent, string name, string parentPath, ValueRange range, int? fallback = null)
    {
        if (!TryGet(parent, name, parentPath, required: fallback is null, out var value))
        {
            return fallback ?? 0;
        }

        var path = Paths.Join(parentPath, name);
        if (value.ValueKind != JsonValueKind.Number)
        {
            _errors.Add(new ScenarioError(path, Describe(value), "must be a whole number"));
            return 0;
        }

        if (value.TryGetInt32(out var integer))
        {
            return integer;
        }

        if (value.TryGetDouble(out var number) && Math.Floor(number) == number && number is >= int.MinValue and <= int.MaxValue)
        {
            return (int)number;
        }

        _errors.Add(new ScenarioError(path, value.GetRawText(), "must be a whole number " + range.Rule["must be ".Length..]));
        return 0;
    }

    private string? String(JsonElement? parent, string name, string parentPath, bool required)
    {
        if (!TryGet(parent, name, parentPath, required, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        _errors.Add(new ScenarioError(Paths.Join(parentPath, name), Describe(value), "must be a string"));
        return null;
    }

    /// <summary>Looks a property up; records "is missing; it is required" when a required one is absent or null.</summary>
    private bool TryGet(JsonElement? parent, string name, string parentPath, bool required, out JsonElement value)
    {
        _keys.Add(parentPath, name);
        return JsonFields.TryGet(parent, name, parentPath, required, out value, (path, found, rule) => _errors.Add(new ScenarioError(path, found, rule)));
    }

    private static string Describe(JsonElement value) => JsonFields.Describe(value);
}
