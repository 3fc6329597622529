using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Cli.Tests.Commands.Planning;

/// <summary>The planning tables fit an 80-column terminal: no number or word of a cell is carried over to a second line,
/// with many devices, large energies and infeasible rows.</summary>
public class TableWidthTests
{
    [Fact]
    public void Compare_FiftyDevicesAndAnInfeasibleScheme_NoCellWrapsAt80()
    {
        using var folder = new TempFolder();
        var fifty = folder.Write("g50.json", ScenarioJson.Serialize(ScenarioGenerator.Generate(50, seed: 1)));
        var tiny = PlanningTestData.TinyEnergyScenario(folder);

        var large = CliRunner.RunAtWidth(80, "compare", "--scenario", fifty);
        var infeasible = CliRunner.RunAtWidth(80, "compare", "--scenario", tiny);

        Assert.Equal(ExitCodes.Ok, large.ExitCode);
        AssertNoCellWraps(large.Output);
        Assert.Equal(ExitCodes.Infeasible, infeasible.ExitCode);
        AssertNoCellWraps(infeasible.Output);
        Assert.Contains("joint: infeasible (energy budget)", infeasible.Output);
    }

    [Fact]
    public void LongDeviceIds_AreShortenedNotSplit_InPlanEvaluateAndShow()
    {
        using var folder = new TempFolder();
        var generated = ScenarioGenerator.Generate(3, seed: 1);
        var named = generated with { Devices = [.. generated.Devices.Select((d, k) => d with { Id = $"sensor-north-building-{(char)('A' + k)}" })] };
        var scenario = folder.Write("named.json", ScenarioJson.Serialize(named));
        var planPath = folder.File("plan.json");

        var plan = CliRunner.RunAtWidth(80, "plan", "--scenario", scenario, "--json", planPath);
        var evaluate = CliRunner.RunAtWidth(80, "evaluate", "--scenario", scenario, "--plan", planPath);
        var show = CliRunner.RunAtWidth(80, "scenario", "show", "--scenario", scenario);

        foreach (var result in new[] { plan, evaluate, show })
        {
            Assert.Equal(ExitCodes.Ok, result.ExitCode);
            AssertNoCellWraps(result.Output, except: "Search over"); // the search strategy is prose, wrapped between words
            Assert.Contains("sensor-nort…", result.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(5_000)] // rounds in the thousands: four digits each for M and N
    [InlineData(1_000_000)] // the largest round limits (ScenarioRanges.Rounds): up to seven digits each
    public void Compare_RoundsWithManyDigitsAndTinyGaps_NoCellWrapsAt80(int roundLimit)
    {
        using var folder = new TempFolder();
        var generated = ScenarioGenerator.Generate(100, seed: 3);
        var big = generated with
        {
            Model = new ModelSpec { UploadBits = 1e9 },
            Budget = new BudgetSpec { EnergyJ = 1e6, DelayS = 1e6 },
            Limits = new LimitsSpec { MaxPretrainRounds = roundLimit, MaxFinetuneRounds = roundLimit },
        };
        var scenario = folder.Write("big.json", ScenarioJson.Serialize(big));

        var result = CliRunner.RunAtWidth(80, "compare", "--scenario", scenario);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        AssertNoCellWraps(result.Output);
    }

    [Fact]
    public void PlanAndEvaluate_HundredDevicesAndMegajoules_NoCellWrapsAt80()
    {
        using var folder = new TempFolder();
        var generated = ScenarioGenerator.Generate(100, seed: 2);
        var big = generated with { Budget = new BudgetSpec { EnergyJ = 3e6, DelayS = 3e6 }, Limits = new LimitsSpec { MaxPretrainRounds = 100_000, MaxFinetuneRounds = 100_000 } };
        var scenario = folder.Write("big.json", ScenarioJson.Serialize(big));
        var planPath = folder.File("plan.json");

        var plan = CliRunner.RunAtWidth(80, "plan", "--scenario", scenario, "--json", planPath);
        var evaluate = CliRunner.RunAtWidth(80, "evaluate", "--scenario", scenario, "--plan", planPath);

        Assert.Equal(ExitCodes.Ok, plan.ExitCode);
        AssertNoCellWraps(plan.Output, except: "Search over");
        Assert.Equal(ExitCodes.Ok, evaluate.ExitCode);
        AssertNoCellWraps(evaluate.Output);
    }

    [Theory]
    [InlineData("│ joint  │ 0.12 │\n│        │ 34   │", false)] // a number wrapped in the second column
    [InlineData("│ infeas │ 0.12 │\n│ ible   │      │", false)] // a word wrapped in the first column
    [InlineData("│ joint  │ 0.12 │\n│ …      │      │\n│ last   │ 0.13 │", true)] // an ellipsis row stands for rows left out
    public void AssertNoCellWraps_FlagsWrapsInAnyColumn(string body, bool fine)
    {
        string table = "╭────────┬──────╮\n│ scheme │  b   │\n├────────┼──────┤\n" + body + "\n╰────────┴──────╯";

        var failure = Record.Exception(() => AssertNoCellWraps(table));

        Assert.Equal(fine, failure is null);
    }

    /// <summary>
    /// Every row of every table (but those titled <paramref name="except"/>, whose text wraps between words) is one line:
    /// a line whose first cell is blank continues the row above it, which is how a cell too wide for its column shows.
    /// </summary>
    internal static void AssertNoCellWraps(string output, string? except = null)
    {
        var lines = output.Split('\n');
        bool inBody = false, skip = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            Assert.True(line.TrimEnd().Length <= 80, $"line {i} is wider than 80 columns: {line}");
            if (line.StartsWith('╭'))
            {
                skip = except is not null && i > 0 && lines[i - 1].Contains(except, StringComparison.Ordinal);
            }

            inBody = line.StartsWith('├') || (inBody && !line.StartsWith('╰'));
            if (inBody && !skip && line.StartsWith('│'))
            {
                var cells = line.Split('│')[1..^1];
                string context = string.Join('\n', lines[Math.Max(0, i - 2)..(i + 1)]);
                Assert.False(string.IsNullOrWhiteSpace(cells[0]), $"a cell wrapped onto line {i}:\n{context}");
                // A first column that wraps leaves a row of its own tail: text in the first cell and nothing elsewhere
                // (the only such legitimate row is an ellipsis that stands for omitted rows).
                bool onlyFirst = cells.Length > 1 && cells[1..].All(string.IsNullOrWhiteSpace);
                Assert.False(onlyFirst && cells[0].Trim() != "…", $"the first column wrapped onto line {i}:\n{context}");
            }
        }
    }
}
