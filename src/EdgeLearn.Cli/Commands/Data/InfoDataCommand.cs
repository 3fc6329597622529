using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Data.Cache;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Data;

/// <summary><c>edgelearn data info [--cache DIR]</c>: one row per whole cached dataset; unreadable, truncated or corrupt
/// cache files (length and checksum checked) are reported on stderr instead of listed.</summary>
internal sealed class InfoDataCommand(CliOutput output) : Command<DataCacheSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, DataCacheSettings settings, CancellationToken cancellationToken)
    {
        string directory = settings.CacheDirectory;
        IReadOnlyList<CacheEntry> entries = DatasetCache.List(directory, out IReadOnlyList<string> problems, verify: true);
        output.Warn(problems);

        if (entries.Count == 0 && problems.Count == 0)
        {
            output.Console.MarkupLineInterpolated($"No datasets cached in {directory}. Run 'edgelearn data fetch mnist' (or fashion).");
            return ExitCodes.Ok;
        }

        if (entries.Count == 0)
        {
            return ExitCodes.Ok;
        }

        var table = new Table().Title($"Datasets cached in {Markup.Escape(directory)}");
        table.AddColumns("Name", "Images", "Train", "Test", "Shape", "Classes", "Size on disk");
        foreach (CacheEntry e in entries)
        {
            table.AddRow(
                Markup.Escape(e.Name), $"{e.Count:N0}", $"{e.TrainCount:N0}", $"{e.TestCount:N0}",
                $"{e.Width}x{e.Height}x{e.Channels}", $"{e.ClassCount}", $"{e.SizeBytes / 1e6:F1} MB");
        }

        output.Console.Write(table);
        return ExitCodes.Ok;
    }
}
