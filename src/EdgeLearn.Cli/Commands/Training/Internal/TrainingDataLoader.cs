using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Scenarios;
using EdgeLearn.Training;

namespace EdgeLearn.Cli.Commands.Training.Internal;

/// <summary>Builds a run's data from the command line's data options (<see cref="DataSource"/>).</summary>
internal static class TrainingDataLoader
{
    /// <summary>The data source the settings describe.</summary>
    public static DataSource Source(TrainingDataSettings settings) => new()
    {
        Dataset = settings.Dataset,
        CacheDirectory = settings.Cache,
        Shift = settings.ParsedShift,
        Split = settings.ParsedSplit,
        DirichletAlpha = settings.DirichletAlpha,
        GeneralSize = settings.GeneralSize,
        TestSize = settings.TestSize,
    };

    /// <summary>Loads and builds the data.</summary>
    /// <exception cref="UserInputException">The dataset is not cached or unreadable, or the scenario asks for more images
    /// than it holds (exit code 2).</exception>
    public static TrainingData Load(TrainingDataSettings settings, Scenario scenario, int seed) =>
        Source(settings).TryLoad(scenario, seed, out TrainingData? data, out IReadOnlyList<string> errors)
            ? data!
            : throw new UserInputException([.. errors.Select(OptionNames)]);

    /// <summary>Names the data library's fields by the command line's options (generalSize is --general-size).</summary>
    private static string OptionNames(string problem) => problem
        .Replace("generalSize is", "--general-size is", StringComparison.Ordinal)
        .Replace("taskTestSize is", "--test-size is", StringComparison.Ordinal);
}
