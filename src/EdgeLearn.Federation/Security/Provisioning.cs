using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeLearn.Federation.Security;

/// <summary>Options of <see cref="Provisioning.Create"/>: what the certificates say and how long they live.</summary>
public sealed record ProvisionOptions
{
    /// <summary>Host names the server's certificate is valid for (subject alternative names); default <c>localhost</c>.</summary>
    public IReadOnlyList<string> ServerHosts { get; init; } = ["localhost"];

    /// <summary>IP addresses the server's certificate is valid for; default 127.0.0.1 and ::1.</summary>
    public IReadOnlyList<IPAddress> ServerAddresses { get; init; } = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    /// <summary>Days every certificate is valid from now; default 365.</summary>
    public int ValidDays { get; init; } = 365;

    /// <summary>Clock of the validity period; default the system's.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Checks the options; one line per problem naming the field, the value and the rule.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ValidDays is < 1 or > 3650)
        {
            errors.Add($"validDays is {ValidDays}; it must be between 1 and 3650.");
        }

        foreach (string host in ServerHosts)
        {
            if (Uri.CheckHostName(host) != UriHostNameType.Dns)
            {
                errors.Add($"serverHosts has '{host}'; every host must be a DNS name (e.g. localhost or edge.example.org).");
            }
        }

        if (ServerHosts.Count + ServerAddresses.Count == 0)
        {
            errors.Add("serverHosts and serverAddresses are both empty; the server's certificate needs at least one name or address.");
        }

        return errors;
    }
}

/// <summary>One certificate of a federation and its private key, both PEM.</summary>
/// <param name="Name">Who holds it: <c>ca</c>, <c>server</c> or a device id.</param>
/// <param name="CertificatePem">The certificate.</param>
/// <param name="PrivateKeyPem">Its PKCS #8 private key.</param>
/// <param name="Thumbprint">SHA-256 of the certificate's DER bytes, lowercase hex.</param>
public sealed record IssuedCertificate(string Name, string CertificatePem, string PrivateKeyPem, string Thumbprint);

/// <summary>A federation's certificates: a certificate authority, the server's and one per device.</summary>
/// <param name="Authority">The CA (self-signed; its key signs the others).</param>
/// <param name="Server">The server's (TLS server authentication; its names and addresses as subject alternative names).</param>
/// <param name="Devices">One per device id, in the scenario's order (TLS client authentication; the id is the subject's CN).</param>
public sealed record FederationCertificates(IssuedCertificate Authority, IssuedCertificate Server, IReadOnlyList<IssuedCertificate> Devices);

/// <summary>What <c>manifest.json</c> of a provisioned folder says: who holds which certificate.</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="NotBefore">Start of validity, UTC.</param>
/// <param name="NotAfter">End of validity, UTC.</param>
/// <param name="ServerHosts">The server certificate's host names.</param>
/// <param name="ServerAddresses">The server certificate's IP addresses.</param>
/// <param name="Authority">SHA-256 thumbprint of the CA certificate.</param>
/// <param name="Server">SHA-256 thumbprint of the server certificate.</param>
/// <param name="Devices">Device id → SHA-256 thumbprint of its certificate.</param>
public sealed record ProvisionManifest(
    string Scenario, DateTimeOffset NotBefore, DateTimeOffset NotAfter, IReadOnlyList<string> ServerHosts, IReadOnlyList<string> ServerAddresses,
    string Authority, string Server, IReadOnlyDictionary<string, string> Devices);

/// <summary>
/// Creates the certificates of a federation (issue 12), in the spirit of NVIDIA FLARE's provisioning: a private CA, a
/// server certificate and one client certificate per device id, all ECDSA P-256, made with the .NET cryptography APIs.
/// The server trusts only this CA and maps a client certificate's subject CN to the device id it may act as.
/// </summary>
public static class Provisioning
{
    /// <summary>TLS web server authentication (RFC 5280).</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>TLS web client authentication (RFC 5280).</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>Creates the certificates for <paramref name="deviceIds"/>.</summary>
    /// <param name="deviceIds">The scenario's device ids (unique, in order).</param>
    /// <param name="options">Names, addresses and validity.</param>
    /// <returns>The certificates and keys.</returns>
    /// <exception cref="ArgumentException">The options are invalid or an id is empty or repeated.</exception>
    public static FederationCertificates Create(IReadOnlyList<string> deviceIds, ProvisionOptions options)
    {
        ArgumentNullException.ThrowIfNull(deviceIds);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException(problems[0], nameof(options));
        }

        if (deviceIds.FirstOrDefault(id => string.IsNullOrWhiteSpace(id)) is not null || deviceIds.Distinct(StringComparer.Ordinal).Count() != deviceIds.Count)
        {
            throw new ArgumentException("device ids must be non-empty and unique.", nameof(deviceIds));
        }

        var now = options.Clock.GetUtcNow();
        var notBefore = now.AddMinutes(-5); // clocks of the devices may lag a little
        var notAfter = now.AddDays(options.ValidDays);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest(new X500DistinguishedName("CN=EdgeLearn federation CA, O=EdgeLearn"), caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter.AddDays(1));
        var authority = Issued("ca", ca, caKey);

        var names = new SubjectAlternativeNameBuilder();
        foreach (string host in options.ServerHosts)
        {
            names.AddDnsName(host);
        }

        foreach (var address in options.ServerAddresses)
        {
            names.AddIpAddress(address);
        }

        var server = Leaf("server", new X500DistinguishedName("CN=EdgeLearn federation server, O=EdgeLearn"), ServerAuthentication, ca, names.Build(), notBefore, notAfter);
        var devices = deviceIds.Select(id => Leaf(id, DeviceSubject(id), ClientAuthentication, ca, null, notBefore, notAfter)).ToArray();
        return new FederationCertificates(authority, server, devices);
    }

    /// <summary>The subject of device <paramref name="id"/>'s certificate: its id as the common name.</summary>
    public static X500DistinguishedName DeviceSubject(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(id);
        builder.AddOrganizationName("EdgeLearn device");
        return builder.Build();
    }

    /// <summary>The device id a client certificate stands for (its subject's CN), or null when it has none.</summary>
    public static string? DeviceId(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrEmpty(cn) ? null : cn;
    }

    /// <summary>Whether <paramref name="certificate"/> was issued by <paramref name="authority"/> for <paramref name="usage"/>
    /// (an EKU OID) and is valid at <paramref name="when"/>: the chain is built with the authority as the only trust
    /// anchor, no system roots and no revocation lookups (the federation is offline).</summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 authority, string usage, DateTimeOffset when)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(authority);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = when.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        return chain.Build(certificate) && chain.ChainElements[^1].Certificate.RawData.AsSpan().SequenceEqual(authority.RawData);
    }

    /// <summary>Writes a federation into <paramref name="folder"/> (which must exist and be empty): <c>ca.crt</c>,
    /// <c>ca.key</c>, <c>server.crt</c>, <c>server.key</c>, <c>devices/ID.crt</c> and <c>devices/ID.key</c>, and
    /// <c>manifest.json</c>. Private keys are readable by their owner only (mode 600 where the system has modes).</summary>
    public static ProvisionManifest Write(string folder, FederationCertificates federation, string scenario, ProvisionOptions options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(federation);
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(Path.Combine(folder, "devices"));
        WritePair(folder, "ca", federation.Authority);
        WritePair(folder, "server", federation.Server);
        foreach (var device in federation.Devices)
        {
            WritePair(Path.Combine(folder, "devices"), device.Name, device);
        }

        using var server = X509Certificate2.CreateFromPem(federation.Server.CertificatePem);
        var manifest = new ProvisionManifest(
            scenario, new DateTimeOffset(server.NotBefore.ToUniversalTime(), TimeSpan.Zero), new DateTimeOffset(server.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            options.ServerHosts, [.. options.ServerAddresses.Select(a => a.ToString())],
            federation.Authority.Thumbprint, federation.Server.Thumbprint, federation.Devices.ToDictionary(d => d.Name, d => d.Thumbprint));
        File.WriteAllText(Path.Combine(folder, "manifest.json"), JsonSerializer.Serialize(manifest, ManifestJson) + "\n");
        return manifest;
    }

    /// <summary>The file name of device <paramref name="id"/>'s certificate in a provisioned folder's <c>devices/</c>.</summary>
    public static string DeviceFile(string id) => string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    private static readonly JsonSerializerOptions ManifestJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static void WritePair(string folder, string name, IssuedCertificate issued)
    {
        string file = name is "ca" or "server" ? name : DeviceFile(name);
        File.WriteAllText(Path.Combine(folder, file + ".crt"), issued.CertificatePem);
        // The key file is created readable by its owner only, before a byte of the key is in it.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(Path.Combine(folder, file + ".key"), options);
        writer.Write(issued.PrivateKeyPem);
    }

    private static IssuedCertificate Leaf(string name, X500DistinguishedName subject, string usage, X509Certificate2 ca, X509Extension? alternativeNames,
        DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number
        using var certificate = request.Create(ca, notBefore, notAfter, serial);
        return Issued(name, certificate, key);
    }

    private static IssuedCertificate Issued(string name, X509Certificate2 certificate, ECDsa key) =>
        new(name, certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n", Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)));
}
