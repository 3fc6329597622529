using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Cli.Tests.Commands;

/// <summary>No command writes an output over one of its inputs or over another of its outputs.</summary>
public sealed class OutputOverwriteTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _scenario;
    private readonly string _plan;
    private readonly string _scenarioText;
    private readonly string _planText;

    public OutputOverwriteTests()
    {
        _scenarioText = ScenarioJson.Serialize(DefaultScenario.Create());
        _scenario = _folder.Write("f.json", _scenarioText);
        _planText = PlanJson.Serialize(Planner.Plan(DefaultScenario.Create(), Scheme.Joint).Plan!);
        _plan = _folder.Write("p.json", _planText);
    }

    [Fact]
    public void Plan_JsonIsTheScenario_Exit2AndTheScenarioIsKept()
    {
        var result = CliRunner.Run("plan", "--scenario", _scenario, "--json", _scenario);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"--json is '{_scenario}', the same file as the input --scenario '{_scenario}'; writing it would overwrite that input, so name another file.", result.SingleErrorLine());
        Assert.Equal(_scenarioText, File.ReadAllText(_scenario));
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Plan_JsonIsASymlinkToTheScenario_Exit2()
    {
        string link = _folder.File("link.json");
        File.CreateSymbolicLink(link, _scenario);

        var result = CliRunner.Run("plan", "--scenario", _scenario, "--json", link);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("the same file as the input --scenario", result.SingleErrorLine());
        Assert.Equal(_scenarioText, File.ReadAllText(_scenario));
    }

    [Fact]
    public void Evaluate_JsonIsThePlan_Exit2AndThePlanIsKept()
    {
        string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), _plan);

        var result = CliRunner.Run("evaluate", "--scenario", _scenario, "--plan", _plan, "--json", relative);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"--json is '{relative}', the same file as the input --plan '{_plan}'; writing it would overwrite that input, so name another file.", result.SingleErrorLine());
        Assert.Equal(_planText, File.ReadAllText(_plan));
    }

    [Fact]
    public void ScenarioShowAndCompare_JsonIsTheScenario_Exit2()
    {
        var show = CliRunner.Run("scenario", "show", "--scenario", _scenario, "--json", _scenario);
        var compare = CliRunner.Run("compare", "--scenario", _scenario, "--json", _scenario);

        Assert.Equal(ExitCodes.BadInput, show.ExitCode);
        Assert.Contains("the same file as the input --scenario", show.SingleErrorLine());
        Assert.Equal(ExitCodes.BadInput, compare.ExitCode);
        Assert.Contains("the same file as the input --scenario", compare.SingleErrorLine());
        Assert.Equal(_scenarioText, File.ReadAllText(_scenario));
    }

    [Fact]
    public void Calibrate_ReportIsTheOut_Exit2BeforeComputing()
    {
        string c = _folder.File("c.json");

        var result = CliRunner.Run("calibrate", "--dataset", "synthetic", "--out", c, "--report", c);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"--report is '{c}', the same file as --out '{c}'; give each output its own file.", result.SingleErrorLine());
        Assert.False(File.Exists(c));
        Assert.Equal(2, Directory.GetFileSystemEntries(_folder.Path).Length);
    }

    [Fact]
    public void Calibrate_OutIsTheScenario_Exit2AndTheScenarioIsKept()
    {
        var result = CliRunner.Run("calibrate", "--dataset", "synthetic", "--scenario", _scenario, "--out", _scenario);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"--out is '{_scenario}', the same file as the input --scenario '{_scenario}'; writing it would overwrite that input, so name another file.", result.SingleErrorLine());
        Assert.Equal(_scenarioText, File.ReadAllText(_scenario));
    }

    [Fact]
    public void DataShift_JsonIsTheCachedDataset_Exit2AndTheCacheIsKept()
    {
        string cache = _folder.File("cache");
        Directory.CreateDirectory(cache);
        string cached = _folder.Write(Path.Combine("cache", "mnist.elds"), "cached images");

        var result = CliRunner.Run("data", "shift", "--cache", cache, "--json", cached);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"--json is '{cached}', the same file as the input --dataset (its cache file) '{cached}'; writing it would overwrite that input, so name another file.", result.SingleErrorLine());
        Assert.Equal("cached images", File.ReadAllText(cached));
    }

    [Fact]
    public void DataShift_JsonIsAnIdxInput_Exit2AndTheInputIsKept()
    {
        _folder.Write("digits-images-idx3-ubyte", "images");
        string labels = _folder.Write("digits-labels-idx1-ubyte", "labels");

        var result = CliRunner.Run("data", "shift", "--dataset", "idx:" + _folder.File("digits"), "--json", labels);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"--json is '{labels}', the same file as the input --dataset '{labels}'; writing it would overwrite that input, so name another file.", result.SingleErrorLine());
        Assert.Equal("labels", File.ReadAllText(labels));
    }

    [Fact]
    public void Train_OutHoldsTheScenario_Exit2BeforeTraining()
    {
        var result = CliRunner.Run("train", "--dataset", "synthetic", "--scenario", _scenario, "--out", _folder.Path, "--force");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"--out is '{_folder.Path}', which holds the input --scenario '{_scenario}'; the run replaces that folder, so name another --out or move the input out of it.", result.SingleErrorLine());
        Assert.Equal(_scenarioText, File.ReadAllText(_scenario));
    }

    public void Dispose() => _folder.Dispose();
}
