using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Explore.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Explore;

/// <summary>Settings of <c>edgelearn explore</c>.</summary>
internal sealed class ExploreSettings : ScenarioSettings
{
    /// <summary>Port on 127.0.0.1; a free one when absent.</summary>
    [CommandOption("--port <P>")]
    [Description("Port to serve on, on 127.0.0.1 only (1 to 65535). Default: a free port, printed with the URL.")]
    public int? Port { get; init; }

    /// <summary>Whether to open the page in the default browser.</summary>
    [CommandOption("--open")]
    [Description("Also open the page in the default browser.")]
    public bool Open { get; init; }

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        if (Port is < 1 or > IPEndPoint.MaxPort)
        {
            return ValidationResult.Error($"--port is {Port}; it must be between 1 and {IPEndPoint.MaxPort} (leave it out for a free port).");
        }

        return base.Validate();
    }
}

/// <summary>
/// <c>edgelearn explore [--scenario FILE] [--port P] [--open]</c>: serves the plan explorer on 127.0.0.1, prints its URL
/// on stdout and runs until Ctrl+C (or SIGTERM), then exits 0.
/// </summary>
internal sealed class ExploreCommand(CliOutput output) : AsyncCommand<ExploreSettings>
{
    /// <inheritdoc/>
    public override async Task<int> ExecuteAsync(CommandContext context, ExploreSettings settings, CancellationToken cancellationToken)
    {
        output.Warn(settings.Warnings);
        var scenario = settings.Scenario;
        ExploreServer server;
        try
        {
            server = await ExploreServer.StartAsync(scenario, new ExploreServerOptions
            {
                Port = settings.Port ?? 0,
                Source = settings.Source,
                Log = line => output.Warn(line),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (settings.Port is { } port)
        {
            throw new UserInputException(ExitCodes.BadInput,
                [$"--port is {port.ToString(CultureInfo.InvariantCulture)}; it must be a free port on 127.0.0.1 ({Reason(e)})."]);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM while starting: a server asked to stop, as any other time.
            output.Status("Stopped the explorer before it served.");
            return ExitCodes.Ok;
        }

        await using (server.ConfigureAwait(false))
        {
            string url = server.Address.ToString();
            output.Console.WriteLine(url);
            output.Status($"Exploring scenario '{scenario.Name}' ({settings.Source}, {scenario.Devices.Count} devices) at {url}; press Ctrl+C to stop.");
            if (settings.Open)
            {
                OpenBrowser(url);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: the normal way to stop a server.
            }

            await server.StopAsync().ConfigureAwait(false);
        }

        output.Status("Stopped the explorer.");
        return ExitCodes.Ok;
    }

    /// <summary>Opens the page in the default browser: xdg-open on Linux (its own chatter kept off the terminal, its
    /// failure one warning line), the shell elsewhere. Never holds up the server.</summary>
    private void OpenBrowser(string url)
    {
        if (!OperatingSystem.IsLinux())
        {
            try
            {
                using var shell = Process.Start(new ProcessStartInfo(url) { UseShellExecute = true });
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or PlatformNotSupportedException)
            {
                output.Warn($"warning: could not open a browser ({e.Message}); open {url} yourself.");
            }

            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                using var opener = Process.Start(new ProcessStartInfo("xdg-open", url)
                {
                    RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                })!;
                var errors = opener.StandardError.ReadToEndAsync();
                _ = opener.StandardOutput.ReadToEndAsync();
                await opener.WaitForExitAsync().ConfigureAwait(false);
                if (opener.ExitCode != 0)
                {
                    string last = (await errors.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
                    output.Warn($"warning: could not open a browser (xdg-open exited with {opener.ExitCode}{(last.Length > 0 ? ": " + last : "")}); open {url} yourself.");
                }
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                output.Warn($"warning: could not open a browser (xdg-open: {e.Message}); open {url} yourself.");
            }
        });
    }

    private static string Reason(IOException e) =>
        (e.InnerException?.Message ?? e.Message).TrimEnd('.').Replace('\n', ' ');
}

/// <summary>Registers <c>edgelearn explore</c>.</summary>
internal static class ExploreCommands
{
    /// <summary>Registers the command.</summary>
    public static void Register(IConfigurator config) =>
        config.AddCommand<ExploreCommand>("explore")
            .WithDescription("Serve a local web page (127.0.0.1) that re-plans the scenario live as its budgets, shift, fleet, bandwidth and server frequency move.")
            .WithExample("explore")
            .WithExample("explore", "--scenario", "calibrated.json", "--port", "8080", "--open");
}
