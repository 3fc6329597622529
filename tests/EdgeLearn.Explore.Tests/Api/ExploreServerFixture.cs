using EdgeLearn.Explore.Hosting;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Explore.Tests.Api;

/// <summary>One explorer server on the default scenario, on a free port of 127.0.0.1, for a test class.</summary>
public sealed class ExploreServerFixture : IAsyncLifetime
{
    private readonly List<string> _log = [];

    public ExploreServer Server { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_log) return [.. _log];
        }
    }

    public async Task InitializeAsync()
    {
        Server = await ExploreServer.StartAsync(DefaultScenario.Create(), new ExploreServerOptions
        {
            Log = line => { lock (_log) _log.Add(line); },
        }, CancellationToken.None);
        Client = new HttpClient { BaseAddress = Server.Address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.StopAsync();
        await Server.DisposeAsync();
    }
}
