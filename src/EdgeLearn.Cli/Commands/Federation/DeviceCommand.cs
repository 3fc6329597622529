using System.ComponentModel;
using System.Globalization;
using System.Text.RegularExpressions;
using EdgeLearn.Cli.Commands.Training;
using EdgeLearn.Cli.Commands.Training.Internal;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Federation.Device;
using EdgeLearn.Federation.Security;
using EdgeLearn.Federation.Server;
using EdgeLearn.Training;
using EdgeLearn.Training.Fleet;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Federation;

/// <summary>Settings of <c>edgelearn device</c>: the same data and model options as the server's, and who and where.</summary>
internal sealed partial class DeviceSettings : TrainingDataSettings
{
    /// <summary>The server's address.</summary>
    [CommandOption("--server <URL>")]
    [Description("The server's address, as it printed it: https://HOST:PORT (http:// only with --insecure). Required.")]
    public string? Server { get; init; }

    /// <summary>One device id.</summary>
    [CommandOption("--id <ID>")]
    [Description("The device to run: one of the scenario's device ids (its certificate's). Give --id or --ids.")]
    public string? Id { get; init; }

    /// <summary>Several device ids.</summary>
    [CommandOption("--ids <LIST>")]
    [Description("Several devices in this process (for load tests): comma-separated ids and ranges PREFIXa..PREFIXb, e.g. dev-0..dev-99 or dev-1,dev-3..dev-5.")]
    public string? Ids { get; init; }

    /// <summary>Certificates.</summary>
    [CommandOption("--certs <DIR>")]
    [Description("The folder 'edgelearn federation provision' wrote (each device's kit is in devices/ID), or, for one --id, its kit. Required unless --insecure.")]
    public string? Certs { get; init; }

    /// <summary>Plaintext.</summary>
    [CommandOption("--insecure")]
    [Description("Connect in plaintext to a server started with --insecure (local demos only).")]
    public bool Insecure { get; init; }

    /// <summary>Give-up time.</summary>
    [CommandOption("--retry-for <SECONDS>")]
    [Description("How long a device keeps reconnecting (with backoff) to a server it cannot reach before it exits with code 4. Default: 600.")]
    public double RetryForS { get; init; } = 600;

    /// <summary>The parsed ids; valid after <see cref="Validate"/>.</summary>
    public IReadOnlyList<string> ParsedIds { get; private set; } = [];

    /// <summary>The parsed server address; valid after <see cref="Validate"/>.</summary>
    public Uri? ServerUri { get; private set; }

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        var lines = new List<string>();
        var baseResult = base.Validate();
        if (!baseResult.Successful)
        {
            lines.Add(baseResult.Message ?? "The settings are invalid.");
        }

        if (Server is null)
        {
            lines.Add("--server is missing; it must be the address the server printed, e.g. https://127.0.0.1:50051.");
        }
        else if (!Uri.TryCreate(Server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.AbsolutePath != "/")
        {
            lines.Add($"--server is '{Server}'; it must be https://HOST:PORT (or http://HOST:PORT with --insecure).");
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && !Insecure)
        {
            lines.Add($"--server is '{Server}', plaintext; connect with https:// and --certs, or give --insecure for a local demo.");
        }
        else if (uri.Scheme == Uri.UriSchemeHttps && Insecure)
        {
            lines.Add($"--server is '{Server}' and --insecure was given; a plaintext device needs an http:// address.");
        }
        else
        {
            ServerUri = uri;
        }

        if ((Id is null) == (Ids is null))
        {
            lines.Add("--id and --ids: give exactly one (--id dev-3, or --ids dev-0..dev-9).");
        }
        else
        {
            ParsedIds = Id is not null ? [Id] : ParseIds(Ids!, lines);
            if (baseResult.Successful)
            {
                var known = Scenario.Devices.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
                foreach (string id in ParsedIds.Where(i => !known.Contains(i)).Take(3))
                {
                    lines.Add($"{(Id is null ? "--ids" : "--id")} names '{id}'; it must be a device id of the scenario ({string.Join(", ", Scenario.Devices.Select(d => d.Id).Take(5))}{(Scenario.Devices.Count > 5 ? ", …" : "")}).");
                }
            }
        }

        if (Certs is null && !Insecure)
        {
            lines.Add("--certs is missing; it must name the folder 'edgelearn federation provision' wrote, or give --insecure for a plaintext local demo.");
        }
        else if (Certs is not null && Insecure)
        {
            lines.Add("--certs and --insecure were both given; give one.");
        }

        if (!(RetryForS > 0 && RetryForS <= 86_400))
        {
            lines.Add(FormattableString.Invariant($"--retry-for is {RetryForS}; it must be more than 0 and at most 86400 seconds."));
        }

        return lines.Count > 0 ? ValidationResult.Error(string.Join("\n", lines)) : ValidationResult.Success();
    }

    /// <summary>Ids and ranges PREFIXa..PREFIXb (same prefix, a ≤ b), comma-separated; each id once.</summary>
    internal static IReadOnlyList<string> ParseIds(string value, List<string> lines)
    {
        var ids = new List<string>();
        foreach (string part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            int dots = part.IndexOf("..", StringComparison.Ordinal);
            if (dots < 0)
            {
                ids.Add(part);
                continue;
            }

            var from = Numbered().Match(part[..dots]);
            var to = Numbered().Match(part[(dots + 2)..]);
            if (!from.Success || !to.Success || from.Groups[1].Value != to.Groups[1].Value
                || !int.TryParse(from.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int a)
                || !int.TryParse(to.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int b) || a > b || b - a >= 100_000)
            {
                lines.Add($"--ids is '{value}'; '{part}' must be a range PREFIXa..PREFIXb with the same prefix and a ≤ b (e.g. dev-0..dev-99).");
                return [];
            }

            for (int i = a; i <= b; i++)
            {
                ids.Add(from.Groups[1].Value + i.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (ids.Any(string.IsNullOrEmpty) || ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
        {
            lines.Add($"--ids is '{value}'; every id must be non-empty and appear once.");
            return [];
        }

        return ids;
    }

    [GeneratedRegex(@"^(.*?)(\d+)$")]
    private static partial Regex Numbered();
}

/// <summary>
/// <c>edgelearn device</c>: runs one or more device agents of a real federation. Each builds the run's data with the
/// same options and seed as the server (and <c>train</c>), keeps its own shard, registers with the server over mutual
/// TLS, computes its planned-batch gradient at every round's model and uploads it, reconnecting with backoff when the
/// server goes away, and exits 0 when the server says the plan is done (4 when it gave up reaching it, 2 when refused).
/// </summary>
internal sealed class DeviceCommand(CliOutput output) : Command<DeviceSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, DeviceSettings settings, CancellationToken cancellationToken)
    {
        output.Warn(settings.Warnings);
        var scenario = settings.Scenario;
        var options = settings.ModelOptions;
        Func<string, CertificateKit>? kits = null;
        if (settings.Certs is { } certs)
        {
            var loaded = new Dictionary<string, CertificateKit>(StringComparer.Ordinal);
            foreach (string id in settings.ParsedIds)
            {
                try
                {
                    loaded[id] = CertificateKit.Device(certs, id);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
                {
                    throw new UserInputException($"--certs is '{certs}'; {e.Message}");
                }
            }

            kits = id => loaded[id];
        }
        else
        {
            output.Warn("warning: --insecure: connecting in plaintext without certificates; use it for local demos only.");
        }

        var (workers, identity, dataset) = Shards(settings, options);
        string who = settings.ParsedIds.Count == 1 ? settings.ParsedIds[0] : $"{settings.ParsedIds.Count} devices ({settings.ParsedIds[0]} … {settings.ParsedIds[^1]})";
        output.Status($"Device agent for {who}: {dataset}, {workers.Sum(w => w.ShardSize)} task images, seed {options.Seed}, server {settings.ServerUri}.");
        var agent = new DeviceAgent(scenario, workers, identity, new DeviceAgentOptions
        {
            Server = settings.ServerUri!,
            Certificates = kits,
            RetryFor = TimeSpan.FromSeconds(settings.RetryForS),
            ComputeThreads = options.Parallelism,
            Log = line => output.Status(line),
        });
        // Gradients compute on pool threads (ComputeThreads at once); a few more keep the devices' network I/O moving
        // meanwhile instead of waiting for the pool to grow.
        ThreadPool.GetMinThreads(out int poolThreads, out int io);
        ThreadPool.SetMinThreads(Math.Max(poolThreads, options.Parallelism + 4), io);
        int code = agent.RunAsync(cancellationToken).GetAwaiter().GetResult();
        return code switch
        {
            0 => ExitCodes.Ok,
            2 => ExitCodes.BadInput,
            _ => ExitCodes.Unreachable,
        };
    }

    /// <summary>Builds the run's data as <c>train</c> does, hashes it for the registration, and keeps only the hosted
    /// devices' shards: the rest (general data, other devices, test set) is garbage once this returns.</summary>
    private static (IReadOnlyList<DeviceWorker> Workers, RunIdentity Identity, string Dataset) Shards(DeviceSettings settings, TrainingOptions options)
    {
        var scenario = settings.Scenario;
        var data = TrainingDataLoader.Load(settings, scenario, options.Seed);
        var identity = FederatedRun.Identity(scenario, data, TwoStageTrainer.ModelParameters(data, options), options.Seed);
        var index = scenario.Devices.Select((d, k) => (d.Id, k)).ToDictionary(p => p.Id, p => p.k, StringComparer.Ordinal);
        var workers = settings.ParsedIds.Select(id => DeviceWorker.Create(scenario, data, index[id], 1, options)).ToArray();
        return (workers, identity, data.Source.Config.BaseDataset);
    }
}
