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
        var (store, location, masterKey) = OpenStore(options);
        try
        {
            try
            {
                await store.MigrateAsync(cancellationToken);
            }
            catch (System.Data.Common.DbException e)
            {
                throw new ZtConfigurationException($"the controller store ({location}) cannot be opened: {e.Message}", e);
            }
            var keys = await LoadKeysAsync(store, masterKey, location, options, cancellationToken);
            if (keys is null)
            {
                RequireAdminPassword(options, location);
                keys = CreateKeys(masterKey, options);
                // Of several controllers starting on one empty database, one stores its keys; the others load them.
                if (!await store.TryAddSettingsAsync(keys.Value.Settings, cancellationToken))
                {
                    keys.Value.Ca.Dispose();
                    keys.Value.SigningKey.Dispose();
                    keys = await LoadKeysAsync(store, masterKey, location, options, cancellationToken)
                        ?? throw new ZtConfigurationException($"the controller store at {location} holds part of a CA; it is damaged");
                }
            }

            var state = new ControllerState(options, store, keys.Value.Ca, keys.Value.SigningKey, keys.Value.KeyId);
            await state.BootstrapAsync(location, cancellationToken);
            return state;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    private static (IControllerStore Store, string Location, MasterKey Key) OpenStore(ControllerOptions options)
    {
        if (options.StoreFactory is { } factory)
        {
            var location = options.StoreDescription ?? "the shared store";
            if (string.IsNullOrEmpty(options.MasterKey))
                throw new ZtConfigurationException(
                    $"controllers sharing {location} need the controller key from {MasterKey.EnvironmentVariable}, the same for every controller of the cluster");
            return (factory(options), location, MasterKey.Resolve(options.MasterKey, dataDirectory: null));
        }

        var directory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(directory);
        var databasePath = Path.Combine(directory, DatabaseFileName);
        if (!File.Exists(databasePath)) RequireAdminPassword(options, $"'{directory}'");
        return (new SqliteControllerStore(databasePath, options.TimeProvider), $"'{directory}'", MasterKey.Resolve(options.MasterKey, directory));
    }

    private record struct Keys(CertificateAuthority Ca, ECDsa SigningKey, string KeyId, IReadOnlyDictionary<string, byte[]> Settings);

    private static Keys CreateKeys(MasterKey masterKey, ControllerOptions options)
    {
        var ca = CertificateAuthority.Create(options.TrustDomain, options.TimeProvider.GetUtcNow());
        var signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyId = Convert.ToHexStringLower(SHA256.HashData(signingKey.ExportSubjectPublicKeyInfo()))[..16];
        return new Keys(ca, signingKey, keyId, new Dictionary<string, byte[]>
        {
            ["signing.key"] = masterKey.Encrypt(signingKey.ExportPkcs8PrivateKey(), "signing.key"),
            ["signing.kid"] = Encoding.UTF8.GetBytes(keyId),
            ["ca.key"] = masterKey.Encrypt(ca.ExportPrivateKey(), "ca.key"),
            ["ca.certificate"] = Encoding.UTF8.GetBytes(ca.CertificatePem),
        });
    }

    private static async Task<Keys?> LoadKeysAsync(IControllerStore store, MasterKey masterKey, string location, ControllerOptions options, CancellationToken cancellationToken)
    {
        var caPem = await store.GetSettingAsync("ca.certificate", cancellationToken);
        if (caPem is null) return null;
        try
        {
            var caKey = masterKey.Decrypt(await RequireSettingAsync(store, "ca.key", cancellationToken), "ca.key");
            var ca = CertificateAuthority.Load(Encoding.UTF8.GetString(caPem), caKey, options.TrustDomain);
            CryptographicOperations.ZeroMemory(caKey);
            var signingKey = ECDsa.Create();
            signingKey.ImportPkcs8PrivateKey(masterKey.Decrypt(await RequireSettingAsync(store, "signing.key", cancellationToken), "signing.key"), out _);
            var keyId = Encoding.UTF8.GetString(await RequireSettingAsync(store, "signing.kid", cancellationToken));
            return new Keys(ca, signingKey, keyId, new Dictionary<string, byte[]>());
        }
        catch (CryptographicException e)
        {
            throw new ZtConfigurationException(
                $"the controller key from {masterKey.Source} does not decrypt the keys in {location}; use the key the store was created with ({MasterKey.EnvironmentVariable} or its {MasterKey.FileName})", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Ca.Dispose();
        SigningKey.Dispose();
    }

    private async Task BootstrapAsync(string location, CancellationToken cancellationToken)
    {
        // Another controller starting on the same database may create them first: a duplicate means done.
        try
        {
            if (await Store.AuthPolicies.GetAsync(AuthPolicyRecord.DefaultId, cancellationToken) is null)
                await Store.AuthPolicies.CreateAsync(new AuthPolicyRecord { Id = AuthPolicyRecord.DefaultId, Name = "Default" }, cancellationToken);
        }
        catch (StoreDuplicateException)
        {
        }
        if (await Store.Identities.FindByNameAsync(AdminName, cancellationToken) is null)
        {
            RequireAdminPassword(Options, location);
            try
            {
                await Store.Identities.CreateAsync(new IdentityRecord
                {
                    Id = SecretTokens.NewId(),
                    Name = AdminName,
                    Type = "User",
                    IsAdmin = true,
                    PasswordHash = PasswordHasher.Hash(Options.AdminPassword!, Options.PasswordIterations),
                }, cancellationToken);
            }
            catch (StoreDuplicateException)
            {
            }
        }
    }

    private static void Validate(ControllerOptions options)
    {
        var problems = new List<string>();
        if (options.StoreFactory is null && string.IsNullOrWhiteSpace(options.DataDirectory)) problems.Add("the controller needs a data directory (--data-dir)");
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

    private static void RequireAdminPassword(ControllerOptions options, string location)
    {
        if (string.IsNullOrEmpty(options.AdminPassword))
            throw new ZtConfigurationException(
                $"{(location.StartsWith('\'') ? "the data directory " : "")}{location} holds no controller yet; set ZT_ADMIN_PASSWORD to the password of the 'admin' identity to create one");
    }

    private static async Task<byte[]> RequireSettingAsync(IControllerStore store, string key, CancellationToken cancellationToken) =>
        await store.GetSettingAsync(key, cancellationToken)
        ?? throw new ZtConfigurationException($"the controller database lacks '{key}'; it is damaged or from an incompatible version");
}
