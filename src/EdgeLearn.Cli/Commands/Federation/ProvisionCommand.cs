using System.ComponentModel;
using System.Net;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Federation.Security;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Federation;

/// <summary>Settings of <c>edgelearn federation provision</c>.</summary>
internal sealed class ProvisionSettings : ScenarioSettings
{
    /// <summary>Output folder.</summary>
    [CommandOption("--out <DIR>")]
    [Description("Write one kit per party to DIR, a new or empty folder (it appears whole): authority/ (ca.crt, ca.key: keep private), server/ (ca.crt, server.crt, server.key), devices/ID/ (ca.crt, device.crt, device.key) for every device of the scenario, and manifest.json. Required.")]
    public string? Out { get; init; }

    /// <summary>Server host names.</summary>
    [CommandOption("--host <NAMES>")]
    [Description("Host names the server certificate is valid for, comma-separated (127.0.0.1 and ::1 always are). Default: localhost.")]
    public string Hosts { get; init; } = "localhost";

    /// <summary>Validity.</summary>
    [CommandOption("--days <N>")]
    [Description("Days the certificates are valid (1 to 3650). Default: 365.")]
    public int Days { get; init; } = 365;

    /// <summary>The options; valid after <see cref="Validate"/>.</summary>
    public ProvisionOptions Options { get; private set; } = new();

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        var errors = new List<string>();
        if (Out is null)
        {
            errors.Add("--out is missing; it is required (the folder the certificates are written to, e.g. --out certs).");
        }

        OutputPath.Directory("--out", Out, errors);
        var options = new ProvisionOptions
        {
            ServerHosts = [.. Hosts.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
            ServerAddresses = [IPAddress.Loopback, IPAddress.IPv6Loopback],
            ValidDays = Days,
        };
        errors.AddRange(options.Validate().Select(p => p
            .Replace("validDays", "--days", StringComparison.Ordinal)
            .Replace("serverHosts has", "--host has", StringComparison.Ordinal)));
        Options = options;
        if (errors.Count > 0)
        {
            return ValidationResult.Error(string.Join("\n", errors));
        }

        var loaded = base.Validate();
        if (!loaded.Successful)
        {
            return loaded;
        }

        var ids = Provisioning.CheckIds([.. Scenario.Devices.Select(d => d.Id)]);
        return ids.Count > 0 ? ValidationResult.Error(string.Join("\n", ids.Select(e => $"{Source}: {e}"))) : loaded;
    }
}

/// <summary>
/// <c>edgelearn federation provision --scenario FILE --out DIR</c>: creates the certificates of a federation (a CA, the
/// server's and one per device id of the scenario) for mutual TLS, in the spirit of FLARE's provisioning. The folder is
/// written beside DIR and renamed when complete; an existing non-empty DIR is never overwritten (keys are not replaced).
/// </summary>
internal sealed class ProvisionCommand(CliOutput output) : Command<ProvisionSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ProvisionSettings settings, CancellationToken cancellationToken)
    {
        output.Warn(settings.Warnings);
        var scenario = settings.Scenario;
        string target = Path.GetFullPath(settings.Out!).TrimEnd(Path.DirectorySeparatorChar);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new UserInputException($"--out is '{settings.Out}'; it is not empty, and a federation's keys are never overwritten: name a new or empty folder.");
        }

        string parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        string work = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var certificates = Provisioning.Create([.. scenario.Devices.Select(d => d.Id)], settings.Options);
            var manifest = Provisioning.Write(work, certificates, scenario.Name, settings.Options);
            if (Directory.Exists(target))
            {
                Directory.Delete(target); // empty, checked above
            }

            Directory.Move(work, target);
            output.Console.MarkupLine(Markup.Escape(FormattableString.Invariant(
                $"Provisioned a federation for scenario '{scenario.Name}': a CA, the server (valid for {string.Join(", ", manifest.ServerHosts.Concat(manifest.ServerAddresses))}) and {manifest.Devices.Count} devices, valid until {manifest.NotAfter:yyyy-MM-dd}.")));
            output.Status($"Wrote authority/ (the CA; keep ca.key away from the parties), server/, devices/ID/ (one kit per device) and manifest.json to {target}; every .key is mode 600.");
            return ExitCodes.Ok;
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }
}

/// <summary>Registers the <c>federation</c> branch (<c>provision</c>) and the <c>server</c> and <c>device</c> commands.</summary>
internal static class FederationCommands
{
    /// <summary>The branch's name.</summary>
    public const string Name = "federation";

    /// <summary>Adds the branch and the commands to the app.</summary>
    public static void Register(IConfigurator config)
    {
        config.AddBranch(Name, federation =>
        {
            federation.SetDescription("Prepare a real federation: the certificates for mutual TLS between 'edgelearn server' and 'edgelearn device'.");
            federation.AddCommand<ProvisionCommand>("provision")
                .WithDescription("Create a CA, the server's certificate and one client certificate per device id of the scenario, for mutual TLS.")
                .WithExample("federation", "provision", "--scenario", "scenario.json", "--out", "certs");
        });
        config.AddCommand<ServerCommand>("server")
            .WithDescription("Run a plan as the server of a real federation: pre-training here, then FedSGD rounds with 'edgelearn device' agents over gRPC and mutual TLS; resumable from its state file.")
            .WithExample("server", "--certs", "certs", "--state", "state.db", "--out", "runs/federated")
            .WithExample("server", "--plan", "plan.json", "--listen", "0.0.0.0:50051", "--certs", "certs", "--state", "state.db", "--round-timeout", "60");
        config.AddCommand<DeviceCommand>("device")
            .WithDescription("Run one or more device agents of a real federation: each computes its planned-batch gradient on its own shard every round and uploads it.")
            .WithExample("device", "--server", "https://127.0.0.1:50051", "--id", "dev-0", "--certs", "certs")
            .WithExample("device", "--server", "https://127.0.0.1:50051", "--ids", "dev-0..dev-9", "--certs", "certs");
    }
}
