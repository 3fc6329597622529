using System.Reflection;
using EdgeLearn.Cli.Commands.Planning;
using EdgeLearn.Cli.Commands.Scenarios;
using EdgeLearn.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli;

/// <summary>
/// The <c>edgelearn</c> command-line app: <c>Program</c> runs it on the process console, tests run it
/// in-process on a captured console. Every failure ends as one-line messages on stderr and an
/// <see cref="ExitCodes"/> value, never a stack trace.
/// </summary>
public sealed class EdgeLearnApp
{
    /// <summary>The branches of the command tree, which need a sub-command.</summary>
    private static readonly string[] Branches = [ScenarioCommands.Name, Commands.Data.DataCommands.Name, Commands.Federation.FederationCommands.Name];

    private readonly IAnsiConsole _console;
    private readonly TextWriter _error;
    private readonly IAnsiConsole _errorConsole;

    private EdgeLearnApp(IAnsiConsole console, TextWriter error, IAnsiConsole errorConsole)
    {
        _console = console;
        _error = error;
        _errorConsole = errorConsole;
    }

    /// <summary>The tool's version: the informational version of this assembly (the package version of Directory.Build.props).</summary>
    public static string Version { get; } =
        typeof(EdgeLearnApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(EdgeLearnApp).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Creates the app with every command registered.</summary>
    /// <param name="console">Console for stdout (tables, JSON); the process console when <c>null</c>.</param>
    /// <param name="error">Writer for stderr messages; <see cref="Console.Error"/> when <c>null</c>.</param>
    /// <param name="errorConsole">Console on stderr for progress bars and help that is an error; when <c>null</c>, a
    /// console on <paramref name="error"/> (the process's stderr console when that is null too).</param>
    /// <returns>The app; call <see cref="Run(IReadOnlyList{string})"/>.</returns>
    public static EdgeLearnApp Create(IAnsiConsole? console = null, TextWriter? error = null, IAnsiConsole? errorConsole = null)
    {
        var errorWriter = error ?? System.Console.Error;
        errorConsole ??= error is null
            ? AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(System.Console.Error),
                // Progress belongs to stderr: a terminal there shows it even when stdout goes to a file or a pipe.
                Interactive = System.Console.IsErrorRedirected ? InteractionSupport.No : InteractionSupport.Yes,
            })
            : AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(error),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
        return new EdgeLearnApp(console ?? AnsiConsole.Console, errorWriter, errorConsole);
    }

    /// <summary>Parses <paramref name="args"/>, runs the command and returns its exit code.</summary>
    /// <param name="args">Command-line arguments, without the program name. <c>--quiet</c> (<c>-q</c>) may stand anywhere.</param>
    /// <returns>
    /// <see cref="ExitCodes.Ok"/>; <see cref="ExitCodes.BadInput"/> for a parse error, unknown command or option, an
    /// option without its value, bad option value, a settings <c>Validate()</c> failure (e.g. an invalid scenario, every
    /// error on its own line) or a missing sub-command (its help is shown on stderr); the code of a
    /// <see cref="UserInputException"/>; or <see cref="ExitCodes.InternalError"/> for a bug.
    /// </returns>
    public int Run(IReadOnlyList<string> args) => Run(args, null);

    /// <summary>Runs the command as <see cref="Run(IReadOnlyList{string})"/> does, observing <paramref name="interruption"/>:
    /// an interrupted command stops at its next round boundary, leaves no temporary files and no output, prints one
    /// line and returns <see cref="ExitCodes.Interrupted"/> (SIGINT) or <see cref="ExitCodes.Terminated"/> (SIGTERM).</summary>
    /// <param name="args">Command-line arguments, without the program name.</param>
    /// <param name="interruption">The signal listener (<see cref="Interruption.Listen"/>), or null.</param>
    /// <returns>The exit code.</returns>
    public int Run(IReadOnlyList<string> args, Interruption? interruption)
    {
        ArgumentNullException.ThrowIfNull(args);
        var (rest, quiet) = QuietOption.Strip(args);
        var output = new CliOutput(_console, _error, _errorConsole, quiet) { Arguments = [.. args] };
        try
        {
            if (rest.ToList().IndexOf("--") is int dashes and >= 0)
            {
                throw new UserInputException($"Arguments after '--' are not used: '{string.Join(" ", rest.Skip(dashes + 1))}'; remove the '--' (edgelearn takes no arguments after it).");
            }

            if (OptionValues.FindMissing(rest) is { } missing)
            {
                throw new UserInputException(missing);
            }

            if (rest.Count == 1 && Branches.Contains(rest[0], StringComparer.Ordinal))
            {
                // "edgelearn scenario" is an incomplete command line: its help goes to stderr, like any error.
                Build(output, _errorConsole).Run([rest[0], "--help"]);
                return ExitCodes.BadInput;
            }

            var exitCode = Build(output, output.Console).Run(rest, interruption?.Token ?? CancellationToken.None);

            // Commands return ExitCodes values and throw for failures, so a 1 here is Spectre
            // showing help for an incomplete command line.
            return exitCode == ExitCodes.InternalError ? ExitCodes.BadInput : exitCode;
        }
        catch (Exception exception) when (interruption?.Signal is { } signal && IsCancellation(exception))
        {
            string where = exception is OperationCanceledException { Message.Length: > 0 } stopped && stopped.Message.StartsWith("at ", StringComparison.Ordinal)
                ? " " + stopped.Message
                : "";
            _error.WriteLine((exception as ResultsKeptException ?? exception.InnerException as ResultsKeptException) is { } kept
                ? $"Interrupted by {signal}; {kept.Message}"
                : $"Interrupted by {signal}{where}; nothing was written and temporary files were removed.");
            _error.Flush();
            return interruption.ExitCode;
        }
        catch (Exception exception)
        {
            return ErrorReporter.Report(exception, rest, _error);
        }
    }

    /// <summary>Whether the command ended because it was cancelled (Spectre may wrap the exception).</summary>
    private static bool IsCancellation(Exception exception) =>
        exception is OperationCanceledException || exception.InnerException is OperationCanceledException;

    private static CommandApp Build(CliOutput output, IAnsiConsole console)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("edgelearn");
            config.SetApplicationVersion(Version);
            config.ConfigureConsole(console);
            config.UseStrictParsing();
            config.PropagateExceptions();
            config.Settings.Registrar.RegisterInstance(output);
            RegisterCommands(config);
        });
        return app;
    }

    /// <summary>The command tree; each area registers itself with one line.</summary>
    private static void RegisterCommands(IConfigurator config)
    {
        PlanningCommands.Register(config); // plan | compare | evaluate (root level)
        ScenarioCommands.Register(config); // scenario generate | show | validate
        Commands.Data.DataCommands.Register(config); // data fetch | info | shift
        Commands.Training.TrainingCommands.Register(config); // calibrate | train
        Commands.Study.StudyCommands.Register(config); // study
        Commands.Federation.FederationCommands.Register(config); // federation provision
        Commands.Explore.ExploreCommands.Register(config); // explore
    }
}
