using System.Runtime.InteropServices;
using EdgeLearn.Cli.Infrastructure;
using Spectre.Console.Testing;

namespace EdgeLearn.Cli.Tests.Commands.Explore;

/// <summary><c>edgelearn explore</c> run in-process on a thread, on a free port of 127.0.0.1, stopped by a simulated Ctrl+C.</summary>
internal sealed class RunningExplorer : IDisposable
{
    private readonly Interruption _interruption = Interruption.Manual();
    private readonly TestConsole _console = new();
    private readonly StringWriter _error = new();
    private Task<int> _run = Task.FromResult(0);
    private (int ExitCode, string Stdout, string Stderr)? _stopped;

    public RunningExplorer(params string[] options)
    {
        // A free port can be taken between looking and listening on a busy machine: then try another.
        for (int attempt = 1; ; attempt++)
        {
            Port = FreePort();
            string[] args = ["explore", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. options];
            _run = Task.Factory.StartNew(() => EdgeLearnApp.Create(_console, _error).Run(args, _interruption),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            if (WaitUntilServing())
            {
                return;
            }

            if (attempt == 3 || !_error.ToString().Contains("it must be a free port", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"explore ended with {_run.Result}: {_error}");
            }
        }
    }

    /// <summary>True once the page answers; false when the command ended first.</summary>
    private bool WaitUntilServing()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var until = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            if (_run.IsCompleted)
            {
                return false;
            }

            try
            {
                client.GetStringAsync(Url + "api/space").GetAwaiter().GetResult();
                return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < until)
            {
                Thread.Sleep(50);
            }
        }
    }

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>Interrupts the command as Ctrl+C does and returns what it printed.</summary>
    public (int ExitCode, string Stdout, string Stderr) Stop()
    {
        if (_stopped is { } done)
        {
            return done;
        }

        _interruption.Interrupt(PosixSignal.SIGINT);
        Assert.True(_run.Wait(TimeSpan.FromSeconds(30)), "explore did not stop within 30 s of Ctrl+C");
        _stopped = (_run.Result, _console.Output, _error.ToString());
        return _stopped.Value;
    }

    public void Dispose()
    {
        Stop();
        _interruption.Dispose();
    }

    private static int FreePort() => Federation.SmallFederation.FreePort();
}
