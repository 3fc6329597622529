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
    private readonly CommandApp _app;
    private readonly CliOutput _output;

    private EdgeLearnApp(CommandApp app, CliOutput output)
    {
        _app = app;
        _output = output;
    }

    /// <summary>Creates the app with every command registered.</summary>
    /// <param name="console">Console for stdout (tables, JSON); the process console when <c>null</c>.</param>
    /// <param name="error">Writer for stderr messages; <see cref="Console.Error"/> when <c>null</c>.</param>
    /// <returns>The app; call <see cref="Run"/>.</returns>
    public static EdgeLearnApp Create(IAnsiConsole? console = null, TextWriter? error = null)
    {
        var output = new CliOutput(console ?? AnsiConsole.Console, error ?? System.Console.Error);
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("edgelearn");
            config.ConfigureConsole(output.Console);
            config.UseStrictParsing();
            config.PropagateExceptions();
            config.Settings.Registrar.RegisterInstance(output);
            RegisterCommands(config);
        });
        return new EdgeLearnApp(app, output);
    }

    /// <summary>Parses <paramref name="args"/>, runs the command and returns its exit code.</summary>
    /// <param name="args">Command-line arguments, without the program name.</param>
    /// <returns>
    /// <see cref="ExitCodes.Ok"/>; <see cref="ExitCodes.BadInput"/> for a parse error, unknown command or option,
    /// bad option value, a settings <c>Validate()</c> failure (e.g. an invalid scenario, every error on its own line)
    /// or a missing sub-command (help is shown); the code of a <see cref="UserInputException"/>; or
    /// <see cref="ExitCodes.InternalError"/> for a bug.
    /// </returns>
    public int Run(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            var exitCode = _app.Run(args);

            // Commands return ExitCodes values and throw for failures, so a 1 here is Spectre
            // showing help for an incomplete command line such as "edgelearn scenario".
            return exitCode == ExitCodes.InternalError ? ExitCodes.BadInput : exitCode;
        }
        catch (Exception exception)
        {
            return ErrorReporter.Report(exception, args, _output.Error);
        }
    }

    /// <summary>The command tree; each area registers itself with one line.</summary>
    private static void RegisterCommands(IConfigurator config)
    {
        PlanningCommands.Register(config); // plan | compare | evaluate (root level)
        ScenarioCommands.Register(config); // scenario generate | show | validate
        Commands.Data.DataCommands.Register(config); // data fetch | info | shift
        Commands.Training.TrainingCommands.Register(config); // train
    }
}
