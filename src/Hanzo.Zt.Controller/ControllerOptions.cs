namespace Hanzo.Zt.Controller;

/// <summary>How a controller runs: where it keeps state, where it listens, and the lifetimes it grants.</summary>
public sealed class ControllerOptions
{
    /// <summary>
    /// The directory holding the database (<c>controller.db</c>) and, unless a key is configured, <c>controller.key</c>.
    /// Required with the embedded store; unused when a shared one is chosen (<see cref="StoreDescription"/> is set).
    /// </summary>
    public string DataDirectory { get; set; } = "";

    // Opens a shared store (PostgreSQL, set by UsePostgreSql) that several controllers use at once; null keeps state in
    // the embedded SQLite database in DataDirectory. With a shared store MasterKey is required, the same for every
    // controller of the cluster. Internal: the store contract follows the schema, so stores ship with the controller.
    internal Func<ControllerOptions, Store.IControllerStore>? StoreFactory { get; set; }

    /// <summary>
    /// Where the shared store chosen with e.g. <c>UsePostgreSql</c> lives, for messages (never a password); null with the
    /// embedded store.
    /// </summary>
    public string? StoreDescription { get; internal set; }

    /// <summary>The HTTPS URL to listen on, e.g. <c>https://127.0.0.1:1280</c>; port 0 picks a free port.</summary>
    public string Url { get; set; } = "https://127.0.0.1:1280";

    /// <summary>The admin password used on first start (an empty data directory or shared store); required then, ignored after.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>The key that encrypts private keys at rest (see <c>ZT_CONTROLLER_KEY</c>); null uses <c>controller.key</c> in the data directory.</summary>
    public string? MasterKey { get; set; }

    /// <summary>Extra host names or addresses the TLS certificate names besides 127.0.0.1, ::1, localhost and the URL's host.</summary>
    public IList<string> AdditionalHostNames { get; } = [];

    /// <summary>The trust domain in SPIFFE URIs of issued certificates.</summary>
    public string TrustDomain { get; set; } = "hanzo.zt";

    /// <summary>PBKDF2-SHA256 iterations for new password hashes (tests lower it; stored hashes keep their own count).</summary>
    public int PasswordIterations { get; set; } = 600_000;

    /// <summary>How long an API session lives without use.</summary>
    public TimeSpan ApiSessionLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a session token is valid.</summary>
    public TimeSpan SessionTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an enrollment token is valid.</summary>
    public TimeSpan EnrollmentLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long certificates from enrollment are valid.</summary>
    public TimeSpan EnrolledCertificateLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How long certificates issued to an API session are valid.</summary>
    public TimeSpan ApiSessionCertificateLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Tolerated clock difference when checking external JWTs.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A signer's JWKS is fetched again when the cached copy is this old (a key the signer removed stops working
    /// within this interval); when it cannot be fetched then, its tokens are refused rather than checked with stale keys.
    /// </summary>
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Development mode: allows <c>http://</c> JWKS endpoints (never outside a development machine).</summary>
    public bool DevelopmentMode { get; set; }

    /// <summary>Failed password logins per username within <see cref="LoginThrottleWindow"/> before further attempts get 429.</summary>
    public int MaxFailedLoginsPerUser { get; set; } = 5;

    /// <summary>Failed password logins per source address within <see cref="LoginThrottleWindow"/> before further attempts get 429.</summary>
    public int MaxFailedLoginsPerAddress { get; set; } = 20;

    /// <summary>The window over which failed password logins are counted.</summary>
    public TimeSpan LoginThrottleWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A signer's JWKS is fetched again for an unknown key id at most this often.</summary>
    public TimeSpan JwksMinimumRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often expired API sessions, sessions, enrollment tokens and revocations are deleted.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Request bodies larger than this are refused with 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Whether request logs go to the console (the <c>zt</c> command turns this on).</summary>
    public bool ConsoleLogging { get; set; }

    /// <summary>
    /// The balance gate of Dial sessions (<c>zt controller run --billing</c>); null runs without billing: every dial
    /// is admitted and session tokens name no billing account.
    /// </summary>
    public Hanzo.Zt.Billing.BillingGate? BillingGate { get; set; }

    /// <summary>The clock; tests may replace it.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Creates the HTTP handler used to fetch external JWKS documents; tests may replace it.</summary>
    public Func<HttpMessageHandler>? JwksHttpHandlerFactory { get; set; }
}
