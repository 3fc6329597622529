using EdgeLearn.Cli.Infrastructure;

namespace EdgeLearn.Cli.Commands.Training.Internal;

/// <summary>The --out folder of a training command: created up front, every file written atomically.</summary>
internal sealed class OutputFolder
{
    private OutputFolder(string path) => Path = path;

    /// <summary>Full path of the folder.</summary>
    public string Path { get; }

    /// <summary>Creates the folder (and its parents) if missing.</summary>
    /// <exception cref="UserInputException">It cannot be created (exit code 2).</exception>
    public static OutputFolder Create(string path)
    {
        try
        {
            return new OutputFolder(Directory.CreateDirectory(path).FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UserInputException($"--out is '{path}'; it must be a folder that can be created and written ({e.Message.TrimEnd('.')}).");
        }
    }

    /// <summary>Writes text atomically.</summary>
    public void WriteText(string name, string contents) => AtomicFile.WriteAllText(File(name), contents);

    /// <summary>Serializes with the CLI's JSON options and writes atomically.</summary>
    public void WriteJson<T>(string name, T value) => AtomicFile.WriteJson(File(name), value);

    /// <summary>Writes bytes atomically: a temporary file in the folder, then a rename over the target.</summary>
    public void WriteBytes(string name, byte[] contents)
    {
        string target = File(name);
        string temp = System.IO.Path.Combine(Path, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            System.IO.File.WriteAllBytes(temp, contents);
            System.IO.File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (System.IO.File.Exists(temp))
            {
                System.IO.File.Delete(temp);
            }
        }
    }

    private string File(string name) => System.IO.Path.Combine(Path, name);
}
