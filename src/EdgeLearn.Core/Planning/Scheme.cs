namespace EdgeLearn.Planning;

/// <summary>The resource-management schemes of <c>docs/model.md</c> §6.</summary>
public enum Scheme
{
    /// <summary>Everything optimized jointly (the proposed design).</summary>
    Joint,
    /// <summary>M = 0: learning from scratch by federated fine-tuning only.</summary>
    FinetuneOnly,
    /// <summary>Each stage confined to half of the delay and half of the energy budget.</summary>
    Separate,
    /// <summary>B0 = bk = 32 (or the batch limit if smaller).</summary>
    FixedBatch,
    /// <summary>f = fmax and p = Pmax: no frequency or power control.</summary>
    MaxResource,
}

/// <summary>Names of the schemes as they appear on the command line and in JSON.</summary>
public static class SchemeNames
{
    /// <summary>All schemes, joint first.</summary>
    public static IReadOnlyList<Scheme> All { get; } =
        [Scheme.Joint, Scheme.FinetuneOnly, Scheme.Separate, Scheme.FixedBatch, Scheme.MaxResource];

    /// <summary>The kebab-case name, e.g. <c>finetune-only</c>.</summary>
    /// <param name="scheme">The scheme.</param>
    public static string ToName(this Scheme scheme) => scheme switch
    {
        Scheme.Joint => "joint",
        Scheme.FinetuneOnly => "finetune-only",
        Scheme.Separate => "separate",
        Scheme.FixedBatch => "fixed-batch",
        Scheme.MaxResource => "max-resource",
        _ => throw new ArgumentOutOfRangeException(nameof(scheme)),
    };

    /// <summary>Parses a kebab-case scheme name.</summary>
    /// <param name="name">The name, case-insensitive.</param>
    /// <param name="scheme">The scheme when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? name, out Scheme scheme)
    {
        foreach (var s in All)
        {
            if (string.Equals(s.ToName(), name, StringComparison.OrdinalIgnoreCase)) { scheme = s; return true; }
        }
        scheme = default;
        return false;
    }

    /// <summary>The list of valid names, for error messages.</summary>
    public static string Valid => string.Join(", ", All.Select(s => s.ToName()));
}
