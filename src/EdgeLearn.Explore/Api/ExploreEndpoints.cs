using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using EdgeLearn.Explore.Levers;
using EdgeLearn.Explore.Sweeps;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EdgeLearn.Explore.Api;

/// <summary>
/// The explorer's JSON API (docs/explore.md). Every parameter is checked before any planning: a bad one gets a 400 with
/// <c>{"field": …, "error": …}</c> in the CLI's words. Sweeps stream one JSON object per line as they are solved and stop
/// when the client goes away.
/// </summary>
public static class ExploreEndpoints
{
    /// <summary>The query parameter of the sweeps' cap on points (tests use small sweeps).</summary>
    public const string Limit = "limit";

    /// <summary>Maps the API onto <paramref name="app"/>.</summary>
    /// <param name="app">The application.</param>
    /// <param name="plans">The planner of the explored space.</param>
    /// <param name="source">Where the scenario came from, for the page's title.</param>
    /// <param name="log">Receives a line for each unexpected failure.</param>
    public static void Map(WebApplication app, PlanService plans, string source, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(plans);
        var space = SpaceView.Create(plans.Space, source);
        app.MapGet("/api/space", () => Results.Json(space, ExploreJson.Options));
        void Get(string path, string[]? allowed, Func<HttpContext, LeverRequest, CancellationToken, Task<IResult>> respond)
        {
            RequestDelegate handler = context => Handle(context, plans, log, allowed, respond);
            app.MapGet(path, handler);
        }

        Get("/api/plan", null, async (_, request, ct) =>
            Results.Json(await plans.PlanAsync(request.Levers, request.Scenario, request.Scheme, ct).ConfigureAwait(false), ExploreJson.Options));
        Get("/api/compare", null, async (_, request, ct) =>
        {
            var results = new List<PlanView>();
            foreach (var scheme in SchemeNames.All)
            {
                results.Add(await plans.PlanAsync(request.Levers, request.Scenario, scheme, ct).ConfigureAwait(false));
            }

            return Results.Json(new { results }, ExploreJson.Options);
        });
        Get("/api/curves", [Limit], (context, request, ct) =>
            Stream(context, new { energies = space.CurveEnergies, schemes = space.Schemes.Select(s => s.Name) }, stop => BudgetSweeps.Curves(plans, request, stop), log, ct));
        Get("/api/heatmap", [Limit], (context, request, ct) =>
            Stream(context, new { energies = space.MapEnergies, delays = space.MapDelays, scheme = request.Scheme.ToName() }, stop => BudgetSweeps.Map(plans, request, stop), log, ct));
        Get("/api/export/scenario", null, (_, request, _) =>
            Task.FromResult(Download(ScenarioJson.Serialize(request.Scenario), "scenario.json")));
        Get("/api/export/plan", null, (_, request, ct) =>
        {
            var result = Planner.Plan(request.Scenario, request.Scheme, null, null, ct);
            return Task.FromResult(result.HasPlan
                ? Download(PlanJson.Serialize(result), "plan.json")
                : Results.Json(new { field = result.Infeasibility?.BindingBudget == "delay" ? LeverQuery.DelayS : LeverQuery.EnergyJ, error = $"No {request.Scheme.ToName()} plan to export: {result.Infeasibility?.Message ?? "the search stopped at an iteration cap"}" },
                    ExploreJson.Options, statusCode: StatusCodes.Status409Conflict));
        });
    }

    private static async Task Handle(HttpContext context, PlanService plans, Action<string> log, string[]? allowed,
        Func<HttpContext, LeverRequest, CancellationToken, Task<IResult>> respond)
    {
        var result = await Respond(context, plans, log, allowed, respond).ConfigureAwait(false);
        if (!context.Response.HasStarted || ReferenceEquals(result, Results.Empty))
        {
            await result.ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    private static async Task<IResult> Respond(HttpContext context, PlanService plans, Action<string> log, string[]? allowed,
        Func<HttpContext, LeverRequest, CancellationToken, Task<IResult>> respond)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in context.Request.Query)
        {
            if (values.Count != 1)
            {
                return BadRequest(name, $"{name} is given {values.Count} times; it must be given once.");
            }

            query[name] = values[0] ?? "";
        }

        if (LeverQuery.TryRead(plans.Space, query, allowed, out var request) is { } error)
        {
            return BadRequest(error.Field, error.Message);
        }

        if (query.TryGetValue(Limit, out var limit) && !(int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= 1))
        {
            return BadRequest(Limit, $"{Limit} is {limit}; it must be a whole number of at least 1 (points to stream).");
        }

        try
        {
            return await respond(context, request!, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty; // the page moved on; nobody reads this answer
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            log($"explore: {context.Request.Path}{context.Request.QueryString} failed: {exception.Message}");
            return Results.Json(new { field = "", error = $"internal error: {exception.Message}" }, ExploreJson.Options,
                statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    private static IResult BadRequest(string field, string message) =>
        Results.Json(new { field, error = message }, ExploreJson.Options, statusCode: StatusCodes.Status400BadRequest);

    private static IResult Download(string json, string name) =>
        Results.File(Encoding.UTF8.GetBytes(json.EndsWith('\n') ? json : json + "\n"), "application/json", name);

    /// <summary>Streams a header line, then each item as one JSON line, flushing after each. The items are planned on a
    /// thread of their own (a sweep waits for its share of the cores there, never on a request thread), and planning
    /// stops when the client goes away or the limit is reached.</summary>
    private static async Task<IResult> Stream<T>(HttpContext context, object header, Func<CancellationToken, IEnumerable<T>> items, Action<string> log,
        CancellationToken cancellationToken)
    {
        var response = context.Response;
        int limit = context.Request.Query.TryGetValue(Limit, out var text) ? int.Parse(text!, System.Globalization.CultureInfo.InvariantCulture) : int.MaxValue;
        response.ContentType = "application/x-ndjson";
        response.Headers.CacheControl = "no-store";
        await WriteLine(response, header, cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                foreach (var item in items(stop.Token))
                {
                    channel.Writer.TryWrite(item);
                }

                channel.Writer.TryComplete();
            }
            catch (Exception e)
            {
                channel.Writer.TryComplete(e);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            int written = 0;
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await WriteLine(response, item!, cancellationToken).ConfigureAwait(false);
                if (++written >= limit) break;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The answer has begun (200 and lines sent): the failure is its last line.
            log($"explore: {context.Request.Path}{context.Request.QueryString} failed: {exception.Message}");
            await WriteLine(response, new { error = $"internal error: {exception.Message}" }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }

        return Results.Empty;
    }

    private static async Task WriteLine(HttpResponse response, object value, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), ExploreJson.Options), cancellationToken).ConfigureAwait(false);
        await response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
