using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using EdgeLearn.Federation.Security;

namespace EdgeLearn.Federation.Tests.Security;

public sealed class ProvisioningTests
{
    private static readonly string[] Ids = ["dev-0", "dev-1", "dev-2"];

    private static readonly Lazy<FederationCertificates> Made = new(() => Provisioning.Create(Ids, new ProvisionOptions()));

    private static X509Certificate2 Certificate(IssuedCertificate issued) =>
        X509Certificate2.CreateFromPem(issued.CertificatePem, issued.PrivateKeyPem);

    [Fact]
    public void Create_EveryDevice_HasAClientCertificateOfTheCaNamedByItsId()
    {
        using var ca = Certificate(Made.Value.Authority);

        Assert.Equal(Ids, Made.Value.Devices.Select(d => d.Name));
        foreach (var device in Made.Value.Devices)
        {
            using var certificate = Certificate(device);
            Assert.True(certificate.HasPrivateKey);
            Assert.Equal(device.Name, Provisioning.DeviceId(certificate));
            Assert.True(Provisioning.IsIssuedBy(certificate, ca, Provisioning.ClientAuthentication, DateTimeOffset.UtcNow));
            Assert.False(Provisioning.IsIssuedBy(certificate, ca, Provisioning.ServerAuthentication, DateTimeOffset.UtcNow)); // a device cannot serve
        }
    }

    [Fact]
    public void Create_Server_IsValidForLocalhostAndLoopbackOnly()
    {
        using var ca = Certificate(Made.Value.Authority);
        using var server = Certificate(Made.Value.Server);

        Assert.True(Provisioning.IsIssuedBy(server, ca, Provisioning.ServerAuthentication, DateTimeOffset.UtcNow));
        Assert.False(Provisioning.IsIssuedBy(server, ca, Provisioning.ClientAuthentication, DateTimeOffset.UtcNow));
        Assert.True(server.MatchesHostname("localhost"));
        Assert.True(server.MatchesHostname("127.0.0.1"));
        Assert.False(server.MatchesHostname("example.org"));
    }

    [Fact]
    public void IsIssuedBy_AnotherFederationsCertificate_IsRefused()
    {
        var other = Provisioning.Create(["dev-0"], new ProvisionOptions());
        using var ca = Certificate(Made.Value.Authority);
        using var stranger = Certificate(other.Devices[0]);

        Assert.False(Provisioning.IsIssuedBy(stranger, ca, Provisioning.ClientAuthentication, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void IsIssuedBy_AfterTheValidity_IsRefused()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var federation = Provisioning.Create(["dev-0"], new ProvisionOptions { ValidDays = 30, Clock = clock });
        using var ca = Certificate(federation.Authority);
        using var device = Certificate(federation.Devices[0]);

        Assert.True(Provisioning.IsIssuedBy(device, ca, Provisioning.ClientAuthentication, clock.GetUtcNow().AddDays(29)));
        Assert.False(Provisioning.IsIssuedBy(device, ca, Provisioning.ClientAuthentication, clock.GetUtcNow().AddDays(31)));
    }

    [Theory]
    [InlineData(0, "validDays is 0; it must be between 1 and 3650.")]
    [InlineData(4000, "validDays is 4000; it must be between 1 and 3650.")]
    public void Validate_BadValidity_NamesTheFieldAndTheRule(int days, string message)
    {
        Assert.Equal([message], new ProvisionOptions { ValidDays = days }.Validate());
    }

    [Fact]
    public void Validate_BadHost_NamesIt()
    {
        Assert.Contains("serverHosts has 'not a host'", Assert.Single(new ProvisionOptions { ServerHosts = ["not a host"] }.Validate()));
    }

    [Fact]
    public void Create_RepeatedIds_Throw()
    {
        Assert.Throws<ArgumentException>(() => Provisioning.Create(["dev-0", "dev-0"], new ProvisionOptions()));
    }

    [Theory]
    [InlineData("dev 1", "devices[1].id is \"dev 1\"; to be provisioned it must be 1 to 64 of the characters A-Z, a-z, 0-9, '.', '_' and '-'.")]
    [InlineData("a,CN=dev-0", "devices[1].id is \"a,CN=dev-0\"; to be provisioned it must be")]
    [InlineData("..", "devices[1].id is \"..\"; to be provisioned it must be")]
    [InlineData("DEV-0", "devices[1].id is \"DEV-0\"; it differs from devices[0].id only in case, and the two would share a folder.")]
    public void CheckIds_IdsThatCannotNameAFolderOrACertificate_AreRefused(string id, string message)
    {
        Assert.StartsWith(message, Assert.Single(Provisioning.CheckIds(["dev-0", id])));
    }

    [Fact]
    public void CheckIds_LongestId_IsAccepted()
    {
        Assert.Empty(Provisioning.CheckIds([new string('d', Provisioning.MaxIdLength)]));
        Assert.Single(Provisioning.CheckIds([new string('d', Provisioning.MaxIdLength + 1)]));
    }

    [Fact]
    public void IsIssuedBy_TheCaItself_IsNeitherAClientNorAServer()
    {
        using var ca = Certificate(Made.Value.Authority);

        Assert.False(Provisioning.IsIssuedBy(ca, ca, Provisioning.ClientAuthentication, DateTimeOffset.UtcNow));
        Assert.False(Provisioning.IsIssuedBy(ca, ca, Provisioning.ServerAuthentication, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void DeviceId_ServerCertificate_IsNoDevice()
    {
        using var server = Certificate(Made.Value.Server);

        Assert.Null(Provisioning.DeviceId(server));
    }

    [Fact]
    public void Write_Folder_HoldsEveryFileWithPrivateKeysForTheOwnerOnly()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"edgelearn-provision-{Guid.NewGuid():N}");
        try
        {
            var manifest = Provisioning.Write(folder, Made.Value, "tiny", new ProvisionOptions());

            string[] files = ["authority/ca.crt", "authority/ca.key", "server/ca.crt", "server/server.crt", "server/server.key", "manifest.json",
                .. Ids.SelectMany(id => new[] { $"devices/{id}/ca.crt", $"devices/{id}/device.crt", $"devices/{id}/device.key" })];
            Assert.Equal(files.Order(StringComparer.Ordinal),
                Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal));

            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "devices", "dev-1", "device.key")));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "authority", "ca.key")));
            }

            using var device = X509Certificate2.CreateFromPemFile(Path.Combine(folder, "devices", "dev-1", "device.crt"), Path.Combine(folder, "devices", "dev-1", "device.key"));
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(device.RawData)), manifest.Devices["dev-1"]);
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
            Assert.Equal(manifest.Server, json.RootElement.GetProperty("server").GetString());
            Assert.Equal(3, json.RootElement.GetProperty("devices").EnumerateObject().Count());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The certificates work for what they are made for: a mutual-TLS handshake over loopback in which the
    /// server accepts only clients of its CA and learns the device id from the certificate.</summary>
    [Fact]
    public async Task Handshake_MutualTls_AcceptsTheFederationsDeviceAndRefusesAStranger()
    {
        using var ca = Certificate(Made.Value.Authority);
        using var server = Certificate(Made.Value.Server);
        using var device = Certificate(Made.Value.Devices[2]);
        using var stranger = Certificate(Provisioning.Create(["dev-2"], new ProvisionOptions()).Devices[0]);

        Assert.Equal("dev-2", await Handshake(ca, server, device));
        await Assert.ThrowsAnyAsync<Exception>(() => Handshake(ca, server, stranger));
    }

    private static async Task<string?> Handshake(X509Certificate2 ca, X509Certificate2 serverCertificate, X509Certificate2 clientCertificate)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var serverSide = Task.Run(async () =>
            {
                using var accepted = await listener.AcceptTcpClientAsync(timeout.Token);
                using var tls = new SslStream(accepted.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = serverCertificate,
                    ClientCertificateRequired = true,
                    EnabledSslProtocols = SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                        certificate is X509Certificate2 c && Provisioning.IsIssuedBy(c, ca, Provisioning.ClientAuthentication, DateTimeOffset.UtcNow),
                }, timeout.Token);
                using var remote = new X509Certificate2(tls.RemoteCertificate!);
                return Provisioning.DeviceId(remote);
            }, timeout.Token);

            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            using var clientTls = new SslStream(client.GetStream());
            try
            {
                await clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    ClientCertificates = [clientCertificate],
                    EnabledSslProtocols = SslProtocols.Tls13,
                    // The chain is checked against the federation's CA; every other TLS check (the host name) still applies.
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                        (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                        && certificate is X509Certificate2 c && Provisioning.IsIssuedBy(c, ca, Provisioning.ServerAuthentication, DateTimeOffset.UtcNow),
                }, timeout.Token);
                // With TLS 1.3 the server checks the client's certificate after the client's handshake ends: read to see it.
                await clientTls.WriteAsync(new byte[] { 1 }, timeout.Token);
            }
            catch (Exception) when (!serverSide.IsCompleted)
            {
            }

            return await serverSide;
        }
        finally
        {
            listener.Stop();
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
