using System.Net;
using Hanzo.Zt.Transport;
using Microsoft.AspNetCore.Connections;

namespace Hanzo.Zt.Tests;

/// <summary>A transport for the <c>mem</c> scheme that records the endpoints it was asked for.</summary>
internal sealed class RecordingTransport : IZtTransport
{
    public List<EndPoint> Connected { get; } = [];

    public IReadOnlyCollection<string> Schemes { get; } = ["mem"];

    public ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        Connected.Add(endpoint);
        return ValueTask.FromException<ConnectionContext>(new ConnectionAbortedException("nothing listens in memory"));
    }

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<IConnectionListener>(new NotSupportedException("mem does not listen"));
}
