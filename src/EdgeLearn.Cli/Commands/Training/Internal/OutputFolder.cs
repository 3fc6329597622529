using EdgeLearn.Cli.Infrastructure;

namespace EdgeLearn.Cli.Commands.Training.Internal;

/// <summary>
/// The --out folder of a long command, which appears whole or not at all: files are written into a hidden temporary
/// folder beside the target, and <see cref="Commit"/> renames it to the target. A target that already exists must be
/// empty, or an earlier run's output (it holds <c>summary.json</c>) when <c>--force</c> asks to replace it; anything
/// else is refused up front, so no folder of the user's is ever deleted. While a run writes, it holds a lock file
/// beside the target, so a second run into the same folder is refused instead of interleaving with it. Disposing an
/// uncommitted folder deletes what was written (on an error or an interruption).
/// The folder is the unit that appears atomically, so the files inside it are written directly (no per-file
/// <see cref="AtomicFile"/> rename), in the same encoding and JSON settings as every other file of the CLI.
/// </summary>
internal sealed class OutputFolder : IDisposable
{
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
                if (!IsEarlierOutput(target))
                {
                    throw new IOException("it exists and is not an earlier EdgeLearn output folder (no summary.json), so it is not replaced; name a new or empty folder");
                }

                if (!force)
                {
                    throw new IOException("it holds an earlier run's output; add --force to replace it, or name a new or empty folder");
                }
            }

            Directory.CreateDirectory(parent);
            writeLock = TakeLock(System.IO.Path.Combine(parent, $".{System.IO.Path.GetFileName(target)}.lock"));
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

        // Move an earlier run's folder aside first, so that a failure leaves either the old or the new one in place.
        string? previous = null;
        if (Directory.Exists(Path))
        {
            previous = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.old");
            Directory.Move(Path, previous);
        }

        try
        {
            Directory.Move(WorkPath, Path);
        }
        catch (Exception) when (previous is not null)
        {
            Directory.Move(previous, Path);
            throw;
        }

        _committed = true;
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

    /// <summary>Whether a folder is the output of an earlier train run (they always write summary.json).</summary>
    private static bool IsEarlierOutput(string folder) => System.IO.File.Exists(System.IO.Path.Combine(folder, "summary.json"));
}
