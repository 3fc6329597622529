using System.Collections.Concurrent;
using EdgeLearn.Federation.State;

namespace EdgeLearn.Federation.Server;

/// <summary>
/// Commits the rounds of a run to its state file on a thread of its own, in order, so that the trainer goes on with
/// the next round while the last one is written (a commit with its model takes milliseconds, as long as a short
/// round). At most <see cref="Capacity"/> rounds wait; a server killed loses only those, which it recomputes
/// bit-identically after the restart. A failed commit stops the run at the next round.
/// </summary>
internal sealed class StateWriter : IDisposable
{
    /// <summary>Rounds that may wait for their commit.</summary>
    public const int Capacity = 4;

    private readonly RunStateStore _store;
    private readonly BlockingCollection<(Func<RoundCheckpoint> Build, Action? Then)> _queue = new(Capacity);
    private readonly Thread _thread;
    private Exception? _failure;

    public StateWriter(RunStateStore store)
    {
        _store = store;
        _thread = new Thread(Write) { IsBackground = true, Name = "edgelearn state writer" };
        _thread.Start();
    }

    /// <summary>Queues a round: <paramref name="build"/> makes its checkpoint on the writer's thread, and
    /// <paramref name="then"/> runs once it is committed.</summary>
    /// <exception cref="IOException">An earlier commit failed.</exception>
    public void Enqueue(Func<RoundCheckpoint> build, Action? then)
    {
        ThrowIfFailed();
        _queue.Add((build, then));
    }

    /// <summary>Waits until every queued round is committed, and says whether one failed.</summary>
    /// <exception cref="IOException">A commit failed.</exception>
    public void Complete()
    {
        Flush();
        ThrowIfFailed();
    }

    /// <summary>Waits until every queued round is committed (or failed); no round can be queued after it.</summary>
    public void Flush()
    {
        if (!_queue.IsAddingCompleted)
        {
            _queue.CompleteAdding();
        }

        _thread.Join();
    }

    public void Dispose()
    {
        Flush();
        _queue.Dispose();
    }

    private void Write()
    {
        foreach (var (build, then) in _queue.GetConsumingEnumerable())
        {
            if (_failure is not null)
            {
                continue;
            }

            try
            {
                _store.Commit(build());
                then?.Invoke();
            }
            catch (Exception e)
            {
                _failure = e;
            }
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new IOException($"the state file could not be written: {failure.Message}", failure);
        }
    }
}
