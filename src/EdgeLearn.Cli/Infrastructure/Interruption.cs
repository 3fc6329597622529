using System.Runtime.InteropServices;

namespace EdgeLearn.Cli.Infrastructure;

/// <summary>
/// Turns SIGINT (Ctrl-C) and SIGTERM into a cancellation that long commands observe at their next round boundary, so
/// that they stop cleanly: temporary files removed, nothing half-written, one line on stderr and exit code 130 or 143.
/// A second signal while the first is being handled ends the process at once, as usual.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _interrupted;
    private PosixSignal? _signal;

    private Interruption(bool listen)
    {
        _registrations = listen
            ? [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)]
            : [];
    }

    /// <summary>The token that the running command observes.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The signal that interrupted the command, or null.</summary>
    public PosixSignal? Signal => Volatile.Read(ref _interrupted) == 0 ? null : _signal;

    /// <summary>The exit code of an interrupted command: 128 + the signal number (130 for SIGINT, 143 for SIGTERM).</summary>
    public int ExitCode => Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;

    /// <summary>Starts listening for SIGINT and SIGTERM on the process.</summary>
    /// <returns>The listener; dispose it when the command ends.</returns>
    public static Interruption Listen() => new(listen: true);

    /// <summary>An interruption that only <see cref="Interrupt"/> triggers (tests).</summary>
    /// <returns>The listener.</returns>
    public static Interruption Manual() => new(listen: false);

    /// <summary>Interrupts the command as if <paramref name="signal"/> had arrived.</summary>
    /// <param name="signal">SIGINT or SIGTERM.</param>
    /// <returns>Whether this was the first interruption (a second one is left to end the process).</returns>
    public bool Interrupt(PosixSignal signal)
    {
        if (Interlocked.CompareExchange(ref _interrupted, 1, 0) != 0)
        {
            return false;
        }

        _signal = signal;
        _source.Cancel();
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }

    private void Handle(PosixSignalContext context) => context.Cancel = Interrupt(context.Signal);
}

/// <summary>A command was interrupted after it had kept results for a later run (a study's finished cells); the message
/// says what was kept and how to continue.</summary>
/// <param name="kept">What was kept, one sentence.</param>
internal sealed class ResultsKeptException(string kept) : OperationCanceledException(kept);
