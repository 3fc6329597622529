using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeLearn.Cli.Infrastructure;

namespace EdgeLearn.Cli.Tests.Commands.Federation;

/// <summary>A real <c>edgelearn</c> process (<c>dotnet edgelearn.dll …</c>) whose stderr is collected line by line, so
/// a test can wait for a line, kill it (SIGKILL), and read what it said. Disposing kills it if it still runs.</summary>
internal sealed class EdgeProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Task<string> _stdout;
    private readonly Task _stderr;
    private readonly SemaphoreSlim _newLine = new(0);

    private EdgeProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                _lines.Enqueue(line);
                _newLine.Release();
            }

            _newLine.Release();
        });
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Every stderr line so far.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Starts <c>edgelearn</c> with <paramref name="args"/>.</summary>
    public static EdgeProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edgelearn.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new EdgeProcess(Process.Start(start)!);
    }

    /// <summary>Waits for a stderr line matching <paramref name="pattern"/> and returns its match.</summary>
    /// <exception cref="TimeoutException">None came within <paramref name="timeout"/> (the message holds what was said).</exception>
    public Match WaitFor(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern);
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach (string line in _lines)
            {
                if (regex.Match(line) is { Success: true } match)
                {
                    return match;
                }
            }

            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || (_process.HasExited && _stderr.IsCompleted && !_lines.Any(l => regex.IsMatch(l))))
            {
                throw new TimeoutException($"no line matching '{pattern}' within {timeout.TotalSeconds} s; the process said:\n{string.Join("\n", _lines)}");
            }

            _newLine.Wait(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Waits for the process to exit and returns its exit code and stdout.</summary>
    /// <exception cref="TimeoutException">It ran past <paramref name="timeout"/> (it is killed).</exception>
    public (int ExitCode, string Stdout) Exit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            throw new TimeoutException($"the process did not exit within {timeout.TotalSeconds} s; it said:\n{string.Join("\n", _lines)}");
        }

        _process.WaitForExit();
        _stderr.Wait(TimeSpan.FromSeconds(10));
        return (_process.ExitCode, _stdout.Result);
    }

    /// <summary>kill -9.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>Peak resident memory so far (VmHWM), bytes; 0 where /proc is not there.</summary>
    public long PeakMemoryBytes()
    {
        string status = $"/proc/{_process.Id}/status";
        if (!File.Exists(status))
        {
            return 0;
        }

        string? line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        _newLine.Dispose();
    }
}

/// <summary>A small federation's inputs in a temporary folder: a scenario, a short plan of it, certificates, and the
/// synthetic data options every process gets (8x8 images, a 64-16-10 MLP).</summary>
internal sealed class SmallFederation : IDisposable
{
    private readonly TempFolder _folder = new();

    public SmallFederation(int pretrainRounds, int finetuneRounds, int devices = 10)
    {
        Scenario = _folder.File("scenario.json");
        Plan = _folder.File("plan.json");
        Certs = _folder.File("certs");
        if (devices != 10)
        {
            Assert.Equal(ExitCodes.Ok, CliRunner.Run("scenario", "generate", "--devices", devices.ToString(CultureInfo.InvariantCulture), "--seed", "1", "--out", Scenario).ExitCode);
        }
        else
        {
            Assert.Equal(ExitCodes.Ok, CliRunner.Run("scenario", "show", "--json", Scenario).ExitCode);
        }

        string full = _folder.File("full-plan.json");
        Assert.Equal(ExitCodes.Ok, CliRunner.Run("plan", "--scenario", Scenario, "--json", full).ExitCode);
        var plan = JsonNode.Parse(System.IO.File.ReadAllText(full))!;
        plan["pretrainRounds"] = pretrainRounds;
        plan["finetuneRounds"] = finetuneRounds;
        System.IO.File.WriteAllText(Plan, plan.ToJsonString());
        Assert.Equal(ExitCodes.Ok, CliRunner.Run("federation", "provision", "--scenario", Scenario, "--out", Certs).ExitCode);
    }

    public string Scenario { get; }

    public string Plan { get; }

    public string Certs { get; }

    /// <summary>The data and model options of every command of the run.</summary>
    public string[] DataOptions => ["--scenario", Scenario, "--dataset", "synthetic", "--hidden", "16", "--seed", "3"];

    public string File(string name) => _folder.File(name);

    /// <summary>Starts a server on <paramref name="port"/> (0: any) and returns it once it listens, with its address.</summary>
    public (EdgeProcess Server, string Address) StartServer(string state, string? outFolder, int port = 0, double roundTimeoutS = 120, bool insecure = false)
    {
        List<string> args = ["server", .. DataOptions, "--plan", Plan, "--accept-model-size", "--state", state,
            "--listen", $"127.0.0.1:{port}", "--round-timeout", roundTimeoutS.ToString(CultureInfo.InvariantCulture)];
        args.AddRange(insecure ? new[] { "--insecure" } : new[] { "--certs", Certs });
        if (outFolder is not null)
        {
            args.AddRange(["--out", outFolder]);
        }

        var server = EdgeProcess.Start([.. args]);
        string address = server.WaitFor(@"at (https?://127\.0\.0\.1:\d+)/", TimeSpan.FromSeconds(60)).Groups[1].Value;
        return (server, address);
    }

    /// <summary>Starts a device agent process for <paramref name="ids"/> (an --ids value).</summary>
    public EdgeProcess StartDevices(string address, string ids, bool insecure = false)
    {
        List<string> args = ["device", .. DataOptions, "--server", address, "--ids", ids, "--retry-for", "60"];
        args.AddRange(insecure ? new[] { "--insecure" } : new[] { "--certs", Certs });
        return EdgeProcess.Start([.. args]);
    }

    /// <summary>Trains the same plan in-process with <c>train</c> into <paramref name="outFolder"/>.</summary>
    public void Train(string outFolder) =>
        Assert.Equal(ExitCodes.Ok, CliRunner.Run(["train", .. DataOptions, "--plan", Plan, "--accept-model-size", "--out", outFolder]).ExitCode);

    /// <summary>A port that was free a moment ago (for a server that must come back on the same address).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _folder.Dispose();
}
