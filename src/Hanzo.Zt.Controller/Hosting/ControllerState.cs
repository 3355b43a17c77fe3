using System.Security.Cryptography;
using System.Text;
using Hanzo.Zt.Controller.Auth;
using Hanzo.Zt.Controller.Pki;
using Hanzo.Zt.Controller.Store;
using Hanzo.Zt.Controller.Store.Sqlite;
using Hanzo.Zt.Controller.Tokens;

namespace Hanzo.Zt.Controller.Hosting;

/// <summary>What every request handler shares: options, store, CA, the token signing key and the public URL.</summary>
internal sealed class ControllerState : IAsyncDisposable
{
    public const string DatabaseFileName = "controller.db";
    public const string AdminName = "admin";

    private ControllerState(ControllerOptions options, IControllerStore store, CertificateAuthority ca, ECDsa signingKey, string signingKeyId)
    {
        Options = options;
        Store = store;
        Ca = ca;
        SigningKey = signingKey;
        SigningKeyId = signingKeyId;
        Jwks = new JsonWebKeySet { Keys = [JsonWebKey.FromPublicKey(signingKey, signingKeyId)] };
    }

    public ControllerOptions Options { get; }
    public IControllerStore Store { get; }
    public CertificateAuthority Ca { get; }
    public ECDsa SigningKey { get; }
    public string SigningKeyId { get; }
    public JsonWebKeySet Jwks { get; }

    /// <summary>The controller's public URL (the bound address), the <c>iss</c> of everything it signs.</summary>
    public string Issuer { get; set; } = "";

    public DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    public static async Task<ControllerState> OpenAsync(ControllerOptions options, CancellationToken cancellationToken)
    {
        Validate(options);
        var directory = Path.GetFullPath(options.DataDirectory);
        var databasePath = Path.Combine(directory, DatabaseFileName);
        if (!File.Exists(databasePath)) RequireAdminPassword(options, directory);
        DataDirectory.Secure(directory, databasePath);

        var store = new SqliteControllerStore(databasePath, options.TimeProvider);
        try
        {
            await store.MigrateAsync(cancellationToken);
            var caPem = await store.GetSettingAsync("ca.certificate", cancellationToken);
            if (caPem is null) RequireAdminPassword(options, directory);
            // A passphrase is stretched with this directory's salt; a directory sealed before salts existed is re-sealed.
            var salt = await store.GetSettingAsync("master.salt", cancellationToken);
            var legacy = caPem is not null && salt is null && MasterKey.IsPassphrase(options.MasterKey);
            if (salt is null && !legacy)
            {
                salt = RandomNumberGenerator.GetBytes(16);
                await store.SetSettingAsync("master.salt", salt, cancellationToken);
            }
            var masterKey = MasterKey.Resolve(options.MasterKey, directory, legacy ? null : salt);

            CertificateAuthority ca;
            ECDsa signingKey;
            string keyId;
            if (caPem is null)
            {
                ca = CertificateAuthority.Create(options.TrustDomain, options.TimeProvider.GetUtcNow());
                signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                keyId = Convert.ToHexStringLower(SHA256.HashData(signingKey.ExportSubjectPublicKeyInfo()))[..16];
                // The CA and signing key go first so that a crash before the admin exists can be resumed.
                await store.SetSettingAsync("signing.key", masterKey.Encrypt(signingKey.ExportPkcs8PrivateKey(), "signing.key"), cancellationToken);
                await store.SetSettingAsync("signing.kid", Encoding.UTF8.GetBytes(keyId), cancellationToken);
                await store.SetSettingAsync("ca.key", masterKey.Encrypt(ca.ExportPrivateKey(), "ca.key"), cancellationToken);
                await store.SetSettingAsync("ca.certificate", Encoding.UTF8.GetBytes(ca.CertificatePem), cancellationToken);
            }
            else
            {
                try
                {
                    var caKey = masterKey.Decrypt(await RequireSettingAsync(store, "ca.key", cancellationToken), "ca.key");
                    ca = CertificateAuthority.Load(Encoding.UTF8.GetString(caPem), caKey, options.TrustDomain);
                    CryptographicOperations.ZeroMemory(caKey);
                    signingKey = ECDsa.Create();
                    signingKey.ImportPkcs8PrivateKey(masterKey.Decrypt(await RequireSettingAsync(store, "signing.key", cancellationToken), "signing.key"), out _);
                    keyId = Encoding.UTF8.GetString(await RequireSettingAsync(store, "signing.kid", cancellationToken));
                }
                catch (CryptographicException e)
                {
                    throw new ZtConfigurationException(
                        $"the controller key from {masterKey.Source} does not decrypt the keys in '{directory}'; use the key the data directory was created with ({MasterKey.EnvironmentVariable} or its {MasterKey.FileName})", e);
                }
            }

            if (legacy) await ResealAsync(store, options, directory, masterKey, cancellationToken);

            var state = new ControllerState(options, store, ca, signingKey, keyId);
            var sealing = legacy ? MasterKey.Resolve(options.MasterKey, directory, await store.GetSettingAsync("master.salt", cancellationToken)) : masterKey;
            state.EnrollmentKey = await EnrollmentKeyAsync(store, sealing, cancellationToken);
            await state.BootstrapAsync(cancellationToken);
            return state;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>The key one-time enrollment secrets are derived from (the store keeps only their hashes).</summary>
    public byte[] EnrollmentKey { get; private set; } = [];

    private static async Task<byte[]> EnrollmentKeyAsync(IControllerStore store, MasterKey masterKey, CancellationToken cancellationToken)
    {
        if (await store.GetSettingAsync("enrollment.key", cancellationToken) is { } sealedKey) return masterKey.Decrypt(sealedKey, "enrollment.key");
        var key = RandomNumberGenerator.GetBytes(32);
        await store.SetSettingAsync("enrollment.key", masterKey.Encrypt(key, "enrollment.key"), cancellationToken);
        return key;
    }

    private static async Task ResealAsync(IControllerStore store, ControllerOptions options, string directory, MasterKey legacyKey, CancellationToken cancellationToken)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var stretched = MasterKey.Resolve(options.MasterKey, directory, salt);
        foreach (var name in new[] { "ca.key", "signing.key", "enrollment.key" })
        {
            if (await store.GetSettingAsync(name, cancellationToken) is not { } sealedValue) continue;
            var plain = legacyKey.Decrypt(sealedValue, name);
            await store.SetSettingAsync(name, stretched.Encrypt(plain, name), cancellationToken);
            CryptographicOperations.ZeroMemory(plain);
        }
        await store.SetSettingAsync("master.salt", salt, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Ca.Dispose();
        SigningKey.Dispose();
    }

    private async Task BootstrapAsync(CancellationToken cancellationToken)
    {
        if (await Store.AuthPolicies.GetAsync(AuthPolicyRecord.DefaultId, cancellationToken) is null)
            await Store.AuthPolicies.CreateAsync(new AuthPolicyRecord { Id = AuthPolicyRecord.DefaultId, Name = "Default" }, cancellationToken);
        if (await Store.Identities.FindByNameAsync(AdminName, cancellationToken) is null)
        {
            RequireAdminPassword(Options, Options.DataDirectory);
            await Store.Identities.CreateAsync(new IdentityRecord
            {
                Id = SecretTokens.NewId(),
                Name = AdminName,
                Type = "User",
                IsAdmin = true,
                PasswordHash = PasswordHasher.Hash(Options.AdminPassword!, Options.PasswordIterations),
            }, cancellationToken);
        }
    }

    private static void Validate(ControllerOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory)) problems.Add("the controller needs a data directory (--data-dir)");
        if (options.PasswordIterations < 1) problems.Add($"PasswordIterations must be positive, not {options.PasswordIterations}");
        if (options.MaxRequestBodyBytes < 1024) problems.Add($"MaxRequestBodyBytes must be at least 1024, not {options.MaxRequestBodyBytes}");
        foreach (var (name, value) in new[]
                 {
                     (nameof(options.ApiSessionLifetime), options.ApiSessionLifetime),
                     (nameof(options.SessionTokenLifetime), options.SessionTokenLifetime),
                     (nameof(options.EnrollmentLifetime), options.EnrollmentLifetime),
                     (nameof(options.EnrolledCertificateLifetime), options.EnrolledCertificateLifetime),
                     (nameof(options.ApiSessionCertificateLifetime), options.ApiSessionCertificateLifetime),
                     (nameof(options.PurgeInterval), options.PurgeInterval),
                 })
        {
            if (value <= TimeSpan.Zero) problems.Add($"{name} must be positive, not {value}");
        }
        if (problems.Count > 0) throw new ZtConfigurationException("invalid controller options: " + string.Join("; ", problems));
    }

    private static void RequireAdminPassword(ControllerOptions options, string directory)
    {
        if (string.IsNullOrEmpty(options.AdminPassword))
            throw new ZtConfigurationException(
                $"the data directory '{directory}' holds no controller yet; set ZT_ADMIN_PASSWORD to the password of the 'admin' identity to create one");
    }

    private static async Task<byte[]> RequireSettingAsync(IControllerStore store, string key, CancellationToken cancellationToken) =>
        await store.GetSettingAsync(key, cancellationToken)
        ?? throw new ZtConfigurationException($"the controller database lacks '{key}'; it is damaged or from an incompatible version");
}
