using System.Diagnostics;
using System.Globalization;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;
using Spectre.Console;

namespace EdgeLearn.Cli.Commands.Planning.Internal;

/// <summary>
/// Runs planning with a live status line on stderr (scheme, relaxations solved, best bound so far, elapsed time) once it
/// has taken longer than <see cref="Delay"/>: a quick plan shows nothing, a long one shows that it is working. None with
/// <c>--quiet</c> or when stderr is not a terminal. Ctrl-C stops the planner before its next solve (the caller's token).
/// </summary>
internal static class PlanningDisplay
{
    /// <summary>Plans shorter than this show no display.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    /// <summary>How often the status line is refreshed.</summary>
    private const int RefreshMilliseconds = 100;

    /// <summary>Runs <paramref name="plan"/> (which receives the progress sink) and returns its result.</summary>
    /// <typeparam name="T">The planning result.</typeparam>
    /// <param name="output">Where the display goes.</param>
    /// <param name="plan">The planning work, given a progress sink (null when nothing is displayed).</param>
    /// <exception cref="OperationCanceledException">The planner was stopped by the token it was given.</exception>
    public static T Run<T>(CliOutput output, Func<IProgress<PlanningProgress>?, T> plan)
    {
        if (!output.ShowsProgress)
        {
            return plan(null);
        }

        var latest = new LatestProgress();
        long started = Stopwatch.GetTimestamp();
        var work = Task.Run(() => plan(latest));
        if (!work.Wait(Delay))
        {
            output.ErrorConsole.Status().Start(Describe(latest.Value, started), context =>
            {
                while (!work.Wait(RefreshMilliseconds))
                {
                    context.Status(Describe(latest.Value, started));
                }
            });
        }

        return work.GetAwaiter().GetResult(); // rethrows the planner's own exception, not an AggregateException
    }

    /// <summary>The status line: "Planning joint: 152 relaxations solved, best bound 0.0947631 (12 s)".</summary>
    internal static string Describe(PlanningProgress? progress, long started)
    {
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (progress is null)
        {
            return Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"Planning ({seconds:F0} s)"));
        }

        string best = double.IsFinite(progress.BestBound) ? progress.BestBound.ToString("G6", CultureInfo.InvariantCulture) : "none yet";
        return Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Planning {progress.Scheme.ToName()}: {progress.RelaxationsSolved} relaxations solved, best bound {best} ({seconds:F0} s)"));
    }

    /// <summary>Keeps the last report, for the display thread to read.</summary>
    private sealed class LatestProgress : IProgress<PlanningProgress>
    {
        private PlanningProgress? _value;

        public PlanningProgress? Value => Volatile.Read(ref _value);

        public void Report(PlanningProgress value) => Volatile.Write(ref _value, value);
    }
}
