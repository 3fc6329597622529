namespace EdgeLearn.Cli.Infrastructure;

/// <summary>
/// Checks output paths (<c>--json FILE</c>, <c>--out FILE</c>, <c>--report FILE</c>, <c>--out DIR</c>) before any
/// computation, so a run is never lost to a path that cannot be written, and every message names the user's path.
/// Writability is tried with a probe file that is deleted at once.
/// </summary>
internal static class OutputPath
{
    /// <summary>Checks a file to be written: not empty, not a folder, in an existing folder that accepts new files.</summary>
    /// <param name="option">The option's name, e.g. <c>--json</c>.</param>
    /// <param name="path">Its value; null when the option is absent (nothing to check).</param>
    /// <param name="errors">Receives one line when the path cannot be written.</param>
    public static void File(string option, string? path, List<string> errors)
    {
        if (path is null)
        {
            return;
        }

        if (path.Length == 0)
        {
            errors.Add($"{option} is empty; it must be a file path.");
            return;
        }

        if (System.IO.Directory.Exists(path))
        {
            errors.Add($"{option} is '{path}', a folder; it must be a file path (e.g. {Path.Combine(path, "out.json")}).");
            return;
        }

        string? folder = Folder(path);
        if (folder is null || !System.IO.Directory.Exists(folder))
        {
            errors.Add($"{option} is '{path}'; its folder '{folder ?? path}' does not exist.");
            return;
        }

        if (Unwritable(folder) is { } reason)
        {
            errors.Add($"{option} is '{path}'; its folder '{folder}' cannot be written ({reason}).");
        }
    }

    /// <summary>As <see cref="File(string, string?, List{string})"/>, as a validation result.</summary>
    /// <param name="option">The option's name.</param>
    /// <param name="path">Its value; null when absent.</param>
    public static Spectre.Console.ValidationResult CheckFile(string option, string? path)
    {
        var errors = new List<string>();
        File(option, path, errors);
        return errors.Count == 0 ? Spectre.Console.ValidationResult.Success() : Spectre.Console.ValidationResult.Error(errors[0]);
    }

    /// <summary>Checks that no output file is one of the command's inputs or another of its outputs (compared after
    /// <see cref="Path.GetFullPath(string)"/> and through symbolic links), so a run never overwrites what it reads
    /// or writes two results into one file.</summary>
    /// <param name="inputs">The input options and their values (null: absent).</param>
    /// <param name="outputs">The output options and their values (null: absent).</param>
    /// <param name="errors">Receives one line per clash.</param>
    public static void Distinct(IReadOnlyList<(string Option, string? Path)> inputs, IReadOnlyList<(string Option, string? Path)> outputs, List<string> errors)
    {
        for (int i = 0; i < outputs.Count; i++)
        {
            var (option, path) = outputs[i];
            if (Identity(path) is not { } output)
            {
                continue;
            }

            foreach (var (inputOption, inputPath) in inputs)
            {
                if (Identity(inputPath) is { } input && string.Equals(input, output, PathComparison))
                {
                    errors.Add($"{option} is '{path}', the same file as the input {inputOption} '{inputPath}'; writing it would overwrite that input, so name another file.");
                    return;
                }
            }

            for (int j = 0; j < i; j++)
            {
                if (Identity(outputs[j].Path) is { } other && string.Equals(other, output, PathComparison))
                {
                    errors.Add($"{option} is '{path}', the same file as {outputs[j].Option} '{outputs[j].Path}'; give each output its own file.");
                    return;
                }
            }
        }
    }

    /// <summary>As <see cref="Distinct"/>, as a validation result (the first clash).</summary>
    /// <param name="inputs">The input options and their values (null: absent).</param>
    /// <param name="outputs">The output options and their values (null: absent).</param>
    public static Spectre.Console.ValidationResult CheckDistinct(IReadOnlyList<(string Option, string? Path)> inputs, IReadOnlyList<(string Option, string? Path)> outputs)
    {
        var errors = new List<string>();
        Distinct(inputs, outputs, errors);
        return errors.Count == 0 ? Spectre.Console.ValidationResult.Success() : Spectre.Console.ValidationResult.Error(errors[0]);
    }

    /// <summary>Checks that no input lies inside an output folder that the run will create or replace, so replacing
    /// the folder (<c>--force</c>) never deletes what the run reads, e.g. <c>train --init-from out/model-final.bin --out out</c>.</summary>
    /// <param name="option">The folder's option, e.g. <c>--out</c>.</param>
    /// <param name="folder">Its value; null when absent (nothing to check).</param>
    /// <param name="inputs">The input options (or a description such as "the data cache") and their paths, files or folders (null: absent).</param>
    /// <param name="errors">Receives one line for the first input found inside.</param>
    public static void NotInside(string option, string? folder, IReadOnlyList<(string Option, string? Path)> inputs, List<string> errors)
    {
        if (FolderIdentity(folder) is not { } outFolder)
        {
            return;
        }

        string prefix = outFolder.EndsWith(Path.DirectorySeparatorChar) ? outFolder : outFolder + Path.DirectorySeparatorChar;
        foreach (var (inputOption, inputPath) in inputs)
        {
            if (FolderIdentity(inputPath) is { } input
                && (string.Equals(input, outFolder, PathComparison) || input.StartsWith(prefix, PathComparison)))
            {
                errors.Add($"{option} is '{folder}', which holds the input {inputOption} '{inputPath}'; the run replaces that folder, so name another {option} or move the input out of it.");
                return;
            }
        }
    }

    /// <summary>Checks a folder to be created or replaced: not a file, and its nearest existing parent accepts new entries.</summary>
    /// <param name="option">The option's name, e.g. <c>--out</c>.</param>
    /// <param name="path">Its value; null when the option is absent.</param>
    /// <param name="errors">Receives one line when the folder cannot be written.</param>
    public static void Directory(string option, string? path, List<string> errors)
    {
        if (path is null)
        {
            return;
        }

        if (path.Length == 0)
        {
            errors.Add($"{option} is empty; it must be a folder path.");
            return;
        }

        if (System.IO.File.Exists(path))
        {
            errors.Add($"{option} is '{path}', a file; it must be a folder path.");
            return;
        }

        string? parent = Folder(path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        while (parent is not null && !System.IO.Directory.Exists(parent))
        {
            parent = Path.GetDirectoryName(parent);
        }

        if (parent is not null && Unwritable(parent) is { } reason)
        {
            errors.Add($"{option} is '{path}'; the folder '{parent}' cannot be written ({reason}).");
        }
    }

    private static StringComparison PathComparison => OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>The full path of a file, through a symbolic link when it is one; null for an absent or unusable path.</summary>
    private static string? Identity(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        try
        {
            string full = Path.GetFullPath(path);
            try
            {
                return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return full; // not there yet, or not a link that can be followed: the path itself
            }
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    /// <summary>As <see cref="Identity"/>, with the trailing separators of a folder path removed.</summary>
    private static string? FolderIdentity(string? path) => Identity(path) is { } full ? Path.TrimEndingDirectorySeparator(full) : null;

    private static string? Folder(string path)
    {
        try
        {
            return Path.GetDirectoryName(Path.GetFullPath(path));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    /// <summary>Why no file can be created in <paramref name="folder"/>; null when one can.</summary>
    private static string? Unwritable(string folder)
    {
        string probe = Path.Combine(folder, $".edgelearn-probe-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return "permission denied";
        }
        catch (IOException)
        {
            return "it does not accept new files";
        }
    }
}
