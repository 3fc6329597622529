using System.Collections.Frozen;
using System.Reflection;
using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Infrastructure;

/// <summary>
/// Finds an option that takes a value but was given none (<c>plan --scheme</c> at the end of the line, or followed by
/// another option). The parser would otherwise take an internal name or the next option as its value.
/// </summary>
internal static partial class OptionValues
{
    /// <summary>Every option name of the CLI that takes a value, with its value name: "--scheme" → "NAME".</summary>
    private static readonly FrozenDictionary<string, string> ValueOptions = Collect();

    /// <summary>"--scheme needs a value (--scheme NAME)." for the first option without its value; null when every
    /// option has one. Arguments after <c>--</c> are not looked at.</summary>
    /// <param name="args">The command line, without <c>--quiet</c>.</param>
    public static string? FindMissing(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count && args[i] != "--"; i++)
        {
            if (ValueOptions.TryGetValue(args[i], out var valueName) && (i == args.Count - 1 || LooksLikeOption(args[i + 1])))
            {
                return $"{args[i]} needs a value ({args[i]} {valueName}); run the command with --help for its options.";
            }
        }

        return null;
    }

    /// <summary>"--json", "-h": an option; "-30", "-0.5": a negative number, which is a value.</summary>
    private static bool LooksLikeOption(string arg) => OptionName().IsMatch(arg);

    private static FrozenDictionary<string, string> Collect()
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var properties = typeof(OptionValues).Assembly.GetTypes()
            .Where(t => typeof(CommandSettings).IsAssignableFrom(t))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance));
        foreach (var property in properties)
        {
            if (property.GetCustomAttribute<CommandOptionAttribute>() is { ValueName: { } value, ValueIsOptional: false } option)
            {
                foreach (var name in option.LongNames)
                {
                    options["--" + name] = value;
                }

                foreach (var name in option.ShortNames)
                {
                    options["-" + name] = value;
                }
            }
        }

        return options.ToFrozenDictionary(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^(--?[A-Za-z?])")]
    private static partial Regex OptionName();
}
