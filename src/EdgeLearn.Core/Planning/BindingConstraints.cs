namespace EdgeLearn.Planning;

/// <summary>
/// Which constraints of a re-checked plan bind (have no slack left), in the words every front end uses:
/// "energy budget binds", "devices[*].frequencyHz at max on 10 of 10 devices".
/// </summary>
public static class BindingConstraints
{
    /// <summary>Relative slack (of the limit) within which a satisfied constraint counts as binding.</summary>
    public const double Tolerance = 1e-6;

    /// <summary>Binding constraints named before the list is cut short.</summary>
    public const int MaxNames = 12;

    /// <summary>Binding device constraints of one field named one by one before they are summarized as a count.</summary>
    public const int MaxDevicesNamed = 3;

    /// <summary>Whether a satisfied constraint has (relatively) no slack left.</summary>
    /// <param name="c">The constraint.</param>
    /// <returns>True when it holds with a slack of at most <see cref="Tolerance"/> of its size.</returns>
    public static bool Binds(ConstraintCheck c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Satisfied && Math.Abs(c.Slack) <= Tolerance * Math.Max(Math.Abs(c.Limit), Math.Abs(c.Value));
    }

    /// <summary>Whether the named budget (<c>budget.energyJ</c> or <c>budget.delayS</c>) binds.</summary>
    /// <param name="evaluation">The re-checked plan.</param>
    /// <param name="name">The constraint's name.</param>
    /// <returns>True when the constraint exists and binds.</returns>
    public static bool Binds(PlanEvaluation evaluation, string name)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return evaluation.Constraints.Any(c => c.Name == name && Binds(c));
    }

    /// <summary>"delay budget binds", "energy budget binds", "devices[3].powerW at max", "pretrainRounds at max".</summary>
    /// <param name="c">A binding constraint.</param>
    /// <returns>Its name in words.</returns>
    public static string Name(ConstraintCheck c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Name switch
        {
            "budget.delayS" => "delay budget binds",
            "budget.energyJ" => "energy budget binds",
            _ when c.Relation == "≤" => $"{c.Name} at max",
            _ => $"{c.Name} at min",
        };
    }

    /// <summary>
    /// The binding constraints in evaluation order, named. A device field that binds on more than
    /// <see cref="MaxDevicesNamed"/> devices is summarized ("devices[*].frequencyHz at max on 10 of 10 devices").
    /// </summary>
    /// <param name="evaluation">The re-checked plan.</param>
    /// <returns>The names, every one of them (empty when every constraint has slack).</returns>
    public static IReadOnlyList<string> Names(PlanEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var names = new List<string>();
        foreach (var group in evaluation.Constraints.Where(Binds).GroupBy(c => DeviceField(c.Name) is { } field ? $"{field} {c.Relation}" : c.Name))
        {
            var members = group.ToList();
            if (DeviceField(members[0].Name) is { } field && members.Count > MaxDevicesNamed)
            {
                names.Add($"{Name(members[0] with { Name = "devices[*]." + field })} on {members.Count} of {evaluation.Devices.Count} devices");
            }
            else
            {
                names.AddRange(members.Select(Name));
            }
        }

        return names;
    }

    /// <summary>The binding constraints as one line: <see cref="Names"/> cut to <see cref="MaxNames"/> entries with a
    /// count of the rest, or "none (every constraint has slack)".</summary>
    /// <param name="evaluation">The re-checked plan.</param>
    /// <returns>The line.</returns>
    public static string Summary(PlanEvaluation evaluation)
    {
        var names = Names(evaluation);
        if (names.Count == 0)
        {
            return "none (every constraint has slack)";
        }

        var shown = string.Join(", ", names.Take(MaxNames));
        return names.Count > MaxNames ? $"{shown} and {names.Count - MaxNames} more" : shown;
    }

    /// <summary>"powerW" for "devices[3].powerW"; null for constraints that are not per device.</summary>
    private static string? DeviceField(string name)
    {
        if (!name.StartsWith("devices[", StringComparison.Ordinal))
        {
            return null;
        }

        var dot = name.IndexOf("].", StringComparison.Ordinal);
        return dot < 0 ? null : name[(dot + 2)..];
    }
}
