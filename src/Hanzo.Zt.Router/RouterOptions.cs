namespace Hanzo.Zt.Router;

/// <summary>Settings of an edge router.</summary>
public sealed class RouterOptions
{
    /// <summary>Where the router keeps its key, certificate and the controller's CA.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>The edge listener, <c>tls://host:port</c> (port 0 picks a free one).</summary>
    public Uri Listen { get; set; } = new("tls://127.0.0.1:3022");

    /// <summary>The controller's URL; taken from the enrollment token when not set.</summary>
    public Uri? ControllerUrl { get; set; }

    /// <summary>
    /// The controllers of a cluster, tried in order: when the one in use cannot be reached, keys and revocations are
    /// fetched from the next. When empty, <see cref="ControllerUrl"/> (or the enrollment token's controller) alone.
    /// </summary>
    public IList<Uri> ControllerUrls { get; } = [];

    /// <summary>A router enrollment token (erott JWT), needed on the first start only.</summary>
    public string? EnrollmentJwt { get; set; }

    /// <summary>How often revocations and signing keys are fetched from the controller.</summary>
    public TimeSpan ControllerPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most services one edge link may bind at once.</summary>
    public int MaxBindsPerLink { get; set; } = 64;

    /// <summary>The most circuits (open or pending) one edge link may dial at once.</summary>
    public int MaxCircuitsPerLink { get; set; } = 1024;

    /// <summary>The most circuits one Dial session token may have open at once (a token is not a licence to flood).</summary>
    public int MaxCircuitsPerSession { get; set; } = 256;

    /// <summary>A dial the host has not answered within this time fails, and its state is dropped.</summary>
    public TimeSpan PendingDialTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Where every circuit's usage goes when it ends (bytes each way and duration, priced and written to a durable
    /// outbox), charged to the billing account in the dialer's session token; null does not meter. Delivery of the
    /// outbox to the billing provider is the host's (<c>zt router run --billing</c> runs it).
    /// </summary>
    public Hanzo.Zt.Billing.UsageMeter? UsageMeter { get; set; }

    /// <summary>
    /// How often the usage of open circuits is checkpointed into the outbox (default 10 s; zero turns checkpoints
    /// off). A router that is killed loses at most this much of its open circuits' usage: each checkpoint is a
    /// record of its own (a deterministic request id per circuit and checkpoint), and the record written when the
    /// circuit ends carries only the rest. Circuits that carried nothing billable since their last record are skipped.
    /// </summary>
    public TimeSpan UsageCheckpointInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sees every payload byte the router relays, before it is forwarded. For diagnostics and tests that check
    /// the router only ever holds ciphertext; null (the default) costs nothing.
    /// </summary>
    public Action<ReadOnlyMemory<byte>>? RelayObserver { get; set; }
}
