using System.Text.Json.Nodes;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Planning;

public class PlanJsonTests
{
    private const string FormatsExample = """
        {
          "scheme": "joint",
          "pretrainRounds": 400,
          "finetuneRounds": 300,
          "server":  { "batch": 263, "frequencyHz": 8.1e9 },
          "devices": [ { "id": "dev-0", "batch": 48, "frequencyHz": 9.9e8, "powerW": 0.02 } ],
          "predicted": { "delayS": 299.99, "energyJ": 299.99, "bound": 0.1852,
                         "lowerBound": 0.1850, "gap": 0.001 }
        }
        """;

    private static readonly Plan Sample = new()
    {
        Scheme = Scheme.FinetuneOnly,
        PretrainRounds = 0,
        FinetuneRounds = 1234,
        Server = new ServerAllocation(1, 1e10),
        Devices =
        [
            new DeviceAllocation("dev-0", 48, 987654321.125, 0.0123456789),
            new DeviceAllocation("dév \"1\"", 600, 1e9, 0.2),
        ],
        Predicted = new PlanPrediction(299.99999999, 300, 0.1851234567891234, 0.185, 1.2345e-7),
    };

    [Fact]
    public void Parse_FormatsExample_ReadsEveryField()
    {
        var result = PlanJson.Parse(FormatsExample);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.True(result.HasPrediction);
        var plan = result.Plan;
        Assert.Equal(Scheme.Joint, plan.Scheme);
        Assert.Equal(400, plan.PretrainRounds);
        Assert.Equal(300, plan.FinetuneRounds);
        Assert.Equal(new ServerAllocation(263, 8.1e9), plan.Server);
        Assert.Equal(new DeviceAllocation("dev-0", 48, 9.9e8, 0.02), Assert.Single(plan.Devices));
        Assert.Equal(new PlanPrediction(299.99, 299.99, 0.1852, 0.1850, 0.001), plan.Predicted);
    }

    [Fact]
    public void SerializeThenParse_Plan_GivesEqualFieldsAndIdenticalText()
    {
        var json = PlanJson.Serialize(Sample);
        var result = PlanJson.Parse(json);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        AssertSamePlan(Sample, result.Plan);
        Assert.Equal(json, PlanJson.Serialize(result.Plan));
    }

    [Fact]
    public void Serialize_Plan_WritesTheContractFieldNamesOnly()
    {
        var node = JsonNode.Parse(PlanJson.Serialize(Sample))!.AsObject();

        Assert.Equal(["scheme", "pretrainRounds", "finetuneRounds", "server", "devices", "predicted"], node.Select(p => p.Key));
        Assert.Equal("finetune-only", (string?)node["scheme"]);
        Assert.Equal(["batch", "frequencyHz"], node["server"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["id", "batch", "frequencyHz", "powerW"], node["devices"]![0]!.AsObject().Select(p => p.Key));
        Assert.Equal(["delayS", "energyJ", "bound", "lowerBound", "gap"], node["predicted"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Serialize_PlannedResult_AddsCertificateAndSearchAndParsesBack()
    {
        var result = Planner.Plan(DefaultScenario.Create());
        Assert.Equal(PlanStatus.Planned, result.Status);

        var json = PlanJson.Serialize(result);
        var node = JsonNode.Parse(json)!.AsObject();
        var read = PlanJson.Parse(json);

        Assert.Equal(result.Certificate!.DualityGap, (double)node["certificate"]!["dualityGap"]!);
        Assert.Equal(result.Certificate.EnergyPrice, (double)node["certificate"]!["energyPrice"]!);
        Assert.Equal(result.Certificate.DelayPrice, (double)node["certificate"]!["delayPrice"]!);
        Assert.Equal(result.Certificate.PriceIterations, (int)node["certificate"]!["priceIterations"]!);
        Assert.Equal(result.Search.PairsEvaluated, (int)node["search"]!["pairsEvaluated"]!);
        Assert.Equal(result.Search.Strategy, (string?)node["search"]!["strategy"]);
        Assert.True(read.IsValid, string.Join("\n", read.Errors));
        AssertSamePlan(result.Plan!, read.Plan);
    }

    [Fact]
    public void SerializeAll_Results_LeavesInfeasibleOnesOut()
    {
        var planned = Planner.Plan(DefaultScenario.Create(), Scheme.FixedBatch);
        var infeasible = Planner.Plan(DefaultScenario.Create() with { Budget = new BudgetSpec { EnergyJ = 1e-6, DelayS = 300 } });
        Assert.Equal(PlanStatus.Infeasible, infeasible.Status);

        var array = JsonNode.Parse(PlanJson.SerializeAll([planned, infeasible]))!.AsArray();

        var only = Assert.Single(array);
        Assert.Equal("fixed-batch", (string?)only!["scheme"]);
    }

    [Fact]
    public void SerializeAll_Plans_WritesAnArrayInOrder()
    {
        var second = Sample with { Scheme = Scheme.MaxResource };

        var array = JsonNode.Parse(PlanJson.SerializeAll([Sample, second]))!.AsArray();

        Assert.Equal(["finetune-only", "max-resource"], array.Select(e => (string?)e!["scheme"]));
    }

    [Fact]
    public void Serialize_InfeasibleResult_Throws()
    {
        var infeasible = Planner.Plan(DefaultScenario.Create() with { Budget = new BudgetSpec { EnergyJ = 1e-6, DelayS = 300 } });

        Assert.Throws<ArgumentException>(() => PlanJson.Serialize(infeasible));
    }

    [Fact]
    public void Parse_WithoutPredicted_IsValidWithNaNPrediction()
    {
        var node = Example();
        node.Remove("predicted");

        var result = PlanJson.Parse(node.ToJsonString());

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.False(result.HasPrediction);
        Assert.True(double.IsNaN(result.Plan.Predicted.Bound));
    }

    [Fact]
    public void Parse_UnknownFields_AreIgnored()
    {
        var node = Example();
        node["certificate"] = new JsonObject { ["dualityGap"] = 1e-9 };
        node["comment"] = "made by hand";

        Assert.True(PlanJson.Parse(node.ToJsonString()).IsValid);
    }

    [Fact]
    public void Parse_InvalidJson_OneErrorWithLineAndPosition()
    {
        var result = PlanJson.Parse("{\n  \"scheme\": \"joint\",\n  oops\n}");

        var error = Assert.Single(result.Errors);
        Assert.Equal(string.Empty, error.Path);
        Assert.StartsWith("The plan is not valid JSON at line 3, position 3; it must be valid JSON (", error.Message);
        Assert.Null(result.Plan);
    }

    [Fact]
    public void Parse_Array_SaysToPickOnePlan()
    {
        var result = PlanJson.Parse("[" + FormatsExample + "]");

        var error = Assert.Single(result.Errors);
        Assert.Equal("The plan is an array; it must be one plan object (compare --json writes an array of plans; pick one element).", error.Message);
    }

    [Theory]
    [InlineData("scheme", "scheme is missing; it is required.")]
    [InlineData("pretrainRounds", "pretrainRounds is missing; it is required.")]
    [InlineData("finetuneRounds", "finetuneRounds is missing; it is required.")]
    [InlineData("server", "server is missing; it is required.")]
    [InlineData("devices", "devices is missing; it is required.")]
    public void Parse_MissingTopLevelField_NamesIt(string field, string message)
    {
        var node = Example();
        node.Remove(field);

        var error = Assert.Single(PlanJson.Parse(node.ToJsonString()).Errors);

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("id", "devices[0].id is missing; it is required.")]
    [InlineData("batch", "devices[0].batch is missing; it is required.")]
    [InlineData("frequencyHz", "devices[0].frequencyHz is missing; it is required.")]
    [InlineData("powerW", "devices[0].powerW is missing; it is required.")]
    public void Parse_MissingDeviceField_NamesItsPath(string field, string message)
    {
        var node = Example();
        node["devices"]![0]!.AsObject().Remove(field);

        var error = Assert.Single(PlanJson.Parse(node.ToJsonString()).Errors);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_MissingServerAndPredictedFields_NameTheirPaths()
    {
        var node = Example();
        node["server"]!.AsObject().Remove("frequencyHz");
        node["predicted"]!.AsObject().Remove("gap");

        var errors = PlanJson.Parse(node.ToJsonString()).Errors.Select(e => e.Message);

        Assert.Equal(["server.frequencyHz is missing; it is required.", "predicted.gap is missing; it is required."], errors);
    }

    [Fact]
    public void Parse_UnknownScheme_ListsTheValidNames()
    {
        var node = Example();
        node["scheme"] = "foo";

        var error = Assert.Single(PlanJson.Parse(node.ToJsonString()).Errors);

        Assert.Equal($"scheme is \"foo\"; it must be one of {SchemeNames.Valid}.", error.Message);
    }

    [Theory]
    [InlineData("-3", "devices[0].batch is -3; it must be a whole number, at least 1.")]
    [InlineData("0", "devices[0].batch is 0; it must be a whole number, at least 1.")]
    [InlineData("48.5", "devices[0].batch is 48.5; it must be a whole number, at least 1.")]
    [InlineData("\"48\"", "devices[0].batch is \"48\"; it must be a whole number, at least 1.")]
    [InlineData("1e12", "devices[0].batch is 1e12; it must be a whole number, at least 1 and at most 2147483647.")]
    public void Parse_BadDeviceBatch_NamesPathValueAndRule(string value, string message)
    {
        var json = FormatsExample.Replace("\"batch\": 48", "\"batch\": " + value, StringComparison.Ordinal);

        var error = Assert.Single(PlanJson.Parse(json).Errors);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_WholeNumberWrittenAsDecimal_IsAccepted()
    {
        var json = FormatsExample.Replace("\"batch\": 48", "\"batch\": 48.0", StringComparison.Ordinal);

        var result = PlanJson.Parse(json);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(48, result.Plan.Devices[0].Batch);
    }

    [Fact]
    public void Parse_BadRoundsAndServerBatch_NameEachField()
    {
        var node = Example();
        node["pretrainRounds"] = -1;
        node["finetuneRounds"] = 0;
        node["server"]!["batch"] = 2.5;

        var errors = PlanJson.Parse(node.ToJsonString()).Errors.Select(e => e.Message);

        Assert.Equal(
            [
                "pretrainRounds is -1; it must be a whole number, at least 0.",
                "finetuneRounds is 0; it must be a whole number, at least 1.",
                "server.batch is 2.5; it must be a whole number, at least 1.",
            ],
            errors);
    }

    [Theory]
    [InlineData("\"frequencyHz\": 9.9e8", "\"frequencyHz\": 1e999", "devices[0].frequencyHz is 1e999; it must be a finite number.")]
    [InlineData("\"powerW\": 0.02", "\"powerW\": -1e400", "devices[0].powerW is -1e400; it must be a finite number.")]
    [InlineData("\"frequencyHz\": 8.1e9", "\"frequencyHz\": 1e309", "server.frequencyHz is 1e309; it must be a finite number.")]
    [InlineData("\"bound\": 0.1852", "\"bound\": 2e308", "predicted.bound is 2e308; it must be a finite number.")]
    [InlineData("\"powerW\": 0.02", "\"powerW\": \"NaN\"", "devices[0].powerW is \"NaN\"; it must be a number.")]
    public void Parse_NonFiniteOrNonNumber_NamesPathValueAndRule(string original, string replacement, string message)
    {
        var json = FormatsExample.Replace(original, replacement, StringComparison.Ordinal);

        var error = Assert.Single(PlanJson.Parse(json).Errors);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_WrongShapes_NameEachField()
    {
        var node = Example();
        node["server"] = 5;
        node["devices"]!.AsArray().Add(7);
        node["devices"]![0]!["id"] = 3;

        var errors = PlanJson.Parse(node.ToJsonString()).Errors.Select(e => e.Message);

        Assert.Equal(
            [
                "server is 5; it must be an object.",
                "devices[0].id is 3; it must be a string.",
                "devices[1] is 7; it must be an object with id, batch, frequencyHz and powerW.",
            ],
            errors);
    }

    [Fact]
    public void Parse_EmptyDevices_IsAnError()
    {
        var node = Example();
        node["devices"] = new JsonArray();

        var error = Assert.Single(PlanJson.Parse(node.ToJsonString()).Errors);

        Assert.Equal("devices is empty; it must list every device of the scenario.", error.Message);
    }

    [Fact]
    public void Load_MissingFile_OneErrorNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-plan-{Guid.NewGuid():N}.json");

        var error = Assert.Single(PlanJson.Load(path).Errors);

        Assert.Equal($"The plan is unreadable ('{path}' does not exist); it must be a readable JSON file.", error.Message);
    }

    private static JsonObject Example() => JsonNode.Parse(FormatsExample)!.AsObject();

    private static void AssertSamePlan(Plan expected, Plan actual)
    {
        Assert.Equal(expected.Scheme, actual.Scheme);
        Assert.Equal(expected.PretrainRounds, actual.PretrainRounds);
        Assert.Equal(expected.FinetuneRounds, actual.FinetuneRounds);
        Assert.Equal(expected.Server, actual.Server);
        Assert.Equal(expected.Devices, actual.Devices);
        Assert.Equal(expected.Predicted, actual.Predicted);
    }
}
