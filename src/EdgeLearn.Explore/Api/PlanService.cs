using System.Collections.Concurrent;
using System.Diagnostics;
using EdgeLearn.Explore.Levers;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Explore.Api;

/// <summary>
/// Plans what-if scenarios for the explorer, in process, remembering recent answers: a slider moved back and forth, and
/// the sweeps behind the curves and the heat map, ask for the same plans again.
/// </summary>
/// <param name="space">The explored space.</param>
/// <param name="capacity">Plans remembered before the memory starts afresh.</param>
public sealed class PlanService(ExploreSpace space, int capacity = 4096) : IDisposable
{
    private readonly ConcurrentDictionary<(ExploreLevers, Scheme), PlanView> _cache = new();

    // The sweeps together use at most all cores but one, so a slider's plan always finds a core free; the requests of
    // the page (and of any other client) at most one plan per core.
    private readonly SemaphoreSlim _background = new(Math.Max(1, Environment.ProcessorCount - 1));
    private readonly SemaphoreSlim _foreground = new(Environment.ProcessorCount);
    private int _solved;

    /// <summary>The explored space.</summary>
    public ExploreSpace Space { get; } = space ?? throw new ArgumentNullException(nameof(space));

    /// <summary>Plans solved so far (answers recalled from memory not counted).</summary>
    public int Solved => Volatile.Read(ref _solved);

    /// <summary>Plans <paramref name="scheme"/> at <paramref name="levers"/> (or recalls the answer).</summary>
    /// <param name="levers">Checked levers.</param>
    /// <param name="scenario">Their what-if scenario (<see cref="WhatIf.Apply"/>).</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="cancellationToken">Stops planning before its next solve.</param>
    /// <returns>The view.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public PlanView Plan(ExploreLevers levers, Scenario scenario, Scheme scheme, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(levers);
        if (_cache.TryGetValue((levers, scheme), out var known))
        {
            return known with { ElapsedMs = 0 };
        }

        long start = Stopwatch.GetTimestamp();
        var result = Planner.Plan(scenario, scheme, null, null, cancellationToken);
        var view = PlanViews.Create(scenario, result, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        Interlocked.Increment(ref _solved);
        if (_cache.Count >= capacity)
        {
            _cache.Clear();
        }

        _cache[(levers, scheme)] = view;
        return view;
    }

    /// <summary>Plans as <see cref="Plan"/> does, for a request: at most one such plan per core at once, waiting
    /// without holding a thread.</summary>
    /// <param name="levers">Checked levers.</param>
    /// <param name="scenario">Their what-if scenario.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="cancellationToken">Stops waiting, or planning before its next solve.</param>
    /// <returns>The view.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<PlanView> PlanAsync(ExploreLevers levers, Scenario scenario, Scheme scheme, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(levers);
        if (_cache.ContainsKey((levers, scheme)))
        {
            return Plan(levers, scenario, scheme, cancellationToken);
        }

        await _foreground.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Plan(levers, scenario, scheme, cancellationToken);
        }
        finally
        {
            _foreground.Release();
        }
    }

    /// <summary>Plans as <see cref="Plan"/> does, for a background sweep: at most all cores but one plan for sweeps at
    /// once (a plan already in memory is answered without waiting).</summary>
    /// <param name="levers">Checked levers.</param>
    /// <param name="scenario">Their what-if scenario.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="cancellationToken">Stops waiting, or planning before its next solve.</param>
    /// <returns>The view.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public PlanView PlanInBackground(ExploreLevers levers, Scenario scenario, Scheme scheme, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(levers);
        if (_cache.ContainsKey((levers, scheme)))
        {
            return Plan(levers, scenario, scheme, cancellationToken);
        }

        _background.Wait(cancellationToken);
        try
        {
            return Plan(levers, scenario, scheme, cancellationToken);
        }
        finally
        {
            _background.Release();
        }
    }

    /// <summary>The levers with one budget changed, and their what-if scenario (for the sweeps).</summary>
    /// <param name="levers">Checked levers.</param>
    /// <param name="energyJ">The energy budget, J.</param>
    /// <param name="delayS">The delay budget, s.</param>
    /// <returns>The changed levers and scenario.</returns>
    public (ExploreLevers Levers, Scenario Scenario) WithBudgets(ExploreLevers levers, double energyJ, double delayS)
    {
        var changed = levers with { EnergyJ = energyJ, DelayS = delayS };
        return (changed, WhatIf.Apply(Space, changed));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _background.Dispose();
        _foreground.Dispose();
    }
}
