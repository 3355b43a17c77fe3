using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Hanzo.Zt.Capnp;
using Hanzo.Zt.Zap.Protocol;

namespace Hanzo.Zt.Zap.Tests;

/// <summary>A peer that writes raw frames: whatever it sends, the server ends cleanly or answers with an error.</summary>
public sealed class HostileInputTests
{
    [Fact]
    public async Task A_garbage_frame_is_answered_with_Abort_and_the_connection_closes()
    {
        await using var server = await Server.StartAsync();
        await using var peer = await RawPeer.ConnectAsync(server.Port);

        byte[] garbage = [0xff, 0xff, 0xff, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8];
        await peer.SendFrameAsync(garbage);

        (await peer.ReadAbortAsync()).ShouldContain("malformed");
        (await server.ClosedAsync()).ShouldBeOfType<ZapProtocolException>();
    }

    [Fact]
    public async Task A_zero_length_frame_is_refused()
    {
        await using var server = await Server.StartAsync();
        await using var peer = await RawPeer.ConnectAsync(server.Port);

        await peer.SendRawAsync([0, 0, 0, 0]);

        (await peer.ReadAbortAsync()).ShouldContain("zero-length");
    }

    [Fact]
    public async Task An_oversize_frame_is_refused_from_its_header_alone()
    {
        await using var server = await Server.StartAsync();
        await using var peer = await RawPeer.ConnectAsync(server.Port);
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, ZapConnectionOptions.DefaultMaxMessageBytes + 1);

        await peer.SendRawAsync(header);

        (await peer.ReadAbortAsync()).ShouldContain("limit");
    }

    [Fact]
    public async Task A_Return_for_a_question_never_asked_aborts_the_connection()
    {
        await using var server = await Server.StartAsync();
        await using var peer = await RawPeer.ConnectAsync(server.Port);
        using var message = RpcCodec.NewMessage(RpcMessageKind.Return, Rpc.Return.DataWords, Rpc.Return.Pointers, out var body);
        body.WriteUInt32(Rpc.Return.AnswerId, 99);
        body.WriteUInt16(Rpc.Return.Tag, Rpc.Return.Canceled);

        await peer.SendAsync(message);

        (await peer.ReadAbortAsync()).ShouldContain("question 99");
    }

    [Fact]
    public async Task A_call_to_a_capability_that_is_not_exported_fails_and_the_connection_stays_up()
    {
        await using var server = await Server.StartAsync();
        await using var peer = await RawPeer.ConnectAsync(server.Port);

        await peer.SendAsync(RawPeer.Call(questionId: 0, importedCap: 12345));
        using (var reply = await peer.ReadAsync())
        {
            var body = Body(reply, RpcMessageKind.Return);
            body.ReadUInt16(Rpc.Return.Tag).ShouldBe(Rpc.Return.Exception);
            body.ReadStruct(Rpc.Return.Body).ReadText(Rpc.Exception.Reason).ShouldContain("12345");
        }

        using var bootstrap = RpcCodec.NewMessage(RpcMessageKind.Bootstrap, Rpc.Bootstrap.DataWords, Rpc.Bootstrap.Pointers, out var bootstrapBody);
        bootstrapBody.WriteUInt32(Rpc.Bootstrap.QuestionId, 1);
        await peer.SendAsync(bootstrap);
        using var answer = await peer.ReadAsync();
        Body(answer, RpcMessageKind.Return).ReadUInt16(Rpc.Return.Tag).ShouldBe(Rpc.Return.Results);
    }

    [Fact]
    public async Task A_call_whose_target_pointer_leaves_the_segment_aborts_the_connection()
    {
        await using var server = await Server.StartAsync();
        await using var peer = await RawPeer.ConnectAsync(server.Port);
        using var message = RawPeer.Call(questionId: 0, importedCap: 0);
        var segment = message.GetSegment(0).ToArray();

        // The Call's target pointer (its first pointer) now claims a struct far past the segment's end.
        // Word 0 is the root pointer, word 1 the Message's union tag, word 2 its pointer to the Call.
        int callOffset = BinaryPrimitives.ReadInt32LittleEndian(segment.AsSpan(16)) >> 2;
        int targetPointer = 8 * (3 + callOffset + Rpc.Call.DataWords);
        BinaryPrimitives.WriteUInt64LittleEndian(segment.AsSpan(targetPointer), (0x0001_0001UL << 32) | ((uint)100_000 << 2));

        await peer.SendFrameAsync([.. RawPeer.SegmentTable(segment.Length), .. segment]);

        (await peer.ReadAbortAsync()).ShouldContain("malformed");
    }

    [Fact]
    public async Task An_unknown_message_kind_is_echoed_as_Unimplemented()
    {
        await using var server = await Server.StartAsync();
        await using var peer = await RawPeer.ConnectAsync(server.Port);
        using var message = new MessageBuilder();
        message.InitRoot(Rpc.Message.DataWords, Rpc.Message.Pointers).WriteUInt16(Rpc.Message.Tag, 77);

        await peer.SendAsync(message);

        using var reply = await peer.ReadAsync();
        var root = reply.GetRoot();
        ((RpcMessageKind)root.ReadUInt16(Rpc.Message.Tag)).ShouldBe(RpcMessageKind.Unimplemented);
        root.ReadStruct(Rpc.Message.Body).ReadUInt16(Rpc.Message.Tag).ShouldBe((ushort)77);
    }

    [Fact]
    public async Task A_peer_that_stops_reading_is_cut_off_instead_of_buffered_without_bound()
    {
        await using var server = await Server.StartAsync(new ZapConnectionOptions { MaxPendingSendBytes = 4 * 1024 * 1024, MaxMessageBytes = 2 * 1024 * 1024, SendStallTimeout = TimeSpan.FromSeconds(2) });
        await using var peer = await RawPeer.ConnectAsync(server.Port);
        using var bootstrap = RpcCodec.NewMessage(RpcMessageKind.Bootstrap, Rpc.Bootstrap.DataWords, Rpc.Bootstrap.Pointers, out var bootstrapBody);
        bootstrapBody.WriteUInt32(Rpc.Bootstrap.QuestionId, 0);
        await peer.SendAsync(bootstrap);

        // Ask for 1 MiB results 200 times, and never read a byte of them.
        for (uint q = 1; q <= 200; q++)
        {
            using var call = RawPeer.Call(q, promisedAnswer: 0, TestService.Big, p => p.WriteUInt32(0, 1024 * 1024));
            if (!await peer.TrySendAsync(call))
            {
                break;
            }
        }

        var reason = await server.ClosedAsync();
        reason.Message.ShouldContain("not reading");
    }

    [Fact]
    public async Task A_WebSocket_peer_that_stops_reading_is_cut_off_and_its_socket_let_go()
    {
        await using var server = await Server.StartAsync(new ZapConnectionOptions { MaxPendingSendBytes = 4 * 1024 * 1024, MaxMessageBytes = 2 * 1024 * 1024, SendStallTimeout = TimeSpan.FromSeconds(2) }, "ws://127.0.0.1:0/zap");
        using var peer = new ClientWebSocket();
        await peer.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Port}/zap"), CancellationToken.None);
        using var bootstrap = RpcCodec.NewMessage(RpcMessageKind.Bootstrap, Rpc.Bootstrap.DataWords, Rpc.Bootstrap.Pointers, out var bootstrapBody);
        bootstrapBody.WriteUInt32(Rpc.Bootstrap.QuestionId, 0);
        await peer.SendAsync(RawPeer.Frame(bootstrap), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

        // Each ZAP frame is one binary message; ask for 1 MiB results and never read a byte of them.
        for (uint q = 1; q <= 200; q++)
        {
            using var call = RawPeer.Call(q, promisedAnswer: 0, TestService.Big, p => p.WriteUInt32(0, 1024 * 1024));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await peer.SendAsync(RawPeer.Frame(call), WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                break;
            }
        }

        (await server.ClosedAsync()).Message.ShouldContain("not reading");

        // The server let go of the socket: reading what it sent before ends in the connection's end, not a wait.
        if (peer.State == WebSocketState.Open)
        {
            using var guard = new CancellationTokenSource(Loopback.Guard);
            var buffer = new byte[1024 * 1024];
            try
            {
                while ((await peer.ReceiveAsync(buffer, guard.Token)).MessageType != WebSocketMessageType.Close)
                {
                }
            }
            catch (WebSocketException)
            {
                // Cut off rather than closed: the server dropped what the peer would not read.
            }
        }
    }

    private static StructReader Body(MessageReader message, RpcMessageKind expected)
    {
        var kind = RpcCodec.ReadKind(message.GetRoot(), out var body);
        kind.ShouldBe(expected);
        return body;
    }

    private sealed class Server : IAsyncDisposable
    {
        private readonly TaskCompletionSource<Exception> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ZapListener _listener = null!;

        public int Port => ((IPEndPoint)_listener.EndPoint).Port;

        public static async Task<Server> StartAsync(ZapConnectionOptions? options = null, string endpoint = "tcp://127.0.0.1:0")
        {
            var server = new Server();
            using var bootstrap = ZapCapability.FromServer(new TestService());
            server._listener = await ZapListener.BindAsync(new Uri(endpoint), bootstrap, options);
            server._listener.ConnectionClosed += c => server._closed.TrySetResult(c.CloseReason!);
            return server;
        }

        public Task<Exception> ClosedAsync() => _closed.Task.WaitAsync(Loopback.Guard);

        public ValueTask DisposeAsync() => _listener.DisposeAsync();
    }

    private sealed class RawPeer : IAsyncDisposable
    {
        private readonly Socket _socket;
        private readonly NetworkStream _stream;

        private RawPeer(Socket socket)
        {
            _socket = socket;
            _stream = new NetworkStream(socket, ownsSocket: true);
        }

        public static async Task<RawPeer> ConnectAsync(int port)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 64 * 1024 };
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return new RawPeer(socket);
        }

        public static byte[] SegmentTable(int segmentBytes)
        {
            var table = new byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4), (uint)(segmentBytes / 8));
            return table;
        }

        public static MessageBuilder Call(uint questionId, uint importedCap)
        {
            var message = RpcCodec.NewMessage(RpcMessageKind.Call, Rpc.Call.DataWords, Rpc.Call.Pointers, out var body);
            body.WriteUInt32(Rpc.Call.QuestionId, questionId);
            body.WriteUInt64(Rpc.Call.InterfaceId, TestService.Id);
            body.WriteUInt16(Rpc.Call.MethodId, TestService.Add);
            body.InitStruct(Rpc.Call.Target, Rpc.MessageTarget.DataWords, Rpc.MessageTarget.Pointers).WriteUInt32(Rpc.MessageTarget.ImportedCap, importedCap);
            body.InitStruct(Rpc.Call.Params, Rpc.Payload.DataWords, Rpc.Payload.Pointers).GetPointer(Rpc.Payload.Content).InitStruct(1, 0);
            return message;
        }

        public static MessageBuilder Call(uint questionId, uint promisedAnswer, ushort method, Action<StructBuilder> build)
        {
            var message = RpcCodec.NewMessage(RpcMessageKind.Call, Rpc.Call.DataWords, Rpc.Call.Pointers, out var body);
            body.WriteUInt32(Rpc.Call.QuestionId, questionId);
            body.WriteUInt64(Rpc.Call.InterfaceId, TestService.Id);
            body.WriteUInt16(Rpc.Call.MethodId, method);
            var target = body.InitStruct(Rpc.Call.Target, Rpc.MessageTarget.DataWords, Rpc.MessageTarget.Pointers);
            target.WriteUInt16(Rpc.MessageTarget.Tag, Rpc.MessageTarget.Promised);
            RpcCodec.WritePromisedAnswer(target.InitStruct(Rpc.MessageTarget.PromisedAnswer, 1, 1), promisedAnswer, []);
            build(body.InitStruct(Rpc.Call.Params, Rpc.Payload.DataWords, Rpc.Payload.Pointers).GetPointer(Rpc.Payload.Content).InitStruct(1, 0));
            return message;
        }

        public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

        public Task SendFrameAsync(byte[] payload)
        {
            var frame = new byte[4 + payload.Length];
            BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
            payload.CopyTo(frame, 4);
            return SendRawAsync(frame);
        }

        public Task SendAsync(MessageBuilder message) => SendFrameAsync(MessageSerializer.ToArray(message));

        /// <summary>The message with its ZAP length prefix, as one frame.</summary>
        public static byte[] Frame(MessageBuilder message)
        {
            var bytes = MessageSerializer.ToArray(message);
            var frame = new byte[4 + bytes.Length];
            BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)bytes.Length);
            bytes.CopyTo(frame, 4);
            return frame;
        }

        public async Task<bool> TrySendAsync(MessageBuilder message)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _stream.WriteAsync(Frame(message), timeout.Token);
                return true;
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                return false;
            }
        }

        public async Task<MessageReader> ReadAsync()
        {
            using var guard = new CancellationTokenSource(Loopback.Guard);
            var header = new byte[4];
            await _stream.ReadExactlyAsync(header, guard.Token);
            var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header)];
            await _stream.ReadExactlyAsync(payload, guard.Token);
            return MessageSerializer.Read(payload);
        }

        /// <summary>Reads until the server's Abort; returns its reason. Fails if the stream ends first.</summary>
        public async Task<string> ReadAbortAsync()
        {
            while (true)
            {
                using var message = await ReadAsync();
                if (RpcCodec.ReadKind(message.GetRoot(), out var body) == RpcMessageKind.Abort)
                {
                    return body.ReadText(Rpc.Exception.Reason);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stream.DisposeAsync();
            _socket.Dispose();
        }
    }
}
