using System.Text;
using System.Text.Json;

namespace EdgeLearn.Cli.Infrastructure;

/// <summary>
/// Writes output files atomically: the content goes to a temporary file in the same folder, which is
/// then renamed over the target, so readers never see a half-written file.
/// </summary>
public static class AtomicFile
{
    /// <summary>The encoding of every text file the CLI writes: UTF-8 without a byte-order mark.</summary>
    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes text (UTF-8, no byte-order mark) to <paramref name="path"/>, replacing any existing file.</summary>
    /// <param name="path">Target file; its folder must exist.</param>
    /// <param name="contents">The full file contents.</param>
    /// <exception cref="IOException">The folder does not exist or the file cannot be written; the message names the path.</exception>
    /// <exception cref="UnauthorizedAccessException">Writing is not permitted.</exception>
    public static void WriteAllText(string path, string contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, Utf8);
            writer.Write(contents);
        });
    }

    /// <summary>Writes what <paramref name="write"/> puts into the stream to <paramref name="path"/>, replacing any
    /// existing file (for outputs too large to build as one string first).</summary>
    /// <param name="path">Target file; its folder must exist.</param>
    /// <param name="write">Writes the full file contents into the stream (it may close the stream).</param>
    /// <exception cref="IOException">The folder does not exist or the file cannot be written; the message names the path.</exception>
    /// <exception cref="UnauthorizedAccessException">Writing is not permitted.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath) ?? throw new IOException($"Cannot write '{path}': it is not a file path.");
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot write '{path}': the folder '{folder}' does not exist.");
        }

        var temp = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
            }

            File.Move(temp, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temporary file is an implementation detail: the message names the user's path.
            var reason = e is UnauthorizedAccessException ? "permission denied" : e.Message.Replace(temp, path, StringComparison.Ordinal).TrimEnd('.');
            throw new IOException($"Cannot write '{path}': {reason}.", e);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Serializes <paramref name="value"/> with <see cref="CliJson.Options"/> and writes it atomically.</summary>
    /// <typeparam name="T">Type of the value.</typeparam>
    /// <param name="path">Target file; its folder must exist.</param>
    /// <param name="value">The value to write.</param>
    /// <param name="options">Serializer options; <see cref="CliJson.Options"/> when <c>null</c>.</param>
    public static void WriteJson<T>(string path, T value, JsonSerializerOptions? options = null) =>
        WriteAllText(path, CliJson.FileText(value, options));
}
