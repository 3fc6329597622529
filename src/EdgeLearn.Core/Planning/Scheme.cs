namespace EdgeLearn.Planning;

/// <summary>The resource-management schemes of <c>docs/model.md</c> §6; what each one fixes is its <see cref="SchemeDefinition"/>.</summary>
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

    /// <summary>N = 1: a single FedSGD round; pre-training gets everything that round leaves.</summary>
    PretrainOnly,
}

/// <summary>
/// What a scheme fixes and what it leaves to the optimizer. The planner, the solver, the CLI's lists and the tests read
/// schemes only through these descriptions, so a new baseline is one more entry in <see cref="SchemeNames.Definitions"/>.
/// </summary>
/// <param name="Scheme">The scheme.</param>
/// <param name="Name">Its name on the command line and in JSON, kebab-case.</param>
/// <param name="Summary">One line for tables and help: what is fixed.</param>
/// <param name="Pretraining">Whether pre-training rounds (M ≥ 1) are allowed.</param>
/// <param name="FinetuneRounds">A fixed number of fine-tuning rounds N, or null to optimize N.</param>
/// <param name="FixedBatch">A batch every stage must use (B0 = bk = min(this, the batch limit)), or null to optimize batches.</param>
/// <param name="FullSpeedAndPower">Whether frequencies and powers are fixed at their maxima (no frequency or power control).</param>
/// <param name="PretrainShare">When set, the stages cannot trade budget: pre-training gets this share of Tmax and Emax and
/// fine-tuning the rest; null lets the stages share both budgets.</param>
public sealed record SchemeDefinition(
    Scheme Scheme,
    string Name,
    string Summary,
    bool Pretraining = true,
    int? FinetuneRounds = null,
    int? FixedBatch = null,
    bool FullSpeedAndPower = false,
    double? PretrainShare = null);

/// <summary>The registry of schemes and their names as they appear on the command line and in JSON.</summary>
public static class SchemeNames
{
    /// <summary>Every scheme's description, joint first (the order of <c>compare</c>).</summary>
    public static IReadOnlyList<SchemeDefinition> Definitions { get; } =
    [
        new(Scheme.Joint, "joint", "nothing fixed: rounds, batches, frequencies and powers optimized jointly"),
        new(Scheme.FinetuneOnly, "finetune-only", "M = 0: learning from scratch by federated fine-tuning", Pretraining: false),
        new(Scheme.Separate, "separate", "each stage confined to half of Tmax and half of Emax", PretrainShare: 0.5),
        new(Scheme.FixedBatch, "fixed-batch", "B0 = bk = 32 (or the batch limit if smaller)", FixedBatch: 32),
        new(Scheme.MaxResource, "max-resource", "f = fmax, p = Pmax: no frequency or power control", FullSpeedAndPower: true),
        new(Scheme.PretrainOnly, "pretrain-only", "N = 1: one FedSGD round; pre-training spends what it leaves", FinetuneRounds: 1),
    ];

    /// <summary>All schemes, joint first.</summary>
    public static IReadOnlyList<Scheme> All { get; } = Definitions.Select(d => d.Scheme).ToArray();

    /// <summary>The description of a scheme.</summary>
    /// <param name="scheme">The scheme.</param>
    /// <returns>What it fixes.</returns>
    public static SchemeDefinition Definition(this Scheme scheme) =>
        Definitions.FirstOrDefault(d => d.Scheme == scheme) ?? throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "not a registered scheme");

    /// <summary>The kebab-case name, e.g. <c>finetune-only</c>.</summary>
    /// <param name="scheme">The scheme.</param>
    public static string ToName(this Scheme scheme) => scheme.Definition().Name;

    /// <summary>Parses a kebab-case scheme name.</summary>
    /// <param name="name">The name, case-insensitive.</param>
    /// <param name="scheme">The scheme when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? name, out Scheme scheme)
    {
        foreach (var d in Definitions)
        {
            if (string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                scheme = d.Scheme;
                return true;
            }
        }

        scheme = default;
        return false;
    }

    /// <summary>The list of valid names, for error messages.</summary>
    public static string Valid => string.Join(", ", Definitions.Select(d => d.Name));
}
