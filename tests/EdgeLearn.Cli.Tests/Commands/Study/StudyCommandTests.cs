using System.Runtime.InteropServices;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Scenarios;
using Spectre.Console.Testing;

namespace EdgeLearn.Cli.Tests.Commands.Study;

/// <summary>A tiny synthetic study through the command line, run once uninterrupted.</summary>
public sealed class TinyStudy : IDisposable
{
    public TinyStudy()
    {
        var full = DefaultScenario.Create();
        var scenario = full with
        {
            Name = "tiny",
            Devices = full.Devices.Take(3).Select(d => d with { DatasetSize = 100, MaxBatch = 32 }).ToArray(),
            Budget = new BudgetSpec { EnergyJ = 3, DelayS = 15 },
            Limits = new LimitsSpec { MaxPretrainRounds = 30, MaxFinetuneRounds = 30 },
        };
        ScenarioPath = Folder.Write("tiny.json", ScenarioJson.Serialize(scenario));
        Result = CliRunner.Run([.. Arguments(Out)]);
    }

    internal TempFolder Folder { get; } = new();

    public string ScenarioPath { get; }

    public string Out => Folder.File("study");

    internal CliResult Result { get; }

    /// <summary>2 energy × 2 delay (one infeasible) × 2 rotations around the centre, a 3 × 3 planning grid, 2 schemes.</summary>
    public string[] Arguments(string output) =>
    [
        "study", "--scenario", ScenarioPath, "--dataset", "synthetic", "--general-size", "300", "--test-size", "200",
        "--hidden", "16", "--gradient-samples", "100", "--eval-every", "5", "--threads", "1", "--repeats", "2", "--pilot-steps", "40",
        "--energy", "0.5,1", "--delay", "0.0001,1", "--shift", "rotate:0,30", "--grid-energy", "0.5,1,2", "--grid-delay", "0.5,1,2",
        "--schemes", "joint,finetune-only", "--train", "--seeds", "1", "--out", output,
    ];

    public void Dispose() => Folder.Dispose();
}

public sealed class StudyCommandTests(TinyStudy study) : IClassFixture<TinyStudy>
{
    private static readonly string[] Columns =
    [
        "cell", "sweeps", "energyFactor", "delayFactor", "rotateDeg", "invertFraction", "noiseStd", "devices",
        "budgetEnergyJ", "budgetDelayS", "seed", "scheme", "status", "infeasible", "reason",
        "pretrainRounds", "finetuneRounds", "serverBatch", "deviceBatchMin", "deviceBatchMean", "deviceBatchMax",
        "predictedBound", "lowerBound", "predictedDelayS", "predictedEnergyJ",
        "trained", "testAccuracy", "pretrainTestAccuracy", "avgSqGradNorm", "avgSqGradNormStdErr", "boundHeld", "delayS", "energyJ",
    ];

    [Fact]
    public void Study_Tiny_WritesEveryFileWithTheDocumentedColumns()
    {
        Assert.Equal(0, study.Result.ExitCode);
        string[] files = ["cells.csv", "cells.json", "frontier.csv", "report.md", "report.html"];
        string[] figures = ["bound-energy", "accuracy-energy", "bound-delay", "accuracy-delay", "bound-shift", "rounds-shift", "accuracy-shift", "frontier"];
        foreach (string name in files.Concat(figures.SelectMany(f => new[] { f + ".png", f + ".svg" })))
        {
            Assert.True(File.Exists(Path.Combine(study.Out, name)), name);
        }

        string[] csv = File.ReadAllLines(Path.Combine(study.Out, "cells.csv"));
        Assert.Equal(string.Join(',', Columns), csv[0]);
        // Cells: energy ×0.5, the centre, delay ×1e-4, rotate 30, and 9 grid cells of which (×1, ×1) is the centre and
        // (×0.5, ×1) the energy cell: 4 + 7 = 11 cells, 2 schemes each.
        Assert.Equal(1 + 22, csv.Length);
        Assert.Equal("frontier", Path.GetFileNameWithoutExtension(Directory.GetFiles(study.Out, "frontier.png").Single()));
        Assert.StartsWith("scheme,delayFactor,energyFactor,atGridEdge,targetBound", File.ReadAllText(Path.Combine(study.Out, "frontier.csv")));
        Assert.Contains("Study done: 11 cells, 22 rows (2 infeasible, 6 trained)", study.Result.Output);
        Assert.False(Directory.Exists(Path.Combine(study.Folder.Path, ".study.partial")));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(study.Out, "cells.json")));
        Assert.Equal("edgelearn", json.RootElement.GetProperty("provenance").GetProperty("tool").GetString());
        Assert.Equal(22, json.RootElement.GetProperty("rows").GetArrayLength());
    }

    [Fact]
    public void Study_InterruptedThenResumed_WritesTheSameCellsCsv()
    {
        string output = study.Folder.File("resumed");
        using var interruption = Interruption.Manual();
        var error = new InterruptingWriter(interruption, "[2/");
        int interrupted = EdgeLearnApp.Create(new TestConsole().Width(160), error).Run(study.Arguments(output), interruption);

        Assert.Equal(ExitCodes.Interrupted, interrupted);
        Assert.False(Directory.Exists(output));
        string partial = Path.Combine(study.Folder.Path, ".resumed.partial");
        Assert.Contains($"are finished and kept in {partial}; run the same command with --resume to continue.", error.ToString());
        int kept = Directory.GetFiles(Path.Combine(partial, "cells")).Length;
        Assert.InRange(kept, 2, 10);

        var resumed = CliRunner.Run([.. study.Arguments(output), "--resume"]);

        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains(resumed.ErrorLines, l => l.Contains($"{kept} finished cell-seed(s) found for --resume", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllText(Path.Combine(study.Out, "cells.csv")), File.ReadAllText(Path.Combine(output, "cells.csv")));
        Assert.False(Directory.Exists(partial));
    }

    [Fact]
    public void Study_InParallel_WritesTheSameCellsCsv()
    {
        string output = study.Folder.File("parallel");

        var result = CliRunner.Run([.. study.Arguments(output), "--parallel", "3", "--quiet"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(study.Out, "cells.csv")), File.ReadAllText(Path.Combine(output, "cells.csv")));
    }

    [Fact]
    public void Study_IntoAnEarlierStudy_NeedsResumeOrForce()
    {
        var again = CliRunner.Run(study.Arguments(study.Out));

        Assert.Equal(ExitCodes.BadInput, again.ExitCode);
        Assert.Contains("it holds an earlier study: add --resume to continue or extend it, --force to replace it", again.SingleErrorLine());
    }

    [Fact]
    public void Study_IntoAFolderOfTheUsers_IsRefusedAndLeftAlone()
    {
        string mine = study.Folder.Write("mine/notes.txt", "keep me");

        var result = CliRunner.Run("study", "--no-calibrate", "--shift", "none", "--out", Path.GetDirectoryName(mine)!);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("it holds files that are not an earlier study's output", result.SingleErrorLine());
        Assert.Equal("keep me", File.ReadAllText(mine));
    }

    [Theory]
    [InlineData("--energy", "0,1", "--energy is '0,1'; it must be comma-separated factors greater than 0 and at most 1000")]
    [InlineData("--delay", "1,x", "--delay is '1,x'; it must be comma-separated factors")]
    [InlineData("--shift", "spin:10", "--shift is 'spin:10'; it must be KIND:V1,V2,... with KIND rotate")]
    [InlineData("--shift", "invert:0,2", "--shift is 'invert:0,2'; every invert level must be between 0 and 1.")]
    [InlineData("--parallel", "0", "--parallel is 0; it must be between 1 and 64.")]
    [InlineData("--schemes", "joint,foo", "--schemes is 'joint,foo'; 'foo' is not one of joint, finetune-only")]
    [InlineData("--devices", "0,10", "--devices is '0,10'; every fleet size must be a whole number from 1 to 100000.")]
    [InlineData("--seeds", "1,1", "--seeds is '1,1'; it must list at least one seed, each once.")]
    public void Study_BadOption_IsOneLineAndExitCode2(string option, string value, string message)
    {
        var result = CliRunner.Run("study", "--no-calibrate", option, value, "--out", study.Folder.File("never"));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains(message, result.SingleErrorLine());
        Assert.False(Directory.Exists(study.Folder.File("never")));
    }

    [Fact]
    public void Study_BesideAnUnfinishedStudy_NeedsResumeOrForce()
    {
        string output = study.Folder.File("unfinished");
        string partial = study.Folder.Write(".unfinished.partial/cells/e1-d1-rotate0-k10-seed1.json", "{}");
        string[] args = ["study", "--no-calibrate", "--shift", "none", "--energy", "1", "--delay", "1", "--grid-energy", "none", "--grid-delay", "none", "--out", output];

        var refused = CliRunner.Run(args);
        var forced = CliRunner.Run([.. args, "--force"]);

        Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
        Assert.Contains("an unfinished study is kept beside it", refused.SingleErrorLine());
        Assert.Equal(0, forced.ExitCode);
        Assert.False(File.Exists(partial));
        Assert.Equal(1 + 6, File.ReadAllLines(Path.Combine(output, "cells.csv")).Length);
    }

    [Fact]
    public void Study_TrainingAModelOfAnotherSize_IsRefusedBeforeTheFirstCell()
    {
        // The default scenario's model.uploadBits is the 784-128-10 MLP's; synthetic 8x8 images make a smaller model.
        var result = CliRunner.Run("study", "--no-calibrate", "--train", "--dataset", "synthetic", "--shift", "none", "--out", study.Folder.File("never"));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith("Unable to run the study: model.uploadBits is 3256640;", result.SingleErrorLine());
        Assert.False(Directory.Exists(study.Folder.File("never")));
        Assert.False(Directory.Exists(study.Folder.File(".never.partial")));
    }

    [Fact]
    public void Study_SchemesInAnyOrder_PutJointFirst()
    {
        string output = study.Folder.File("order");

        var result = CliRunner.Run("study", "--no-calibrate", "--shift", "none", "--energy", "1", "--delay", "1", "--grid-energy", "none", "--grid-delay", "none",
            "--schemes", "separate,joint", "--out", output);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["joint", "separate"], File.ReadAllLines(Path.Combine(output, "cells.csv")).Skip(1).Select(l => l.Split(',')[11]));
    }

    [Fact]
    public void Study_SeedAndSeeds_AreRefusedTogether()
    {
        var result = CliRunner.Run("study", "--no-calibrate", "--seed", "2", "--seeds", "1,2", "--out", study.Folder.File("never"));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("--seed (2) and --seeds (1,2) are both given; give one", result.SingleErrorLine());
    }

    [Fact]
    public void Study_ResumeAndForce_AreRefusedTogether()
    {
        var result = CliRunner.Run("study", "--no-calibrate", "--resume", "--force", "--out", study.Folder.File("never"));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("--resume and --force are both given", result.SingleErrorLine());
    }

    [Fact]
    public void Study_PlanningOnly_NeedsNoDataAndOneSeed()
    {
        // mnist is the default dataset, and CI has no copy of it: a study that neither calibrates nor trains never loads it.
        Study_PlanningOnly();
    }

    private void Study_PlanningOnly()
    {
        string output = study.Folder.File("planning");

        var result = CliRunner.Run("study", "--no-calibrate", "--shift", "none", "--energy", "0.5,1", "--delay", "1", "--grid-energy", "none", "--grid-delay", "none",
            "--out", output);

        Assert.Equal(0, result.ExitCode);
        string[] csv = File.ReadAllLines(Path.Combine(output, "cells.csv"));
        Assert.Equal(1 + 2 * 6, csv.Length); // 2 cells × 6 schemes × 1 seed: without data the seeds would repeat the plans
        Assert.Contains(csv, l => l.StartsWith("e1-d1-rotate0-k10,energy;delay,1,1,0,0,0,10,300,300,1,joint,planned,false,,412,330,", StringComparison.Ordinal));
    }

    /// <summary>Stderr that interrupts the command when a line with <paramref name="marker"/> is written.</summary>
    private sealed class InterruptingWriter(Interruption interruption, string marker) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(marker, StringComparison.Ordinal) == true)
            {
                interruption.Interrupt(PosixSignal.SIGINT);
            }
        }
    }
}

public sealed class StudyProgressTests
{
    [Fact]
    public void Study_OnATerminal_ShowsAProgressBarWithTheTimeLeft()
    {
        using var folder = new TempFolder();

        var (result, terminal) = CliRunner.RunWithErrorTerminal("study", "--no-calibrate", "--shift", "none", "--energy", "0.5,1", "--delay", "1",
            "--grid-energy", "0.5,1", "--grid-delay", "1,2", "--schemes", "joint", "--out", folder.File("study"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("study: 4/4 cell-seeds", terminal);
        Assert.Contains("left", terminal);
        Assert.DoesNotContain(result.ErrorLines, l => l.StartsWith('[')); // no per-cell lines when a bar is drawn
    }

    [Fact]
    public void Study_WithoutATerminal_WritesALinePerCellWithTheTimeLeft()
    {
        using var folder = new TempFolder();

        var result = CliRunner.Run("study", "--no-calibrate", "--shift", "none", "--energy", "0.5,1", "--delay", "1",
            "--grid-energy", "none", "--grid-delay", "none", "--schemes", "joint", "--out", folder.File("study"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.ErrorLines, l => l.StartsWith("[1/2, ", StringComparison.Ordinal) && l.Contains("left] e0.5-d1-rotate0-k10 seed 1: joint M = ", StringComparison.Ordinal));
        Assert.Contains(result.ErrorLines, l => l.StartsWith("[2/2, ", StringComparison.Ordinal));
    }
}
