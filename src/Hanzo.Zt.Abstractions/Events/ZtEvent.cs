namespace Hanzo.Zt.Events;

/// <summary>Something that happened in a ZT context; observed through its <c>Events</c> stream.</summary>
/// <param name="Timestamp">When it happened.</param>
public abstract record ZtEvent(DateTimeOffset Timestamp);

/// <summary>An API session was established (first login, renewal or recovery).</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Identity">The identity name the controller reports.</param>
/// <param name="ExpiresAt">When the API session expires, if the controller said.</param>
public sealed record AuthenticatedEvent(DateTimeOffset Timestamp, string Identity, DateTimeOffset? ExpiresAt) : ZtEvent(Timestamp);

/// <summary>The controller in use could not be reached, and requests now go to another controller of the cluster.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Controller">The controller now in use.</param>
/// <param name="Reason">Why the earlier ones were left, for diagnostics.</param>
public sealed record ControllerChangedEvent(DateTimeOffset Timestamp, Uri Controller, string Reason) : ZtEvent(Timestamp);

/// <summary>A service became visible to this identity.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="ServiceId">The service id.</param>
/// <param name="ServiceName">The service name.</param>
public sealed record ServiceAvailableEvent(DateTimeOffset Timestamp, string ServiceId, string ServiceName) : ZtEvent(Timestamp);

/// <summary>A service is no longer visible to this identity.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="ServiceId">The service id.</param>
/// <param name="ServiceName">The service name.</param>
public sealed record ServiceRemovedEvent(DateTimeOffset Timestamp, string ServiceId, string ServiceName) : ZtEvent(Timestamp);

/// <summary>An edge router connection was established.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="RouterName">The router's name.</param>
/// <param name="Address">The address connected to.</param>
public sealed record RouterConnectedEvent(DateTimeOffset Timestamp, string RouterName, Uri Address) : ZtEvent(Timestamp);

/// <summary>An edge router connection was lost; it is re-established with backoff.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="RouterName">The router's name.</param>
/// <param name="Reason">Why, for diagnostics.</param>
public sealed record RouterDisconnectedEvent(DateTimeOffset Timestamp, string RouterName, string Reason) : ZtEvent(Timestamp);

/// <summary>A dial or bind session was created for a service.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="SessionId">The session id.</param>
/// <param name="ServiceName">The service name.</param>
/// <param name="IsBind"><see langword="true"/> for a bind (host) session, <see langword="false"/> for a dial.</param>
public sealed record SessionCreatedEvent(DateTimeOffset Timestamp, string SessionId, string ServiceName, bool IsBind) : ZtEvent(Timestamp);

/// <summary>A session ended.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="SessionId">The session id.</param>
/// <param name="ServiceName">The service name.</param>
/// <param name="Reason">Why it ended.</param>
public sealed record SessionClosedEvent(DateTimeOffset Timestamp, string SessionId, string ServiceName, string Reason) : ZtEvent(Timestamp);

/// <summary>The balance gate allowed a dial.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Account">The account checked.</param>
/// <param name="Available">The available balance in cents.</param>
public sealed record BillingOkEvent(DateTimeOffset Timestamp, string Account, long Available) : ZtEvent(Timestamp);

/// <summary>The balance gate refused a dial, or the billing provider failed.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Account">The account checked.</param>
/// <param name="ErrorCode"><see cref="ZtErrorCode.InsufficientBalance"/> or <see cref="ZtErrorCode.Billing"/>.</param>
/// <param name="Message">What went wrong.</param>
public sealed record BillingFailedEvent(DateTimeOffset Timestamp, string Account, ZtErrorCode ErrorCode, string Message) : ZtEvent(Timestamp);

/// <summary>
/// A bind of <paramref name="ServiceName"/> was confirmed by the router at <paramref name="Router"/>: dials through that
/// router now reach this host. Raised for the first bind and for every bind renewed after a router comes back.
/// </summary>
public sealed record ServiceBoundEvent(DateTimeOffset Timestamp, string ServiceName, Uri Router) : ZtEvent(Timestamp);
