using System.Text.Json;
using EdgeLearn.Cli.Infrastructure;

namespace EdgeLearn.Cli.Tests.Infrastructure;

public class AtomicFileTests
{
    [Fact]
    public void WriteAllText_ExistingFile_IsReplacedAndNoTempFileRemains()
    {
        using var folder = new TempFolder();
        var path = folder.Write("out.txt", "old contents that are longer");

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void WriteAllText_MissingFolder_ThrowsNamingThePath()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "missing", "out.txt");

        var ex = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(path, "x"));

        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void WriteAllText_FolderThatRefusesFiles_MessageNamesThePathNotTheTemporaryFile()
    {
        const string path = "/proc/edgelearn-atomic-test.json";

        var ex = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "x"));

        Assert.StartsWith($"Cannot write '{path}': ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteJson_Record_IsCamelCaseIndented()
    {
        using var folder = new TempFolder();
        var path = folder.File("out.json");

        AtomicFile.WriteJson(path, new Sample("dev-0", 0.25));

        var text = File.ReadAllText(path);
        Assert.Contains("\n  \"deviceId\": \"dev-0\"", text);
        Assert.Equal(0.25, JsonDocument.Parse(text).RootElement.GetProperty("powerW").GetDouble());
        Assert.EndsWith("\n", text);
        Assert.DoesNotContain("\uFEFF", text);
    }

    private sealed record Sample(string DeviceId, double PowerW);
}
