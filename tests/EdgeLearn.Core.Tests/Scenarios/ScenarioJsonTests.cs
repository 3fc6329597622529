using System.Text.Json.Nodes;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Scenarios;

public class ScenarioJsonTests
{
    private const string FormatsExample = """
        {
          "name": "default",
          "server":  { "maxFrequencyHz": 1e10, "kappa": 1e-31, "cyclesPerSample": 1e7, "maxBatch": 1024 },
          "devices": [
            { "id": "dev-0", "maxFrequencyHz": 1e9, "kappa": 1e-28, "cyclesPerSample": 1e7,
              "maxPowerW": 0.2, "bandwidthHz": 1e6, "channelGain": 1.2e-8,
              "datasetSize": 600, "maxBatch": 600 }
          ],
          "channel":  { "noisePsdWPerHz": 3.981e-21 },
          "downlink": { "delayS": 0, "energyJ": 0 },
          "model":    { "uploadBits": 3256640 },
          "budget":   { "energyJ": 300, "delayS": 300 },
          "limits":   { "maxPretrainRounds": 5000, "maxFinetuneRounds": 5000 },
          "learning": { "smoothness": 10, "stepSize": 0.05, "pretrainStepSize": 0.05,
                        "plConstant": 0.1, "gradientVariance": 50, "pretrainGradientVariance": 50,
                        "pretrainInitialGap": 2.3, "targetInitialGap": 2.3,
                        "shift": { "wasserstein": 1.0, "dataLipschitz": 0.1 } }
        }
        """;

    [Fact]
    public void Parse_KeyGivenTwice_ErrorNamingTheKeyAndItsPath()
    {
        var json = FormatsExample.Replace("\"energyJ\": 300,", "\"energyJ\": 300, \"energyJ\": 3,", StringComparison.Ordinal)
            .Replace("\"kappa\": 1e-28,", "\"kappa\": 1e-28, \"kappa\": 1e-27,", StringComparison.Ordinal);

        var result = ScenarioJson.Parse(json);

        Assert.False(result.IsValid);
        Assert.Equal(
            [
                "devices[0].kappa is given twice; it must be given once (the keys of a JSON object must be unique).",
                "budget.energyJ is given twice; it must be given once (the keys of a JSON object must be unique).",
            ],
            result.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Parse_UnknownFieldsAtAnyLevel_LoadsWithAWarningNamingTheNearestField()
    {
        var json = FormatsExample.Replace("\"limits\":", "\"limts\":", StringComparison.Ordinal)
            .Replace("\"dataLipschitz\": 0.1", "\"dataLipschitz\": 0.1, \"wasserstien\": 2", StringComparison.Ordinal)
            .Replace("\"maxBatch\": 600", "\"maxBatch\": 600, \"colour\": \"red\"", StringComparison.Ordinal);

        var result = ScenarioJson.Parse(json);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(new LimitsSpec(), result.Scenario.Limits);
        Assert.Equal(
            [
                "devices[0].colour is not a known field; it is ignored (the fields here are bandwidthHz, channelGain, cyclesPerSample, datasetSize, id, kappa, maxBatch, maxFrequencyHz, maxPowerW).",
                "limts is not a known field; it is ignored (did you mean 'limits'?).",
                "learning.shift.wasserstien is not a known field; it is ignored (did you mean 'wasserstein'?).",
            ],
            result.Warnings.Select(w => w.Message));
    }

    [Fact]
    public void Load_Folder_SaysItIsAFolder()
    {
        var folder = Directory.CreateTempSubdirectory("edgelearn-").FullName;
        try
        {
            var result = ScenarioJson.Load(folder);

            Assert.Equal($"The scenario is unreadable ('{folder}' is a folder); it must be a readable JSON file.", Assert.Single(result.Errors).Message);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void Parse_FormatsExample_ReadsEveryField()
    {
        var result = ScenarioJson.Parse(FormatsExample);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var s = result.Scenario;
        var d = Assert.Single(s.Devices);
        Assert.Equal(
            new DeviceSpec
            {
                Id = "dev-0", MaxFrequencyHz = 1e9, Kappa = 1e-28, CyclesPerSample = 1e7, MaxPowerW = 0.2,
                BandwidthHz = 1e6, ChannelGain = 1.2e-8, DatasetSize = 600, MaxBatch = 600,
            },
            d);
        Assert.Equal(DefaultScenario.Create() with { Devices = [d] }, s);
    }

    [Fact]
    public void SerializeThenParse_Default_GivesAnEqualScenario()
    {
        var original = DefaultScenario.Create();

        var json = ScenarioJson.Serialize(original);
        var result = ScenarioJson.Parse(json);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(original, result.Scenario);
        Assert.Equal(json, ScenarioJson.Serialize(result.Scenario));
    }

    [Fact]
    public void Serialize_Default_UsesFormatsNames()
    {
        var node = JsonNode.Parse(ScenarioJson.Serialize(DefaultScenario.Create()))!;

        Assert.Equal(0.2, node["devices"]![3]!["maxPowerW"]!.GetValue<double>());
        Assert.Equal(3.981e-21, node["channel"]!["noisePsdWPerHz"]!.GetValue<double>());
        Assert.Equal(0.1, node["learning"]!["shift"]!["dataLipschitz"]!.GetValue<double>());
        Assert.Equal(5000, node["limits"]!["maxFinetuneRounds"]!.GetValue<int>());
        Assert.Equal(0, node["downlink"]!["delayS"]!.GetValue<double>());
    }

    [Fact]
    public void SerializeThenParse_MeasuredGapAndOptimumGap_RoundTrip()
    {
        var scenario = DefaultScenario.Create();
        scenario = scenario with { Learning = scenario.Learning with { Shift = scenario.Learning.Shift with { MeasuredGap = 0.42, OptimumGap = 0 } } };

        string json = ScenarioJson.Serialize(scenario);
        var read = ScenarioJson.Parse(json);

        Assert.Contains("\"gap\": 0.42", json);
        Assert.Contains("\"optimumGap\": 0", json);
        Assert.Equal(scenario, read.Scenario);
        Assert.Equal(0.42, read.Scenario!.Learning.Shift.Gap);
        Assert.DoesNotContain("optimumGap", ScenarioJson.Serialize(DefaultScenario.Create()));
    }

    [Fact]
    public void Validate_OptimumGapBelowMinusGamma_IsRejected()
    {
        var scenario = DefaultScenario.Create();
        var bad = scenario with { Learning = scenario.Learning with { Shift = scenario.Learning.Shift with { MeasuredGap = 0.2, OptimumGap = -0.3 } } };
        var edge = scenario with { Learning = scenario.Learning with { Shift = scenario.Learning.Shift with { MeasuredGap = 0.2, OptimumGap = -0.2 } } };

        Assert.Contains(ScenarioValidator.Validate(bad), e => e.Message.StartsWith("learning.shift.optimumGap is -0.3; it must be a finite number of at least -Gamma = -0.2", StringComparison.Ordinal));
        Assert.Empty(ScenarioValidator.Validate(edge));
    }

    [Fact]
    public void Parse_NegativeGap_ReportsPathValueAndRule()
    {
        string json = ScenarioJson.Serialize(DefaultScenario.Create()).Replace("\"dataLipschitz\": 0.1", "\"dataLipschitz\": 0.1, \"gap\": -1", StringComparison.Ordinal);

        var read = ScenarioJson.Parse(json);

        Assert.Contains(read.Errors, e => e.Message.StartsWith("learning.shift.gap is -1;", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_DownlinkAndLimitsOmitted_UsesDefaults()
    {
        var node = JsonNode.Parse(FormatsExample)!.AsObject();
        node.Remove("downlink");
        node.Remove("limits");

        var result = ScenarioJson.Parse(node.ToJsonString());

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(new DownlinkSpec(), result.Scenario.Downlink);
        Assert.Equal(new LimitsSpec { MaxPretrainRounds = 5000, MaxFinetuneRounds = 5000 }, result.Scenario.Limits);
    }

    [Fact]
    public void Parse_InvalidJson_OneErrorWithLineAndPosition()
    {
        const string json = "{\n  \"name\": \"x\",\n  oops\n}";

        var result = ScenarioJson.Parse(json);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(string.Empty, error.Path);
        Assert.StartsWith("The scenario is not valid JSON at line 3, position 3; it must be valid JSON (", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("server", "server is missing; it is required.")]
    [InlineData("devices", "devices is missing; it is required.")]
    [InlineData("learning", "learning is missing; it is required.")]
    [InlineData("name", "name is missing; it is required.")]
    public void Parse_MissingSection_OneErrorForTheSection(string section, string expected)
    {
        var node = JsonNode.Parse(FormatsExample)!.AsObject();
        node.Remove(section);

        var result = ScenarioJson.Parse(node.ToJsonString());

        Assert.Equal(expected, Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Parse_MissingDeviceField_NamesItsPath()
    {
        var node = JsonNode.Parse(ScenarioJson.Serialize(DefaultScenario.Create()))!;
        node["devices"]![3]!.AsObject().Remove("maxPowerW");

        var result = ScenarioJson.Parse(node.ToJsonString());

        Assert.Equal("devices[3].maxPowerW is missing; it is required.", Assert.Single(result.Errors).Message);
    }

    [Theory]
    [InlineData("\"abc\"", "server.kappa is \"abc\"; it must be a number.")]
    [InlineData("true", "server.kappa is true; it must be a number.")]
    [InlineData("null", "server.kappa is null; it is required.")]
    [InlineData("{}", "server.kappa is an object; it must be a number.")]
    [InlineData("1e400", "server.kappa is 1e400; it must be a finite number.")]
    [InlineData("-1", "server.kappa is -1; it must be positive.")]
    public void Parse_BadServerKappa_ReportsValueAndRule(string kappa, string expected)
    {
        var json = FormatsExample.Replace("\"kappa\": 1e-31", $"\"kappa\": {kappa}", StringComparison.Ordinal);

        var result = ScenarioJson.Parse(json);

        Assert.Equal(expected, Assert.Single(result.Errors).Message);
    }

    [Theory]
    [InlineData("1.5", "devices[0].datasetSize is 1.5; it must be a whole number between 1 and 1E+08 (samples: at least 1, at most 100 million).")]
    [InlineData("2147483648", "devices[0].datasetSize is 2147483648; it must be a whole number between 1 and 1E+08 (samples: at least 1, at most 100 million).")]
    [InlineData("100000000.5", "devices[0].datasetSize is 100000000.5; it must be a whole number between 1 and 1E+08 (samples: at least 1, at most 100 million).")]
    [InlineData("\"600\"", "devices[0].datasetSize is \"600\"; it must be a whole number.")]
    [InlineData("0", "devices[0].datasetSize is 0; it must be at least 1.")]
    public void Parse_BadDatasetSize_ReportsValueAndRule(string size, string expected)
    {
        var json = FormatsExample.Replace("\"datasetSize\": 600", $"\"datasetSize\": {size}", StringComparison.Ordinal);

        var result = ScenarioJson.Parse(json);

        Assert.Equal(expected, Assert.Single(result.Errors).Message);
    }

    [Theory]
    [InlineData("600.0")]
    [InlineData("6e2")]
    public void Parse_WholeNumberWrittenAsFloat_IsAccepted(string size)
    {
        var json = FormatsExample.Replace("\"datasetSize\": 600", $"\"datasetSize\": {size}", StringComparison.Ordinal);

        var result = ScenarioJson.Parse(json);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(600, result.Scenario.Devices[0].DatasetSize);
    }

    [Fact]
    public void Parse_ManyProblems_ReportsAllOfThemAtOnce()
    {
        var node = JsonNode.Parse(ScenarioJson.Serialize(DefaultScenario.Create()))!;
        node["devices"]![3]!["maxPowerW"] = -0.1;
        node["devices"]![5]!["id"] = "dev-1";
        node["devices"]![6]!.AsObject().Remove("bandwidthHz");
        node["budget"]!["delayS"] = "soon";
        node["learning"]!["stepSize"] = 0.5;
        node["limits"]!["maxFinetuneRounds"] = 0;

        var result = ScenarioJson.Parse(node.ToJsonString());

        Assert.Null(result.Scenario);
        Assert.Equal(
            new[]
            {
                "devices[6].bandwidthHz is missing; it is required.",
                "budget.delayS is \"soon\"; it must be a number.",
                "devices[3].maxPowerW is -0.1; it must be positive.",
                "devices[5].id is \"dev-1\"; it must be unique (devices[1].id is the same).",
                "limits.maxFinetuneRounds is 0; it must be at least 1.",
                "learning.stepSize is 0.5; it must be at most 1/L = 0.1 (learning.smoothness is 10).",
            },
            result.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Parse_RootNotAnObject_OneError()
    {
        var result = ScenarioJson.Parse("[1, 2]");

        Assert.Equal("The scenario is an array; it must be a JSON object with the fields of formats.md.", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Parse_UnknownFields_AreIgnored()
    {
        var node = JsonNode.Parse(FormatsExample)!;
        node["comment"] = "made by hand";
        node["devices"]![0]!["location"] = "lab";

        var result = ScenarioJson.Parse(node.ToJsonString());

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Fact]
    public void Parse_EmptyDeviceArray_ReportsEmpty()
    {
        var node = JsonNode.Parse(FormatsExample)!;
        node["devices"] = new JsonArray();

        var result = ScenarioJson.Parse(node.ToJsonString());

        Assert.Equal("devices is empty; it must list at least one device.", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Load_MissingFile_OneErrorNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgelearn-missing-{Guid.NewGuid():N}.json");

        var result = ScenarioJson.Load(path);

        Assert.Equal($"The scenario is unreadable ('{path}' does not exist); it must be a readable JSON file.", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Load_WrittenFile_RoundTrips()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgelearn-{Guid.NewGuid():N}.json");
        try
        {
            var original = ScenarioGenerator.Generate(7, seed: 3);
            File.WriteAllText(path, ScenarioJson.Serialize(original));

            var result = ScenarioJson.Load(path);

            Assert.Equal(original, result.Scenario);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_FileWithAByteOrderMark_ReadsAsWithout()
    {
        // Files are read as bytes (no UTF-16 copy of a large fleet); a UTF-8 byte-order mark, as some editors write it,
        // must still load.
        string path = Path.Combine(Path.GetTempPath(), $"edgelearn-bom-{Guid.NewGuid():N}.json");
        try
        {
            var scenario = DefaultScenario.Create();
            File.WriteAllText(path, ScenarioJson.Serialize(scenario), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            Assert.Equal(0xEF, File.ReadAllBytes(path)[0]);

            var loaded = ScenarioJson.Load(path);

            Assert.Empty(loaded.Errors);
            Assert.Equal(ScenarioJson.Serialize(scenario), ScenarioJson.Serialize(loaded.Scenario!));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_FileNotUtf8_OneErrorSayingSo_NoCrash()
    {
        // A Latin-1 'é' (0xE9) in a device id: the parser alone would pass it and fail only when the id is read.
        string path = Path.Combine(Path.GetTempPath(), $"edgelearn-latin1-{Guid.NewGuid():N}.json");
        try
        {
            byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(ScenarioJson.Serialize(DefaultScenario.Create()).Replace("\"dev-0\"", "\"dev-\u00e9\"", StringComparison.Ordinal));
            int at = Array.IndexOf(utf8, (byte)0xC3);
            byte[] latin1 = [.. utf8[..at], 0xE9, .. utf8[(at + 2)..]];
            File.WriteAllBytes(path, latin1);

            var loaded = ScenarioJson.Load(path);

            var error = Assert.Single(loaded.Errors);
            Assert.Equal("not UTF-8 text", error.Value);
            Assert.Null(loaded.Scenario);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
