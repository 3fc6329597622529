using System.Net.Sockets;
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
    private readonly Task<int> _run;
    private (int ExitCode, string Stdout, string Stderr)? _stopped;

    public RunningExplorer(params string[] options)
    {
        Port = FreePort();
        string[] args = ["explore", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. options];
        _run = Task.Factory.StartNew(() => EdgeLearnApp.Create(_console, _error).Run(args, _interruption),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            if (_run.IsCompleted)
            {
                throw new InvalidOperationException($"explore ended with {_run.Result}: {_error}");
            }

            try
            {
                client.GetStringAsync(Url + "api/space").GetAwaiter().GetResult();
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < until)
            {
                Thread.Sleep(50);
            }
        }
    }

    public int Port { get; }

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

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
