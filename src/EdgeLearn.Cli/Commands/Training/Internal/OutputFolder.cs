using EdgeLearn.Cli.Infrastructure;

namespace EdgeLearn.Cli.Commands.Training.Internal;

/// <summary>
/// The --out folder of a long command, which appears whole or not at all: files are written into a hidden temporary
/// folder beside the target, and <see cref="Commit"/> renames it to the target. A target that already exists must be
/// empty, or an earlier run's output (its <c>summary.json</c> is EdgeLearn's and it holds only files a run writes) when <c>--force</c> asks to replace it; anything
/// else is refused up front, so no folder of the user's is ever deleted. While a run writes, it holds a lock file
/// beside the target, so a second run into the same folder is refused instead of interleaving with it. Disposing an
/// uncommitted folder deletes what was written (on an error or an interruption).
/// The folder is the unit that appears atomically, so the files inside it are written directly (no per-file
/// <see cref="AtomicFile"/> rename), in the same encoding and JSON settings as every other file of the CLI.
/// </summary>
internal sealed class OutputFolder : IDisposable
{    /// <summary>The files a train run writes into its folder (besides model-*.bin and seed-N/).</summary>
    private static readonly HashSet<string> RunFiles =
        ["summary.json", "summary.csv", "rounds.csv", "rounds.json", "plan.json", "ranking.json", "training.png", "accuracy-energy.png", "federation.json"];

    private readonly OutputFolder? _root;
    private readonly FileStream? _lock;
    private bool _committed;

    private OutputFolder(string target, string work, OutputFolder? root, FileStream? writeLock)
    {
        Path = target;
        WorkPath = work;
        _root = root;
        _lock = writeLock;
    }

    /// <summary>Full path of the folder once committed.</summary>
    public string Path { get; }

    /// <summary>Full path of the folder being written.</summary>
    public string WorkPath { get; }

    /// <summary>Checks that the target's parent can be created, takes the target's write lock and starts a temporary
    /// folder beside it.</summary>
    /// <param name="path">The --out folder.</param>
    /// <param name="force">Replace an earlier run's output folder (one that holds summary.json).</param>
    /// <exception cref="UserInputException">The folder cannot be used (exit code 2).</exception>
    public static OutputFolder Create(string path, bool force = false)
    {
        FileStream? writeLock = null;
        try
        {
            string target = System.IO.Path.GetFullPath(path).TrimEnd(System.IO.Path.DirectorySeparatorChar);
            string parent = System.IO.Path.GetDirectoryName(target) ?? throw new IOException("it has no parent folder");
            if (System.IO.File.Exists(target))
            {
                throw new IOException("a file of that name exists");
            }

            if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            {
                if (WhyNotEarlierOutput(target) is { } why)
                {
                    throw new IOException($"it exists and is not an earlier EdgeLearn output folder ({why}), so it is not replaced; name a new or empty folder");
                }

                if (!force)
                {
                    throw new IOException("it holds an earlier run's output; add --force to replace it, or name a new or empty folder");
                }
            }

            Directory.CreateDirectory(parent);
            writeLock = TakeLock(System.IO.Path.Combine(parent, $".{System.IO.Path.GetFileName(target)}.lock"));
            DeleteStale(parent, System.IO.Path.GetFileName(target));
            string work = System.IO.Path.Combine(parent, $".{System.IO.Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
            Directory.CreateDirectory(work);
            return new OutputFolder(target, work, null, writeLock);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            writeLock?.Dispose();
            throw new UserInputException($"--out is '{path}'; it must be a folder that can be created and written ({e.Message.TrimEnd('.')}).");
        }
    }

    /// <summary>Opens the lock file exclusively (released, and deleted, when the run ends, even if it crashes).</summary>
    private static FileStream TakeLock(string lockPath)
    {
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            throw new IOException("another edgelearn run is writing to it now; wait for it to end or name another folder");
        }
    }

    /// <summary>Deletes the <c>.NAME.*.tmp</c> and <c>.NAME.*.old</c> folders that a killed run (SIGKILL, power loss) left
    /// beside the target; called with the target's lock held, so no other run is writing them.</summary>
    private static void DeleteStale(string parent, string name)
    {
        foreach (string stale in Directory.EnumerateDirectories(parent, $".{name}.*"))
        {
            string leaf = System.IO.Path.GetFileName(stale);
            string middle = leaf.Length > name.Length + 6 ? leaf[(name.Length + 2)..^4] : "";
            bool ours = (leaf.EndsWith(".tmp", StringComparison.Ordinal) || leaf.EndsWith(".old", StringComparison.Ordinal))
                && middle.Length == 32 && middle.All(char.IsAsciiHexDigitLower);
            if (ours && new DirectoryInfo(stale).LinkTarget is null)
            {
                Directory.Delete(stale, recursive: true);
            }
        }
    }

    /// <summary>A sub-folder, written and committed with this one.</summary>
    public OutputFolder Sub(string name)
    {
        string work = System.IO.Path.Combine(WorkPath, name);
        Directory.CreateDirectory(work);
        return new OutputFolder(System.IO.Path.Combine(Path, name), work, _root ?? this, null);
    }

    /// <summary>Writes text (UTF-8, no byte-order mark).</summary>
    public void WriteText(string name, string contents) => System.IO.File.WriteAllText(File(name), contents, AtomicFile.Utf8);

    /// <summary>Serializes with the CLI's JSON options (<see cref="CliJson.FileText"/>) and writes.</summary>
    public void WriteJson<T>(string name, T value) => WriteText(name, CliJson.FileText(value));

    /// <summary>Writes bytes.</summary>
    public void WriteBytes(string name, byte[] contents) => System.IO.File.WriteAllBytes(File(name), contents);

    /// <summary>Moves the finished folder to <see cref="Path"/>, replacing a folder already there.</summary>
    /// <exception cref="InvalidOperationException">Called on a sub-folder.</exception>
    public void Commit()
    {
        if (_root is not null)
        {
            throw new InvalidOperationException("Commit the root folder; sub-folders move with it.");
        }

        MoveInto(WorkPath, Path);
        _committed = true;
    }

    /// <summary>Renames the folder <paramref name="work"/> to <paramref name="target"/>, replacing a folder there: the
    /// earlier one is moved aside first, so a failure leaves either the old or the new one in place, never neither.</summary>
    /// <param name="work">The finished folder.</param>
    /// <param name="target">Where it belongs.</param>
    public static void MoveInto(string work, string target)
    {
        string? previous = null;
        if (Directory.Exists(target))
        {
            previous = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(target)!, $".{System.IO.Path.GetFileName(target)}.{Guid.NewGuid():N}.old");
            Directory.Move(target, previous);
        }

        try
        {
            Directory.Move(work, target);
        }
        catch (Exception) when (previous is not null)
        {
            Directory.Move(previous, target);
            throw;
        }

        if (previous is not null)
        {
            Directory.Delete(previous, recursive: true);
        }
    }

    /// <summary>Deletes the temporary folder unless it was committed, and releases the write lock.</summary>
    public void Dispose()
    {
        if (_root is null && !_committed && Directory.Exists(WorkPath))
        {
            Directory.Delete(WorkPath, recursive: true);
        }

        _lock?.Dispose();
    }

    private string File(string name) => System.IO.Path.Combine(WorkPath, name);

    /// <summary>Why a folder is not the output of an earlier train run; null when it is. It is one when its
    /// summary.json parses and carries EdgeLearn's marks (<see cref="IsEdgeLearnSummary"/>) and every entry in it
    /// (and in its seed-N sub-folders) is a name a run writes, so that --force can never delete a file of the user's.</summary>
    private static string? WhyNotEarlierOutput(string folder)
    {
        string summary = System.IO.Path.Combine(folder, "summary.json");
        if (!System.IO.File.Exists(summary))
        {
            return "no summary.json";
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllBytes(summary));
            if (!IsEdgeLearnSummary(document.RootElement))
            {
                return "its summary.json is not an EdgeLearn summary";
            }
        }
        catch (System.Text.Json.JsonException)
        {
            return "its summary.json is not JSON";
        }

        return ForeignEntry(folder, allowSeedFolders: true) is { } foreign ? $"it holds '{foreign}', which no run writes" : null;
    }

    /// <summary>A summary object (or an array of them) with <c>provenance.tool</c> "edgelearn", or, from older versions,
    /// the contract fields scheme, pretrainRounds and seed (or seeds), or a diverged run's <c>"diverged": true</c> and scheme.</summary>
    private static bool IsEdgeLearnSummary(System.Text.Json.JsonElement root)
    {
        if (root.ValueKind == System.Text.Json.JsonValueKind.Array)
        {
            return root.GetArrayLength() > 0 && root.EnumerateArray().All(IsEdgeLearnSummary);
        }

        if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return false;
        }

        if (root.TryGetProperty("provenance", out var provenance) && provenance.ValueKind == System.Text.Json.JsonValueKind.Object
            && provenance.TryGetProperty("tool", out var tool) && tool.ValueKind == System.Text.Json.JsonValueKind.String && tool.GetString() == "edgelearn")
        {
            return true;
        }

        bool hasScheme = root.TryGetProperty("scheme", out var scheme) && scheme.ValueKind == System.Text.Json.JsonValueKind.String;
        bool diverged = root.TryGetProperty("diverged", out var flag) && flag.ValueKind == System.Text.Json.JsonValueKind.True;
        return hasScheme && (diverged
            || (root.TryGetProperty("pretrainRounds", out _) && (root.TryGetProperty("seed", out _) || root.TryGetProperty("seeds", out _))));
    }

    /// <summary>The first entry of <paramref name="folder"/> that no run writes; null when there is none.</summary>
    private static string? ForeignEntry(string folder, bool allowSeedFolders)
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(folder))
        {
            string name = System.IO.Path.GetFileName(entry);
            bool isLink = new FileInfo(entry).LinkTarget is not null;
            if (!isLink && Directory.Exists(entry))
            {
                if (!allowSeedFolders || !IsSeedFolder(name))
                {
                    return name + System.IO.Path.DirectorySeparatorChar;
                }

                if (ForeignEntry(entry, allowSeedFolders: false) is { } inner)
                {
                    return System.IO.Path.Combine(name, inner);
                }
            }
            else if (isLink || (!RunFiles.Contains(name) && !(name.StartsWith("model-", StringComparison.Ordinal) && name.EndsWith(".bin", StringComparison.Ordinal))))
            {
                return name;
            }
        }

        return null;
    }

    private static bool IsSeedFolder(string name) =>
        name.StartsWith("seed-", StringComparison.Ordinal) && name.Length > 5 && name[5..].TrimStart('-').All(char.IsAsciiDigit) && name[5..].TrimStart('-').Length > 0;
}
