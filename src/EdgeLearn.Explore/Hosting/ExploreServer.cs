using System.Net;
using System.Reflection;
using EdgeLearn.Explore.Api;
using EdgeLearn.Explore.Levers;
using EdgeLearn.Scenarios;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeLearn.Explore.Hosting;

/// <summary>Where and how the explorer serves.</summary>
public sealed record ExploreServerOptions
{
    /// <summary>Port on 127.0.0.1; 0 for a free one. The explorer never listens beyond the loopback interface.</summary>
    public int Port { get; init; }

    /// <summary>Where the scenario came from, shown on the page ("the default scenario" or a file path).</summary>
    public string Source { get; init; } = "the default scenario";

    /// <summary>Receives a line for each unexpected failure of a request.</summary>
    public Action<string> Log { get; init; } = _ => { };
}

/// <summary>
/// The explorer's web server: Kestrel on 127.0.0.1, serving the page, its script and style sheet (embedded in this
/// assembly; nothing comes from a network) and the JSON API of <see cref="ExploreEndpoints"/>.
/// </summary>
public sealed class ExploreServer : IAsyncDisposable
{
    /// <summary>The page's files: name to media type.</summary>
    private static readonly (string Path, string File, string MediaType)[] Assets =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/explore.js", "explore.js", "text/javascript; charset=utf-8"),
        ("/explore.css", "explore.css", "text/css; charset=utf-8"),
    ];

    private readonly WebApplication _app;

    private ExploreServer(WebApplication app, Uri address, PlanService plans)
    {
        _app = app;
        Address = address;
        Plans = plans;
    }

    /// <summary>The page's address, e.g. <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The planner behind the API.</summary>
    public PlanService Plans { get; }

    /// <summary>Starts serving <paramref name="scenario"/>.</summary>
    /// <param name="scenario">A valid scenario.</param>
    /// <param name="options">Port, source and log.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="InvalidScenarioException">The scenario is not valid.</exception>
    /// <exception cref="IOException">The port is taken.</exception>
    public static async Task<ExploreServer> StartAsync(Scenario scenario, ExploreServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);
        var plans = new PlanService(ExploreSpace.For(scenario));
        // An empty builder: no appsettings.json, no environment variables, so nothing can add a listener beyond the
        // loopback one below (a Kestrel endpoint in the configuration would), and a stray configuration file in the
        // working folder cannot break the command.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();
        try
        {
            app.Use(GuardHost);
            foreach (var (path, file, mediaType) in Assets)
            {
                byte[] content = Asset(file);
                app.MapGet(path, () => Results.Bytes(content, mediaType));
            }

            ExploreEndpoints.Map(app, plans, options.Source, options.Log);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            if (addresses.Count != 1)
            {
                throw new InvalidOperationException($"the explorer listens on {string.Join(", ", addresses)}; it must listen on 127.0.0.1 only.");
            }

            return new ExploreServer(app, new UriBuilder(addresses.First()) { Path = "/" }.Uri, plans);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            plans.Dispose();
            throw;
        }
    }

    /// <summary>Where the explorer listens on the loopback interface, and only there.</summary>
    public IReadOnlyList<string> Listening =>
        [.. _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses];

    /// <summary>Answers only requests addressed to this machine by loopback name (127.0.0.1, localhost, [::1]): a web
    /// page elsewhere cannot read the scenario through DNS rebinding. Every answer says not to guess its media type.</summary>
    private static Task GuardHost(HttpContext context, RequestDelegate next)
    {
        context.Response.Headers.XContentTypeOptions = "nosniff";
        string host = context.Request.Host.Host;
        if (host is "127.0.0.1" or "localhost" or "[::1]" or "::1")
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(
            System.Text.Json.JsonSerializer.Serialize(new { field = "Host", error = $"Host is {context.Request.Host}; the explorer answers only requests to 127.0.0.1 or localhost." }),
            context.RequestAborted);
    }

    /// <summary>Stops serving (open requests get a moment to finish).</summary>
    /// <returns>A task.</returns>
    public async Task StopAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        Plans.Dispose();
    }

    /// <summary>The bytes of an embedded page file.</summary>
    /// <param name="file">File name under wwwroot.</param>
    /// <returns>Its content.</returns>
    private static byte[] Asset(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("wwwroot/" + file)
            ?? throw new InvalidOperationException($"the explorer's {file} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
