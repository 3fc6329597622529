using System.Net;
using System.Net.Sockets;
using EdgeLearn.Cli.Commands.Federation;
using EdgeLearn.Cli.Infrastructure;

namespace EdgeLearn.Cli.Tests.Commands.Federation;

/// <summary>Bad input to <c>server</c> and <c>device</c>: one line naming the option, the value and the rule, exit 2,
/// before anything long starts.</summary>
public sealed class ServerDeviceCommandTests
{
    [Theory]
    [InlineData(new[] { "--certs", "c" }, "--state is missing; it must name the SQLite file")]
    [InlineData(new[] { "--state", "s.db" }, "--certs is missing; it must name the folder 'edgelearn federation provision' wrote, or give --insecure")]
    [InlineData(new[] { "--state", "s.db", "--insecure", "--listen", "127.0.0.1" }, "--listen is '127.0.0.1'; it must be HOST:PORT")]
    [InlineData(new[] { "--state", "s.db", "--insecure", "--listen", "example.org:80" }, "--listen is 'example.org:80'; it must be HOST:PORT with HOST an IP address or localhost")]
    [InlineData(new[] { "--state", "s.db", "--insecure", "--round-timeout", "0" }, "--round-timeout is 0; it must be more than 0 and at most 86400 seconds.")]
    [InlineData(new[] { "--state", "s.db", "--insecure", "--seeds", "1,2" }, "--seeds is '1,2'; a server runs one seed: give --seed S.")]
    [InlineData(new[] { "--state", "s.db", "--insecure", "--certs", "c" }, "--certs and --insecure were both given; give one.")]
    public void Server_BadOption_OneLineExit2(string[] args, string expected)
    {
        var result = CliRunner.Run(["server", .. args]);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains(expected, result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void Server_CertsFolderWithoutAKit_NamesTheMissingFileBeforeLoadingData()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("empty"));

        var result = CliRunner.Run("server", "--certs", folder.File("empty"), "--state", folder.File("s.db"));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Matches("^--certs is '.*empty'; .*server/ca.crt does not exist; --certs must be the folder 'edgelearn federation provision' wrote, or a server kit in it", result.SingleErrorLine());
        Assert.False(File.Exists(folder.File("s.db")));
    }

    [Fact]
    public void Server_PortInUse_SaysItCannotListenThere()
    {
        using var folder = new TempFolder();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        string listen = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var result = CliRunner.Run("server", "--dataset", "synthetic", "--hidden", "16", "--accept-model-size", "--insecure",
            "--state", folder.File("s.db"), "--listen", listen);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains($"--listen is '{listen}'; the server cannot listen there", result.ErrorLines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--id", "dev-0", "--insecure" }, "--server is missing; it must be the address the server printed")]
    [InlineData(new[] { "--server", "ftp://x:1", "--id", "dev-0", "--insecure" }, "--server is 'ftp://x:1'; it must be https://HOST:PORT")]
    [InlineData(new[] { "--server", "http://127.0.0.1:1", "--id", "dev-0", "--certs", "c" }, "--server is 'http://127.0.0.1:1', plaintext; connect with https:// and --certs, or give --insecure")]
    [InlineData(new[] { "--server", "http://127.0.0.1:1", "--insecure" }, "--id and --ids: give exactly one")]
    [InlineData(new[] { "--server", "http://127.0.0.1:1", "--insecure", "--id", "phone-7" }, "--id names 'phone-7'; it must be a device id of the scenario (dev-0, dev-1, dev-2, dev-3, dev-4, …).")]
    [InlineData(new[] { "--server", "http://127.0.0.1:1", "--insecure", "--ids", "dev-5..dev-2" }, "--ids is 'dev-5..dev-2'; 'dev-5..dev-2' must be a range PREFIXa..PREFIXb with the same prefix and a ≤ b")]
    [InlineData(new[] { "--server", "http://127.0.0.1:1", "--insecure", "--ids", "dev-0,dev-0" }, "--ids is 'dev-0,dev-0'; every id must be non-empty and appear once.")]
    [InlineData(new[] { "--server", "http://127.0.0.1:1", "--insecure", "--id", "dev-0", "--retry-for", "-1" }, "--retry-for is -1; it must be more than 0 and at most 86400 seconds.")]
    public void Device_BadOption_OneLineExit2(string[] args, string expected)
    {
        var result = CliRunner.Run(["device", .. args]);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains(expected, result.SingleErrorLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseIds_RangesAndSingles_InOrder()
    {
        var lines = new List<string>();

        var ids = DeviceSettings.ParseIds("dev-8..dev-10, gw-1,dev-3", lines);

        Assert.Empty(lines);
        Assert.Equal(["dev-8", "dev-9", "dev-10", "gw-1", "dev-3"], ids);
    }

    [Fact]
    public void Device_ServerNeverThere_GivesUpAfterRetryForWithExit4()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var result = CliRunner.Run("device", "--dataset", "synthetic", "--hidden", "16", "--insecure", "--server", $"http://127.0.0.1:{port}",
            "--id", "dev-0", "--retry-for", "1");

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.Equal("warning: --insecure: connecting in plaintext without certificates; use it for local demos only.", result.ErrorLines[0]);
        Assert.Contains(result.ErrorLines, l => l.StartsWith("dev-0: lost the server (Unavailable", StringComparison.Ordinal));
        Assert.Matches("^dev-0: gave up after [1-9] s without reaching the server", result.ErrorLines[^1]);
    }
}
