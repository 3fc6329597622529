using System.Net;
using EdgeLearn.Federation.Protocol;
using EdgeLearn.Federation.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeLearn.Federation.Server;

/// <summary>Where and how the server listens.</summary>
public sealed record FederationServerOptions
{
    /// <summary>Address and port to listen on (port 0: a free one, see <see cref="FederationServerHost.Address"/>).</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>The server's kit for mutual TLS; null serves plaintext HTTP/2 (<c>--insecure</c>, local demos only).</summary>
    public CertificateKit? Certificates { get; init; }

    /// <summary>Receives one line per refused connection or message (the coordinator logs the rest).</summary>
    public Action<string> Log { get; init; } = _ => { };

    /// <summary>Clock of the certificate checks.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>
/// Hosts <see cref="FederationService"/> in ASP.NET Core's Kestrel over HTTP/2: with mutual TLS, a client certificate
/// is required and accepted only when the federation's CA issued it for client authentication (anything else is
/// refused during the handshake, with a log line). An update larger than the model's packed size plus 64 KiB
/// (<see cref="MaxMessageBytes"/>) is refused as oversized in the reply; one larger than twice that is not even read
/// (gRPC answers RESOURCE_EXHAUSTED), and logged as oversized too.
/// </summary>
public sealed class FederationServerHost : IAsyncDisposable
{
    /// <summary>Room for the fields of an update besides its gradient, bytes.</summary>
    public const int MessageOverheadBytes = 64 * 1024;

    private readonly WebApplication _app;

    private FederationServerHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The address devices connect to, e.g. <c>https://127.0.0.1:50051</c>.</summary>
    public Uri Address { get; }

    /// <summary>The largest message accepted for a model of <paramref name="parameters"/> parameters, bytes.</summary>
    /// <param name="parameters">The model's parameter count.</param>
    /// <returns>4 bytes per parameter plus <see cref="MessageOverheadBytes"/>.</returns>
    public static int MaxMessageBytes(long parameters) => checked((int)((parameters * PackedFloats.BytesPerValue) + MessageOverheadBytes));

    /// <summary>Starts listening.</summary>
    /// <param name="coordinator">The rounds to serve.</param>
    /// <param name="options">Where and how.</param>
    /// <param name="parameters">The model's parameter count (sets the message size limit).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running host.</returns>
    public static async Task<FederationServerHost> StartAsync(RoundCoordinator coordinator, FederationServerOptions options, long parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        ArgumentNullException.ThrowIfNull(options);
        int limit = MaxMessageBytes(parameters);
        int hardLimit = checked(2 * limit);
        // An empty builder: no appsettings.json and no environment variables, so nothing can add a listener beyond
        // --listen (a Kestrel endpoint in the configuration would, without TLS).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.None);
        builder.Logging.AddFilter(OversizedLog.Category, LogLevel.Debug);
        builder.Logging.AddProvider(new OversizedLog(coordinator, hardLimit));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = hardLimit;
            // A whole update fits the stream's window and several the connection's, so uploads never wait for window updates.
            kestrel.Limits.Http2.InitialStreamWindowSize = Math.Max(kestrel.Limits.Http2.InitialStreamWindowSize, limit);
            kestrel.Limits.Http2.InitialConnectionWindowSize = Math.Max(kestrel.Limits.Http2.InitialConnectionWindowSize, 4 * limit);
            kestrel.Listen(options.Listen, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (options.Certificates is { } kit)
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificate = kit.Certificate,
                        ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                        ClientCertificateValidation = (certificate, _, _) => Accepts(certificate, kit, options),
                    });
                }
            });
        });
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = hardLimit;
            grpc.MaxSendMessageSize = limit;
        });
        builder.Services.AddSingleton(new FederationService(coordinator, options.Certificates is null, limit, options.Log));
        var app = builder.Build();
        app.MapGrpcService<FederationService>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var address = new UriBuilder(bound) { Scheme = options.Certificates is null ? "http" : "https" }.Uri;
        return new FederationServerHost(app, address);
    }

    /// <summary>Stops listening (open calls get a moment to finish).</summary>
    /// <returns>A task.</returns>
    public async Task StopAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    private static bool Accepts(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, CertificateKit kit, FederationServerOptions options)
    {
        if (Provisioning.IsIssuedBy(certificate, kit.Authority, Provisioning.ClientAuthentication, options.Clock.GetUtcNow()))
        {
            return true;
        }

        options.Log($"refused a connection: its client certificate ({certificate.Subject}) was not issued by this federation's CA for a device (unknown certificate).");
        return false;
    }

    /// <summary>Hears gRPC's own log of a message over the size limit, which it refuses before any service code runs,
    /// and records it as an oversized update.</summary>
    private sealed class OversizedLog(RoundCoordinator coordinator, int limit) : ILoggerProvider, ILogger
    {
        public const string Category = "Grpc.AspNetCore.Server";

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string message = formatter(state, exception);
            if (message.Contains("exceeds the maximum", StringComparison.OrdinalIgnoreCase)
                || exception is Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.ResourceExhausted })
            {
                coordinator.RecordOversized(null, null, limit);
            }
        }

        public void Dispose()
        {
        }
    }
}
