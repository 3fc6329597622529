using EdgeLearn.Cli.Infrastructure;

namespace EdgeLearn.Cli.Commands.Study;

/// <summary>
/// The output folder of <c>study</c>. Results collect in a work folder beside the target, <c>.NAME.partial</c>, one file
/// per finished cell, which an interrupted or failed study leaves in place for <c>--resume</c>; when the study ends the
/// work folder, report and figures included, is renamed to the target, so the folder appears whole or not at all. A lock
/// file beside the target keeps a second study from writing into the same place at the same time.
/// </summary>
internal sealed class StudyFolder : IDisposable
{
    private readonly FileStream _lock;

    private StudyFolder(string target, string work, FileStream writeLock)
    {
        Path = target;
        WorkPath = work;
        _lock = writeLock;
    }

    /// <summary>The --out folder (full path).</summary>
    public string Path { get; }

    /// <summary>The work folder the study writes into.</summary>
    public string WorkPath { get; }

    /// <summary>Whether a folder holds a study's output (its <c>cells/</c> folder or <c>cells.json</c>).</summary>
    public static bool IsStudy(string folder) =>
        Directory.Exists(System.IO.Path.Combine(folder, "cells")) || File.Exists(System.IO.Path.Combine(folder, "cells.json"));

    /// <summary>Opens the folder: checks the target, takes the lock, and prepares the work folder (continued from an
    /// interrupted run, or from the finished target, with <paramref name="resume"/>; started afresh otherwise).</summary>
    /// <exception cref="UserInputException">The folder cannot be used (exit code 2).</exception>
    public static StudyFolder Open(string path, bool force, bool resume, CliOutput output)
    {
        FileStream? writeLock = null;
        try
        {
            string target = System.IO.Path.GetFullPath(path).TrimEnd(System.IO.Path.DirectorySeparatorChar);
            string parent = System.IO.Path.GetDirectoryName(target) ?? throw new IOException("it has no parent folder");
            string name = System.IO.Path.GetFileName(target);
            if (File.Exists(target))
            {
                throw new IOException("a file of that name exists");
            }

            bool exists = Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any();
            if (exists && !IsStudy(target))
            {
                throw new UserInputException($"--out is '{path}'; it holds files that are not an earlier study's output (no cells/ or cells.json in it), so it is not replaced: name a new or empty folder.");
            }

            if (exists && !force && !resume)
            {
                throw new UserInputException($"--out is '{path}'; it holds an earlier study: add --resume to continue or extend it, --force to replace it, or name a new folder.");
            }

            Directory.CreateDirectory(parent);
            try
            {
                writeLock = new FileStream(System.IO.Path.Combine(parent, $".{name}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                throw new UserInputException($"--out is '{path}'; another edgelearn run is writing to it now: wait for it to end or name another folder.");
            }

            string work = System.IO.Path.Combine(parent, $".{name}.partial");
            if (Directory.Exists(work) && Directory.EnumerateFileSystemEntries(work).Any() && !resume)
            {
                if (!force)
                {
                    throw new UserInputException($"--out is '{path}'; an unfinished study is kept beside it in {work}: add --resume to continue it, or --force to discard it and start afresh.");
                }

                output.Status($"Discarding the unfinished study in {work} (--force).");
                Directory.Delete(work, recursive: true);
            }

            Directory.CreateDirectory(work);
            if (resume && exists)
            {
                foreach (string sub in new[] { "cells", "calibrations" })
                {
                    string from = System.IO.Path.Combine(target, sub), to = System.IO.Path.Combine(work, sub);
                    if (!Directory.Exists(from))
                    {
                        continue;
                    }

                    Directory.CreateDirectory(to);
                    foreach (string file in Directory.GetFiles(from, "*.json"))
                    {
                        string copy = System.IO.Path.Combine(to, System.IO.Path.GetFileName(file));
                        if (!File.Exists(copy))
                        {
                            File.Copy(file, copy);
                        }
                    }
                }
            }

            return new StudyFolder(target, work, writeLock);
        }
        catch (UserInputException)
        {
            writeLock?.Dispose();
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            writeLock?.Dispose();
            throw new UserInputException($"--out is '{path}'; it must be a folder that can be created and written ({e.Message.TrimEnd('.')}).");
        }
    }

    /// <summary>Renames the finished work folder to the target, replacing an earlier study there.</summary>
    public void Commit() => Training.Internal.OutputFolder.MoveInto(WorkPath, Path);

    /// <summary>Releases the lock; an uncommitted work folder stays for --resume.</summary>
    public void Dispose() => _lock.Dispose();
}
