using System.Text.Json.Nodes;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using EdgeLearn.Tests.Shared;

namespace EdgeLearn.Cli.Tests.Catalogue;

/// <summary>
/// The catalogue of bad inputs: files, options and faults, over every command. Each case asserts the exit code, one
/// stderr line that names the input (a field's JSON path, an option, a file), no stack trace, and no output left
/// behind (the working folder holds exactly what it held before). Scenario fields are generated from the default
/// scenario, so a field added later is covered by the same rules.
/// </summary>
public sealed class BadInputCatalogueTests
{
    /// <summary>Options that keep any training case off the network and the dataset cache.</summary>
    private static readonly string[] Synthetic = ["--dataset", "synthetic", "--hidden", "16", "--accept-model-size"];

    /// <summary>The default scenario's joint plan, planned once for all cases.</summary>
    private static readonly Lazy<string> DefaultPlanText = new(() => PlanJson.Serialize(Planner.Plan(DefaultScenario.Create()).Plan!));

    /// <summary>Every case: a name, the arguments ({dir}, {scenario}, {plan} and {bad} are replaced), the exit code and a
    /// fragment the one stderr line must contain.</summary>
    public static TheoryData<string, string[], int, string> Cases()
    {
        var cases = new TheoryData<string, string[], int, string>();
        foreach (var (name, args, exit, fragment) in ScenarioFieldCases().Concat(FileCases()).Concat(OptionCases()))
        {
            cases.Add(name, args, exit, fragment);
        }

        return cases;
    }

    [Fact]
    public void Catalogue_HasAtLeast150Cases() => Assert.True(Cases().Count >= 150, $"{Cases().Count} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadInput_OneLineNamingIt_TheRightExitCode_NothingLeftBehind(string name, string[] args, int exitCode, string fragment)
    {
        using var folder = new TempFolder();
        string scenario = folder.Write("scenario.json", ScenarioJson.Serialize(DefaultScenario.Create()));
        string plan = folder.Write("plan.json", DefaultPlanText.Value);
        string bad = folder.Write("bad.json", BadFile(name));
        string[] resolved = [.. args.Select(a => a.Replace("{dir}", folder.Path, StringComparison.Ordinal)
            .Replace("{scenario}", scenario, StringComparison.Ordinal)
            .Replace("{plan}", plan, StringComparison.Ordinal)
            .Replace("{bad}", bad, StringComparison.Ordinal))];
        var before = Entries(folder.Path);

        var result = CliRunner.Run(resolved);

        Assert.True(exitCode == result.ExitCode, $"{name}: exit {result.ExitCode}, expected {exitCode}; stderr: {string.Join(" | ", result.ErrorLines)}");
        string line = result.SingleErrorLine();
        Assert.Contains(fragment.Replace("{bad}", bad, StringComparison.Ordinal), line, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", line, StringComparison.Ordinal);
        Assert.Equal(before, Entries(folder.Path));
    }

    private static string[] Entries(string path) =>
        [.. Directory.GetFileSystemEntries(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>The contents of {bad} for a case: a scenario with one field changed, or a damaged file.</summary>
    private static string BadFile(string name)
    {
        if (name.StartsWith("scenario:", StringComparison.Ordinal))
        {
            // "scenario:devices[0].kappa=-1"
            string spec = name["scenario:".Length..];
            int equals = spec.LastIndexOf('=');
            var root = JsonNode.Parse(ScenarioJson.Serialize(DefaultScenario.Create()))!;
            JsonPaths.Set(root, spec[..equals], JsonNode.Parse(spec[(equals + 1)..]));
            return root.ToJsonString();
        }

        var plan = JsonNode.Parse(DefaultPlanText.Value)!;
        return name switch
        {
            "file:empty" => "",
            "file:not-json" => "this is not json",
            "file:truncated" => ScenarioJson.Serialize(DefaultScenario.Create())[..200],
            "file:array" => "[1, 2, 3]",
            "file:duplicate-key" => ScenarioJson.Serialize(DefaultScenario.Create()).Replace("\"name\": \"default\"", "\"name\": \"default\", \"name\": \"again\"", StringComparison.Ordinal),
            "file:no-devices" => Without(JsonNode.Parse(ScenarioJson.Serialize(DefaultScenario.Create()))!, "devices"),
            "file:no-budget" => Without(JsonNode.Parse(ScenarioJson.Serialize(DefaultScenario.Create()))!, "budget"),
            "plan:scheme" => With(plan, p => p["scheme"] = "bogus"),
            "plan:batch" => With(plan, p => p["devices"]![0]!["batch"] = 0),
            "plan:rounds" => With(plan, p => p["finetuneRounds"] = 0),
            "plan:negative-m" => With(plan, p => p["pretrainRounds"] = -1),
            "plan:device-count" => With(plan, p => p["devices"]!.AsArray().RemoveAt(0)),
            "plan:device-id" => With(plan, p => p["devices"]![1]!["id"] = "nobody"),
            "plan:power-string" => With(plan, p => p["devices"]![0]!["powerW"] = "lots"),
            "plan:power-over" => With(plan, p => p["devices"]![0]!["powerW"] = 5.0),
            "plan:batch-over" => With(plan, p => p["devices"]![0]!["batch"] = 100_000),
            "plan:budget" => With(plan, p => p["finetuneRounds"] = 5000),
            "plan:limit" => With(plan, p => p["pretrainRounds"] = 1_000_000_000),
            _ => "{}",
        };
    }

    private static string With(JsonNode plan, Action<JsonNode> change)
    {
        change(plan);
        return plan.ToJsonString();
    }

    private static string Without(JsonNode root, string key)
    {
        root.AsObject().Remove(key);
        return root.ToJsonString();
    }

    private static IEnumerable<(string, string[], int, string)> ScenarioFieldCases()
    {
        var root = JsonNode.Parse(ScenarioJson.Serialize(DefaultScenario.Create()))!;
        string[] commands = ["plan", "compare", "scenario validate", "scenario show", "evaluate"];
        int i = 0;
        foreach (string path in JsonPaths.NumericLeaves(root).Where(p => !p.StartsWith("devices[", StringComparison.Ordinal) || p.StartsWith("devices[0]", StringComparison.Ordinal)))
        {
            foreach (string value in new[] { "-1", "1e300", "\"abc\"" })
            {
                string command = commands[i++ % commands.Length];
                string[] args = command switch
                {
                    "scenario validate" => ["scenario", "validate", "--scenario", "{bad}"],
                    "scenario show" => ["scenario", "show", "--scenario", "{bad}"],
                    "evaluate" => ["evaluate", "--scenario", "{bad}", "--plan", "{plan}"],
                    _ => [command, "--scenario", "{bad}"],
                };
                yield return ($"scenario:{path}={value}", args, ExitCodes.BadInput, path);
            }
        }
    }

    private static IEnumerable<(string, string[], int, string)> FileCases()
    {
        foreach (string damage in new[] { "empty", "not-json", "truncated", "array" })
        {
            yield return ($"file:{damage}", ["plan", "--scenario", "{bad}"], ExitCodes.BadInput, "{bad}");
            yield return ($"file:{damage}", ["evaluate", "--plan", "{bad}"], ExitCodes.BadInput, "{bad}");
        }

        yield return ("file:duplicate-key", ["plan", "--scenario", "{bad}"], ExitCodes.BadInput, "name");
        yield return ("file:no-devices", ["compare", "--scenario", "{bad}"], ExitCodes.BadInput, "devices");
        yield return ("file:no-budget", ["scenario", "validate", "--scenario", "{bad}"], ExitCodes.BadInput, "budget");
        yield return ("missing-scenario", ["plan", "--scenario", "{dir}/nope.json"], ExitCodes.BadInput, "nope.json");
        yield return ("folder-scenario", ["plan", "--scenario", "{dir}"], ExitCodes.BadInput, "folder");
        yield return ("missing-plan", ["evaluate", "--plan", "{dir}/nope.json"], ExitCodes.BadInput, "nope.json");
        yield return ("folder-plan", ["evaluate", "--plan", "{dir}"], ExitCodes.BadInput, "folder");
        yield return ("missing-plan-train", ["train", "--plan", "{dir}/nope.json", .. Synthetic], ExitCodes.BadInput, "nope.json");
        foreach (string damage in new[] { "scheme", "batch", "rounds", "negative-m", "device-count", "device-id", "power-string" })
        {
            yield return ($"plan:{damage}", ["evaluate", "--plan", "{bad}"], ExitCodes.BadInput, "{bad}");
        }

        foreach (string damage in new[] { "device-count", "device-id", "batch" })
        {
            yield return ($"plan:{damage}", ["train", "--plan", "{bad}", .. Synthetic], ExitCodes.BadInput, "{bad}");
        }

        foreach (string damage in new[] { "power-over", "batch-over", "budget", "limit" })
        {
            yield return ($"plan:{damage}", ["evaluate", "--plan", "{bad}"], ExitCodes.Infeasible, "violates");
            yield return ($"plan:{damage}", ["train", "--plan", "{bad}", .. Synthetic], ExitCodes.Infeasible, "--allow-violations");
        }
    }

    private static IEnumerable<(string, string[], int, string)> OptionCases()
    {
        (string[] Args, string Fragment)[] bad =
        [
            (["plan", "--scheme", "bogus"], "--scheme"),
            (["plan", "--scheme"], "--scheme"),
            (["plan", "--json", "{dir}/no/such/folder/p.json"], "--json"),
            (["plan", "--frobnicate"], "frobnicate"),
            (["compare", "--json", "{dir}/no/such/folder/c.json"], "--json"),
            (["compare", "--train"], "--scheme all"),
            (["evaluate"], "--plan"),
            (["evaluate", "--plan", "{plan}", "--json", "{dir}/no/such/folder/e.json"], "--json"),
            (["scenario", "generate", "--devices", "0"], "--devices"),
            (["scenario", "generate", "--devices", "2000000"], "--devices"),
            (["scenario", "generate", "--devices", "abc"], "--devices"),
            (["scenario", "generate", "--seed", "abc"], "--seed"),
            (["scenario", "generate", "--devices", "5", "--seed", "1", "--out", "{dir}/no/such/folder/s.json"], "--out"),
            (["scenario", "generate"], "--devices"),
            (["scenario", "validate", "--scenario"], "--scenario"),
            (["scenario", "bogus"], "bogus"),
            (["data", "fetch", "foo"], "foo"),
            (["data", "bogus"], "bogus"),
            (["train", "--seeds", "x", .. Synthetic], "--seeds"),
            (["train", "--seeds", "1,1", .. Synthetic], "--seeds"),
            (["train", "--seed", "1", "--seeds", "1,2", .. Synthetic], "--seed"),
            (["train", "--eval-every", "0", .. Synthetic], "--eval-every"),
            (["train", "--rotate", "400", .. Synthetic], "--rotate"),
            (["train", "--invert", "2", .. Synthetic], "--invert"),
            (["train", "--noise", "-1", .. Synthetic], "--noise"),
            (["train", "--split", "foo", .. Synthetic], "--split"),
            (["train", "--split", "dirichlet:0", .. Synthetic], "--split"),
            (["train", "--model", "foo", .. Synthetic], "--model"),
            (["train", "--dataset", "foo"], "--dataset"),
            (["train", "--fading", "x", .. Synthetic], "--fading"),
            (["train", "--gradient-samples", "5", .. Synthetic], "--gradient-samples"),
            (["train", "--threads", "0", .. Synthetic], "--threads"),
            (["train", "--test-size", "-3", .. Synthetic], "--test-size"),
            (["train", "--hidden", "0", "--dataset", "synthetic"], "--hidden"),
            (["train", "--hidden", "", "--dataset", "synthetic"], "--hidden"),
            (["train", "--hidden", "100000000", .. Synthetic[..2], "--accept-model-size"], "--hidden"),
            (["train", "--general-size", "100000000", .. Synthetic], "at most 1,000,000 images"),
            (["train", "--test-size", "100000000", .. Synthetic], "at most 1,000,000 images"),
            (["calibrate", "--general-size", "100000000", "--dataset", "synthetic", "--out", "{dir}/c.json"], "at most 1,000,000 images"),
            (["train", "--scheme", "bogus", .. Synthetic], "--scheme"),
            (["train", "--scheme", "joint,joint", .. Synthetic], "--scheme"),
            (["train", "--plan", "{plan}", "--scheme", "joint", .. Synthetic], "--plan"),
            (["train", "--out", "", .. Synthetic], "--out"),
            (["train", "--scenario", "{scenario}", "--plan", "{plan}", "--hidden", "17", "--dataset", "synthetic"], "uploadBits"),
            (["calibrate", "--out", "{dir}/no/such/folder/c.json", "--dataset", "synthetic"], "--out"),
            (["calibrate", "--rotate", "-400", "--out", "{dir}/c.json", "--dataset", "synthetic"], "--rotate"),
            (["calibrate", "--dataset", "synthetic"], "--out"),
            (["data", "shift", "--samples", "-1"], "--samples"),
            (["data", "shift", "--rotate", "720"], "--rotate"),
        ];
        foreach (var (args, fragment) in bad)
        {
            yield return ($"option:{string.Join(' ', args)}", args, ExitCodes.BadInput, fragment);
        }
    }
}
