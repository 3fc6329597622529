using System.Diagnostics;
using EdgeLearn.Cli.Infrastructure;

namespace EdgeLearn.Cli.Tests.Infrastructure;

/// <summary>A real signal to a real edgelearn process in the middle of <c>train --out</c>: it stops at the next round,
/// says where, exits 128 + the signal, and leaves neither the output folder nor any temporary or lock file.</summary>
public sealed class InterruptionTests
{
    [Theory]
    [InlineData("INT", "SIGINT", ExitCodes.Interrupted)]
    [InlineData("TERM", "SIGTERM", ExitCodes.Terminated)]
    public async Task Train_Signalled_StopsCleanlyWithNoFolderAndTheSignalsExitCode(string kill, string name, int exitCode)
    {
        using var folder = new TempFolder();
        string dir = folder.File("run");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "edgelearn.dll"), "train", "--dataset", "synthetic", "--hidden", "16", "--accept-model-size", "--out", dir })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string? status = await process.StandardError.ReadLineAsync(); // "Training the joint plan …": the rounds start now
        // The rounds take well under a second on synthetic data: signal early in them, or a loaded machine sees them end first.
        await Task.Delay(50);
        using (var signal = Process.Start("kill", [$"-{kill}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            signal.WaitForExit();
        }

        bool exited = process.WaitForExit(60_000);
        string rest = await process.StandardError.ReadToEndAsync();
        _ = await stdout;

        Assert.True(exited, "the process did not stop within 60 s of the signal");
        Assert.StartsWith("Training the joint plan", status, StringComparison.Ordinal);
        Assert.Equal(exitCode, process.ExitCode);
        string line = Assert.Single(rest.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches($"^Interrupted by {name} at (pre-training|fine-tuning) round [0-9]+ of [0-9]+; nothing was written and temporary files were removed\\.$", line);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task Plan_SignalledDuringALongSearch_StopsBeforeTheNextSolveAndWritesNothing()
    {
        using var folder = new TempFolder();
        string scenario = folder.File("fleet.json"), json = folder.File("plan.json");
        Assert.Equal(ExitCodes.Ok, CliRunner.Run("scenario", "generate", "--devices", "50000", "--seed", "2", "--out", scenario).ExitCode);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "edgelearn.dll"), "plan", "--scenario", scenario, "--json", json })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await Task.Delay(1500); // the 50,000-device plan takes about 5 s on the 2-core CI machine (a 4,000-device one now ends within 1.5 s)
        using (var signal = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            signal.WaitForExit();
        }

        bool exited = process.WaitForExit(60_000);
        string rest = await stderr;

        Assert.True(exited, "the process did not stop within 60 s of the signal");
        Assert.Equal(ExitCodes.Interrupted, process.ExitCode);
        string line = Assert.Single(rest.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches("^Interrupted by SIGINT at relaxation [0-9]+ of the joint search; nothing was written and temporary files were removed\\.$", line);
        Assert.Equal("", await stdout);
        Assert.Equal(["fleet.json"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Interrupt_SecondSignal_IsLeftToEndTheProcess()
    {
        using var interruption = Interruption.Manual();

        bool first = interruption.Interrupt(System.Runtime.InteropServices.PosixSignal.SIGTERM);
        bool second = interruption.Interrupt(System.Runtime.InteropServices.PosixSignal.SIGINT);

        Assert.True(first);
        Assert.False(second);
        Assert.True(interruption.Token.IsCancellationRequested);
        Assert.Equal(ExitCodes.Terminated, interruption.ExitCode);
    }
}
