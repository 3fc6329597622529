using System.Text.Json.Nodes;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;

namespace EdgeLearn.Cli.Tests.Commands.Planning;

public class EvaluateCommandTests(PlanningTestData data) : IClassFixture<PlanningTestData>
{
    [Fact]
    public void Evaluate_PlanJustWritten_Exit0AndEveryConstraintOk()
    {
        var result = CliRunner.Run("evaluate", "--scenario", data.DefaultScenarioPath, "--plan", data.PlanPath);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Empty(result.ErrorLines);
        Assert.Contains("budget.energyJ", result.Output);
        Assert.Contains("devices[9].powerW", result.Output);
        Assert.DoesNotContain("VIOLATED", result.Output);
        Assert.Contains("Feasible: every constraint holds.", result.Output);
    }

    [Fact]
    public void Evaluate_PlanIsAFolderOrHasAKeyTwice_Exit2SayingSo()
    {
        using var folder = new TempFolder();
        var twice = folder.Write("twice.json", data.Plan().ToJsonString().Replace("\"finetuneRounds\":", "\"finetuneRounds\":1,\"finetuneRounds\":", StringComparison.Ordinal));

        var dir = CliRunner.Run("evaluate", "--plan", folder.Path);
        var dup = CliRunner.Run("evaluate", "--plan", twice);

        Assert.Equal(ExitCodes.BadInput, dir.ExitCode);
        Assert.Equal($"{folder.Path}: The plan is unreadable ('{folder.Path}' is a folder); it must be a readable JSON file.", dir.SingleErrorLine());
        Assert.Equal(ExitCodes.BadInput, dup.ExitCode);
        Assert.Equal($"{twice}: finetuneRounds is given twice; it must be given once (the keys of a JSON object must be unique).", dup.SingleErrorLine());
    }

    [Fact]
    public void Evaluate_WithoutScenario_UsesTheDefault()
    {
        var result = CliRunner.Run("evaluate", "--plan", data.PlanPath);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("the default scenario", result.Output);
    }

    [Fact]
    public void Evaluate_Json_WritesEveryConstraintWithSlack()
    {
        using var folder = new TempFolder();
        var path = folder.File("evaluation.json");

        var result = CliRunner.Run("evaluate", "--plan", data.PlanPath, "--json", path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.True((bool)node["feasible"]!);
        Assert.Empty(node["violated"]!.AsArray());
        var plan = data.Plan();
        Assert.Equal((double)plan["predicted"]!["bound"]!, (double)node["bound"]!, 1e-12);
        Assert.Equal((double)plan["predicted"]!["energyJ"]!, (double)node["energyJ"]!, 1e-9);
        var constraints = node["constraints"]!.AsArray();
        Assert.Equal(2 + 3 + 5 * 10 + 2, constraints.Count);
        var energy = constraints.First(c => (string?)c!["name"] == "budget.energyJ")!;
        Assert.Equal(300 - (double)node["energyJ"]!, (double)energy["slack"]!, 1e-9);
        Assert.Equal(10, node["devices"]!.AsArray().Count);
    }

    [Fact]
    public void Evaluate_PowerAboveMax_Exit3NamingTheViolatedConstraint()
    {
        using var folder = new TempFolder();
        var plan = data.Plan();
        plan["devices"]![3]!["powerW"] = 0.5;
        var path = folder.Write("tampered.json", plan.ToJsonString());

        var result = CliRunner.Run("evaluate", "--plan", path);

        Assert.Equal(ExitCodes.Infeasible, result.ExitCode);
        Assert.Contains("VIOLATED", result.Output);
        var line = result.SingleErrorLine();
        Assert.StartsWith($"The plan {path} violates ", line);
        Assert.Contains("devices[3].powerW is 0.5, must be ≤ 0.2 (slack -0.3)", line);
    }

    [Fact]
    public void Evaluate_TooManyRounds_Exit3NamingTheDelayBudget()
    {
        using var folder = new TempFolder();
        var plan = data.Plan();
        plan["finetuneRounds"] = (int)plan["finetuneRounds"]! * 2;
        var path = folder.Write("long.json", plan.ToJsonString());

        var result = CliRunner.Run("evaluate", "--plan", path);

        Assert.Equal(ExitCodes.Infeasible, result.ExitCode);
        Assert.Contains("budget.delayS is", result.SingleErrorLine());
    }

    [Fact]
    public void Evaluate_WrongDeviceCount_Exit2()
    {
        using var folder = new TempFolder();
        var plan = data.Plan();
        plan["devices"]!.AsArray().RemoveAt(9);
        var path = folder.Write("nine.json", plan.ToJsonString());

        var result = CliRunner.Run("evaluate", "--plan", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"{path}: devices has 9 entries; the scenario has 10 devices.", result.SingleErrorLine());
    }

    [Fact]
    public void Evaluate_UnknownDeviceId_Exit2()
    {
        using var folder = new TempFolder();
        var plan = data.Plan();
        plan["devices"]![2]!["id"] = "dev-x";
        var path = folder.Write("id.json", plan.ToJsonString());

        var result = CliRunner.Run("evaluate", "--plan", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"{path}: devices[2].id is \"dev-x\"; it must be \"dev-2\", the scenario's device 2.", result.SingleErrorLine());
    }

    [Fact]
    public void Evaluate_NegativeBatch_Exit2()
    {
        using var folder = new TempFolder();
        var plan = data.Plan();
        plan["devices"]![4]!["batch"] = -3;
        var path = folder.Write("batch.json", plan.ToJsonString());

        var result = CliRunner.Run("evaluate", "--plan", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"{path}: devices[4].batch is -3; it must be a whole number, at least 1.", result.SingleErrorLine());
    }

    [Fact]
    public void Evaluate_SeveralProblems_OneLineEach()
    {
        using var folder = new TempFolder();
        var plan = data.Plan();
        plan["scheme"] = "foo";
        plan["server"]!["frequencyHz"] = "fast";
        var path = folder.Write("many.json", plan.ToJsonString());

        var result = CliRunner.Run("evaluate", "--plan", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal(
            [
                $"{path}: scheme is \"foo\"; it must be one of {SchemeNames.Valid}.",
                $"{path}: server.frequencyHz is \"fast\"; it must be a number.",
            ],
            result.ErrorLines);
    }

    [Fact]
    public void Evaluate_InvalidJson_Exit2WithLineAndPosition()
    {
        using var folder = new TempFolder();
        var path = folder.Write("broken.json", "{\n  \"scheme\": \"joint\",,\n}");

        var result = CliRunner.Run("evaluate", "--plan", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith($"{path}: The plan is not valid JSON at line 2, position ", result.SingleErrorLine());
    }

    [Fact]
    public void Evaluate_PlanWithoutPredicted_IsRecomputedExit0()
    {
        using var folder = new TempFolder();
        var plan = data.Plan();
        plan.Remove("predicted");
        plan.Remove("certificate");
        plan.Remove("search");
        var path = folder.Write("bare.json", plan.ToJsonString());

        var result = CliRunner.Run("evaluate", "--plan", path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("bound Gbar", result.Output);
        Assert.DoesNotContain("file's predicted", result.Output);
    }

    [Fact]
    public void Evaluate_MissingPlanOption_Exit2()
    {
        var result = CliRunner.Run("evaluate", "--scenario", data.DefaultScenarioPath);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith("--plan is missing; it is required", result.SingleErrorLine());
    }

    [Fact]
    public void Evaluate_MissingPlanFile_Exit2NamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-plan-{Guid.NewGuid():N}.json");

        var result = CliRunner.Run("evaluate", "--plan", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"{path}: The plan is unreadable ('{path}' does not exist); it must be a readable JSON file.", result.SingleErrorLine());
    }
}
