using System.Net.Sockets;
using EdgeLearn.Cli.Infrastructure;

namespace EdgeLearn.Cli.Tests.Commands.Explore;

public sealed class ExploreCommandTests
{
    [Fact]
    public async Task Explore_StoppedByCtrlC_PrintedItsUrlOnStdoutAndExits0()
    {
        using var explorer = new RunningExplorer();
        using var client = new HttpClient();
        string page = await client.GetStringAsync(explorer.Url);

        var (exitCode, stdout, stderr) = explorer.Stop();

        Assert.Contains("<script src=\"/explore.js\"></script>", page, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal(explorer.Url, stdout.Trim());
        Assert.Contains($"Exploring scenario 'default' (the default scenario, 10 devices) at {explorer.Url}; press Ctrl+C to stop.", stderr, StringComparison.Ordinal);
        Assert.Contains("Stopped the explorer.", stderr, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetStringAsync(explorer.Url));
    }

    [Theory]
    [InlineData("0", "--port is 0; it must be between 1 and 65535 (leave it out for a free port).")]
    [InlineData("70000", "--port is 70000; it must be between 1 and 65535 (leave it out for a free port).")]
    public void Explore_BadPort_OneLineExit2(string port, string message)
    {
        var result = CliRunner.Run("explore", "--port", port);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal(message, result.SingleErrorLine());
    }

    [Fact]
    public void Explore_PortTaken_OneLineExit2()
    {
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var result = CliRunner.Run("explore", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith($"--port is {port}; it must be a free port on 127.0.0.1 (", result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void Explore_InvalidScenario_OneLineExit2BeforeServing()
    {
        using var folder = new TempFolder();
        string path = folder.Write("s.json", "{ \"name\": 3 }");

        var result = CliRunner.Run("explore", "--scenario", path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.All(result.ErrorLines, l => Assert.StartsWith(path + ": ", l, StringComparison.Ordinal));
    }
}
