using System.Text.Json.Nodes;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Cli.Tests.Commands.Scenarios;

public class ScenarioCommandTests
{
    [Fact]
    public void Validate_InvalidJsonFile_OneLineWithLineAndPositionExit2()
    {
        using var folder = new TempFolder();
        var path = folder.Write("bad.json", "{\n  \"name\": \"x\",\n  oops\n}");

        var result = CliRunner.Run("scenario", "validate", "--scenario", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith($"{path}: The scenario is not valid JSON at line 3, position 3; it must be valid JSON (", result.SingleErrorLine());
    }

    [Fact]
    public void Validate_MissingField_NamesTheField()
    {
        using var folder = new TempFolder();
        var node = DefaultJson();
        node["devices"]![2]!.AsObject().Remove("channelGain");
        var path = folder.Write("missing.json", node.ToJsonString());

        var result = CliRunner.Run("scenario", "validate", "--scenario", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"{path}: devices[2].channelGain is missing; it is required.", result.SingleErrorLine());
    }

    [Fact]
    public void Validate_NegativePower_NamesPathValueAndRule()
    {
        using var folder = new TempFolder();
        var node = DefaultJson();
        node["devices"]![3]!["maxPowerW"] = -0.1;
        var path = folder.Write("power.json", node.ToJsonString());

        var result = CliRunner.Run("scenario", "validate", "--scenario", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"{path}: devices[3].maxPowerW is -0.1; it must be positive.", result.SingleErrorLine());
    }

    [Fact]
    public void Validate_DuplicateIds_NamesBothDevices()
    {
        using var folder = new TempFolder();
        var node = DefaultJson();
        node["devices"]![4]!["id"] = "dev-1";
        var path = folder.Write("dup.json", node.ToJsonString());

        var result = CliRunner.Run("scenario", "validate", "--scenario", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"{path}: devices[4].id is \"dev-1\"; it must be unique (devices[1].id is the same).", result.SingleErrorLine());
    }

    [Fact]
    public void Validate_SeveralProblems_OneLineEach()
    {
        using var folder = new TempFolder();
        var node = DefaultJson();
        node["devices"]![3]!["maxPowerW"] = -0.1;
        node["budget"]!["energyJ"] = 0;
        node["learning"]!["plConstant"] = 20;
        var path = folder.Write("many.json", node.ToJsonString());

        var result = CliRunner.Run("scenario", "show", "--scenario", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal(
            [
                $"{path}: devices[3].maxPowerW is -0.1; it must be positive.",
                $"{path}: budget.energyJ is 0; it must be positive.",
                $"{path}: learning.plConstant is 20; it must be at most L = 10 (learning.smoothness).",
            ],
            result.ErrorLines);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public void Validate_MissingFile_OneLineExit2()
    {
        using var folder = new TempFolder();
        var path = folder.File("nothere.json");

        var result = CliRunner.Run("scenario", "validate", "--scenario", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"{path}: The scenario is unreadable ('{path}' does not exist); it must be a readable JSON file.", result.SingleErrorLine());
    }

    [Fact]
    public void Validate_NoScenarioOption_SaysItIsRequired()
    {
        var result = CliRunner.Run("scenario", "validate");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("--scenario is missing; it is required (the scenario JSON file to check).", result.SingleErrorLine());
    }

    [Fact]
    public void GenerateThenValidate_ToFile_RoundTrips()
    {
        using var folder = new TempFolder();
        var path = folder.File("gen.json");

        var generate = CliRunner.Run("scenario", "generate", "--devices", "12", "--seed", "5", "--out", path);
        var validate = CliRunner.Run("scenario", "validate", "--scenario", path);

        Assert.Equal(ExitCodes.Ok, generate.ExitCode);
        Assert.Empty(generate.Output); // the status line goes to stderr, stdout is for results
        Assert.Contains("12 devices", generate.SingleErrorLine());
        Assert.Equal(ExitCodes.Ok, validate.ExitCode);
        Assert.Empty(validate.Output);
        Assert.Contains("is a valid scenario: 'generated-K12-seed5', 12 devices.", validate.SingleErrorLine());
        Assert.Equal(ScenarioGenerator.Generate(12, seed: 5), ScenarioJson.Load(path).Scenario);
        Assert.Single(Directory.GetFiles(folder.Path)); // no temporary file left behind
    }

    [Fact]
    public void Generate_NoOut_PrintsTheJsonToStdout()
    {
        var result = CliRunner.Run("scenario", "generate", "--devices", "3", "--seed", "9");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var parsed = ScenarioJson.Parse(result.Output);
        Assert.True(parsed.IsValid, string.Join("\n", parsed.Errors));
        Assert.Equal(ScenarioGenerator.Generate(3, seed: 9), parsed.Scenario);
    }

    [Theory]
    [InlineData("scenario generate --seed 1", "--devices is missing; it is required (a number of devices from 1 to 1000000).")]
    [InlineData("scenario generate --devices 3", "--seed is missing; it is required (any integer, e.g. --seed 1).")]
    [InlineData("scenario generate --devices 0 --seed 1", "--devices is 0; it must be between 1 and 1000000.")]
    [InlineData("scenario generate --devices abc --seed 1", "--devices is abc; it must be a whole number.")]
    [InlineData("scenario generate --devices 3 --seed 99999999999", "--seed is 99999999999; it must be a smaller whole number.")]
    [InlineData("scenario generate --devices 3 --seed 1 --bogus", "Unknown option 'bogus'. Run 'edgelearn --help' for usage.")]
    [InlineData("scenario show --scenarios x.json", "Unknown option 'scenarios'. Run 'edgelearn --help' for usage.")]
    [InlineData("scenarios", "Unknown command 'scenarios'. Run 'edgelearn --help' for usage.")]
    public void Run_BadCommandLine_OneLineExit2(string commandLine, string expected)
    {
        var result = CliRunner.Run(commandLine.Split(' '));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal(expected, result.SingleErrorLine());
    }

    [Fact]
    public void Generate_UnwritableOut_OneLineExit2()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "no-such-folder", "x.json");

        var result = CliRunner.Run("scenario", "generate", "--devices", "2", "--seed", "1", "--out", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"--out is '{path}'; its folder '{Path.GetDirectoryName(path)}' does not exist.", result.SingleErrorLine());
    }

    [Fact]
    public void Show_Default_ListsDevicesBudgetsAndConstants()
    {
        var result = CliRunner.Run("scenario", "show");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Empty(result.ErrorLines);
        Assert.Contains("Scenario 'default' from the default scenario: 10 devices", result.Output);
        Assert.Contains("dev-9", result.Output);
        Assert.Contains("-105.5", result.Output); // gain of dev-9 in dB (250 m)
        Assert.Contains("-79.2", result.Output);  // gain of dev-0 in dB (50 m)
        Assert.Contains("budget.energyJ", result.Output);
        Assert.Contains("plConstant", result.Output);
        Assert.Contains("-174.0", result.Output); // N0 in dBm/Hz
    }

    [Theory]
    [InlineData("")]
    [InlineData("--help")]
    [InlineData("scenario --help")]
    [InlineData("scenario generate --help")]
    [InlineData("scenario show -h")]
    [InlineData("scenario validate --help")]
    public void Help_AnyCommand_PrintsUsageExit0(string commandLine)
    {
        var result = CliRunner.Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Empty(result.ErrorLines);
        Assert.Contains("USAGE:", result.Output);
        Assert.Contains("edgelearn", result.Output);
    }

    [Fact]
    public void Run_BranchWithoutCommand_ShowsHelpExit2()
    {
        var result = CliRunner.Run("scenario");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Empty(result.Output); // the help is the error's explanation: stderr
        Assert.Contains(result.ErrorLines, l => l.StartsWith("generate", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ScenarioIsAFolder_SaysSoExit2()
    {
        using var folder = new TempFolder();

        var result = CliRunner.Run("scenario", "validate", "--scenario", folder.Path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"{folder.Path}: The scenario is unreadable ('{folder.Path}' is a folder); it must be a readable JSON file.", result.SingleErrorLine());
    }

    [Fact]
    public void Validate_KeyGivenTwice_Exit2NamingKeyAndPath()
    {
        using var folder = new TempFolder();
        var text = DefaultJson().ToJsonString().Replace("\"delayS\":300", "\"delayS\":300,\"delayS\":30", StringComparison.Ordinal);
        var path = folder.Write("twice.json", text);

        var result = CliRunner.Run("scenario", "validate", "--scenario", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"{path}: budget.delayS is given twice; it must be given once (the keys of a JSON object must be unique).", result.SingleErrorLine());
    }

    [Fact]
    public void Plan_UnknownFields_WarnOnStderrWithTheNearestNameAndStillPlan()
    {
        using var folder = new TempFolder();
        var node = DefaultJson();
        node["limts"] = node["limits"]!.DeepClone();
        node["learning"]!["shift"]!["wasserstien"] = 3;
        var path = folder.Write("typos.json", node.ToJsonString());

        var result = CliRunner.Run("plan", "--scenario", path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("Rounds and server", result.Output);
        Assert.Equal(
            [
                $"warning: {path}: learning.shift.wasserstien is not a known field; it is ignored (did you mean 'wasserstein'?).",
                $"warning: {path}: limts is not a known field; it is ignored (did you mean 'limits'?).",
            ],
            result.ErrorLines);
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("--out")]
    public void OutputIntoAFolderThatRefusesFiles_Exit2NamingTheUsersPathNotATempFile(string option)
    {
        const string path = "/proc/edgelearn-test.json"; // /proc takes no new files, even for root
        var command = option == "--json" ? new[] { "plan", "--json", path } : ["scenario", "generate", "--devices", "2", "--seed", "1", "--out", path];

        var result = CliRunner.Run(command);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"{option} is '{path}'; its folder '/proc' cannot be written (it does not accept new files).", result.SingleErrorLine());
        Assert.Empty(result.Output); // refused before planning
    }

    [Fact]
    public void Generate_OutIsAFolder_Exit2()
    {
        using var folder = new TempFolder();

        var result = CliRunner.Run("scenario", "generate", "--devices", "2", "--seed", "1", "--out", folder.Path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith($"--out is '{folder.Path}', a folder; it must be a file path", result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void Show_JsonWithoutScenario_WritesTheDefaultScenarioThatLoadsBackIdentically()
    {
        using var folder = new TempFolder();
        var path = folder.File("mine.json");

        var result = CliRunner.Run("scenario", "show", "--json", path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("Devices", result.Output);
        Assert.Equal($"Wrote the scenario 'default' (10 devices) to {path}.", result.SingleErrorLine());
        var loaded = ScenarioJson.Load(path);
        Assert.True(loaded.IsValid);
        Assert.Empty(loaded.Warnings);
        Assert.Equal(DefaultScenario.Create(), loaded.Scenario);
    }

    [Fact]
    public void Show_JsonOfAScenarioFile_RoundTrips()
    {
        using var folder = new TempFolder();
        var source = folder.Write("gen.json", ScenarioJson.Serialize(ScenarioGenerator.Generate(7, seed: 3)));
        var copy = folder.File("copy.json");

        var result = CliRunner.Run("scenario", "show", "--scenario", source, "--json", copy, "--quiet");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Empty(result.ErrorLines);
        Assert.Equal(ScenarioGenerator.Generate(7, seed: 3), ScenarioJson.Load(copy).Scenario);
    }

    private static JsonNode DefaultJson() => JsonNode.Parse(ScenarioJson.Serialize(DefaultScenario.Create()))!;
}
