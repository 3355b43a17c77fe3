using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Hanzo.Zt.NatTraversal.HolePunch;

/// <summary>One punch attempt for one connection: its sockets, what the peer said, and which probe was answered.</summary>
internal sealed partial class Punch(NatSession session, HolePunchOptions options, ILogger logger) : IAsyncDisposable
{
    private readonly byte[] _key = session.Key.ToArray();
    private readonly List<Socket> _sockets = [];
    private readonly ConcurrentDictionary<ulong, (Socket Socket, IPEndPoint From)> _acked = new();
    private readonly TaskCompletionSource<(Socket Socket, IPEndPoint From, ulong Transaction)> _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<(List<NatCandidate> Candidates, bool Hard)> _peer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ulong> _nominated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private List<NatCandidate> _peerCandidates = [];

    public async Task<INatPath?> RunAsync(CancellationToken cancellationToken)
    {
        var main = Open();
        int localPort = ((IPEndPoint)main.LocalEndPoint!).Port;
        var reflexive = session.Reflector is { } reflector ? await ReflectAsync(main, reflector, cancellationToken).ConfigureAwait(false) : null;
        var candidates = CandidateMessage.HostAddresses().Select(a => new NatCandidate(NatCandidateKind.Host, new IPEndPoint(a, localPort), 50)).ToList();
        if (reflexive is not null)
        {
            candidates.Insert(0, new NatCandidate(NatCandidateKind.ServerReflexive, reflexive, 100));
        }

        // A NAT that kept the port is taken as endpoint-independent; one that changed it may map per destination.
        bool hard = reflexive is not null && reflexive.Port != localPort;
        _ = Task.Run(() => ReadSignalsAsync(_stop.Token));
        await session.Signal.SendAsync(CandidateMessage.Encode(candidates, hard), cancellationToken).ConfigureAwait(false);
        var (peerCandidates, peerHard) = await _peer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        _peerCandidates = peerCandidates;
        var peerReflexive = peerCandidates.FirstOrDefault(c => c.Kind == NatCandidateKind.ServerReflexive)?.EndPoint;
        LogCandidates(logger, session.SessionId, reflexive?.ToString() ?? "none", hard, peerReflexive?.ToString() ?? "none", peerHard);

        Receive(main);
        var extra = new List<Socket>();
        if (hard && !peerHard && peerReflexive is not null)
        {
            for (int i = 0; i < options.HardSideSockets; i++)
            {
                var socket = Open();
                extra.Add(socket);
                Receive(socket);
            }
        }

        bool spray = peerHard && !hard && peerReflexive is not null;
        Task chosen = session.IsInitiator ? _answered.Task : _nominated.Task;
        for (int round = 0; !chosen.IsCompleted; round++)
        {
            foreach (var candidate in peerCandidates)
            {
                SendProbe(main, candidate.EndPoint);
            }

            if (round % 3 == 0)
            {
                foreach (var socket in extra)
                {
                    SendProbe(socket, peerReflexive!);
                }
            }

            if (spray)
            {
                for (int i = 0; i < options.GuessesPerRound; i++)
                {
                    SendProbe(main, new IPEndPoint(peerReflexive!.Address, RandomNumberGenerator.GetInt32(1024, 65536)));
                }
            }

            await Task.WhenAny(chosen, Task.Delay(options.ProbeInterval, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        return session.IsInitiator ? await OpenInitiatorAsync(cancellationToken).ConfigureAwait(false) : await OpenResponderAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<INatPath?> OpenInitiatorAsync(CancellationToken cancellationToken)
    {
        var (socket, from, transaction) = await _answered.Task.ConfigureAwait(false);
        int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        await session.Signal.SendAsync(CandidateMessage.EncodeNominate(transaction), cancellationToken).ConfigureAwait(false);
        CloseSockets();
        LogProven(logger, session.SessionId, from);
        return await UdpStreamPath.OpenAsync(port, from, KindOf(from), ProbePacket.StreamKey(_key), initiator: true, options, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
    }

    private async Task<INatPath?> OpenResponderAsync(CancellationToken cancellationToken)
    {
        ulong transaction = await _nominated.Task.ConfigureAwait(false);
        if (!_acked.TryGetValue(transaction, out var pair))
        {
            return null;
        }

        int port = ((IPEndPoint)pair.Socket.LocalEndPoint!).Port;
        CloseSockets();
        LogProven(logger, session.SessionId, pair.From);
        return await UdpStreamPath.OpenAsync(port, pair.From, KindOf(pair.From), ProbePacket.StreamKey(_key), initiator: false, options, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
    }

    private NatCandidateKind KindOf(IPEndPoint endPoint) =>
        _peerCandidates.FirstOrDefault(c => c.EndPoint.Equals(endPoint))?.Kind ?? NatCandidateKind.PeerReflexive;

    public async Task GiveUpAsync()
    {
        try
        {
            await session.Signal.SendAsync(new[] { CandidateMessage.GiveUp }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or ZtException)
        {
        }
    }

    private async Task ReadSignalsAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var message = await session.Signal.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                var span = message.Span;
                if (span.IsEmpty)
                {
                    continue;
                }

                switch (span[0])
                {
                    case CandidateMessage.Candidates when CandidateMessage.TryDecode(span, out var candidates, out var hard):
                        _peer.TrySetResult((candidates, hard));
                        break;
                    case CandidateMessage.Nominate when span.Length == 9:
                        _nominated.TrySetResult(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(span[1..]));
                        break;
                    case CandidateMessage.GiveUp:
                        var gone = new OperationCanceledException("the peer gave up punching");
                        _peer.TrySetException(gone);
                        _nominated.TrySetException(gone);
                        _answered.TrySetException(gone);
                        return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException or ObjectDisposedException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        CloseSockets();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
