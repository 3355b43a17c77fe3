using System.Text;
using Hanzo.Zt.Fabric;

namespace Hanzo.Zt.IntegrationTests;

public sealed class DialTests(FabricFixture fabric) : IClassFixture<FabricFixture>
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_dial_reaches_the_host_that_bound_the_service_and_bytes_come_back()
    {
        var setup = await fabric.CreateServiceAsync("echo");
        await using var host = ZtContext.FromIdentityFile(setup.HostIdentity);
        await using var listener = await host.ListenAsync(setup.Service).WaitAsync(Guard);
        _ = Echo.ServeAsync(listener);
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity);

        await using var connection = await client.DialAsync(setup.Service).WaitAsync(Guard);
        var message = Encoding.UTF8.GetBytes("hello through the fabric");
        await connection.WriteAsync(message);
        var echoed = new byte[message.Length];
        await connection.ReadExactlyAsync(echoed).AsTask().WaitAsync(Guard);

        echoed.ShouldBe(message);
        connection.PeerIdentity.ShouldBe(setup.HostId);
    }

    [Fact]
    public async Task Disposing_a_connection_whose_peer_stopped_reading_ends_its_stuck_write_and_returns()
    {
        await using var ends = await UnreadAsync("stuck");
        var (connection, peer) = (ends.Connection, ends.Peer);

        // Write until the windows between the two are full and a write waits for a reader that never comes.
        var chunk = new byte[256 * 1024];
        Task write;
        using (var guard = new CancellationTokenSource(Guard))
        {
            while (await Task.WhenAny(write = connection.WriteAsync(chunk).AsTask(), Task.Delay(TimeSpan.FromSeconds(2))) == write)
            {
                await write;
                guard.Token.ThrowIfCancellationRequested();
            }
        }

        await connection.DisposeAsync().AsTask().WaitAsync(Guard);

        // Cut short by the disposal, not left waiting: the connection is closed, and the error says so.
        var failure = await Should.ThrowAsync<ZtConnectionException>(write.WaitAsync(Guard));
        failure.ErrorCode.ShouldBe(ZtErrorCode.ConnectionClosed);

        // The peer reads what arrived, then learns the connection was aborted: not a clean end that hides lost bytes.
        var drained = Should.ThrowAsync<ZtConnectionException>(peer.CopyToAsync(Stream.Null).WaitAsync(Guard));
        (await drained).ErrorCode.ShouldBe(ZtErrorCode.ConnectionClosed);
    }

    [Fact]
    public async Task Blocking_writes_and_reads_on_threads_of_their_own_get_every_byte_back_in_order()
    {
        var setup = await fabric.CreateServiceAsync("blocking");
        await using var host = ZtContext.FromIdentityFile(setup.HostIdentity);
        await using var listener = await host.ListenAsync(setup.Service).WaitAsync(Guard);
        _ = Echo.ServeAsync(listener);
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity);
        await using var connection = await client.DialAsync(setup.Service).WaitAsync(Guard);

        // More than the windows between the two hold, so the writes wait for credit as the echo comes back.
        var payload = new byte[12 * 1024 * 1024];
        new Random(3).NextBytes(payload);
        const int Chunk = 256 * 1024;
        var writing = Task.Factory.StartNew(
            () =>
            {
                for (int at = 0; at < payload.Length; at += Chunk)
                {
                    connection.Write(payload, at, Chunk);
                }

                connection.Flush();
            },
            TaskCreationOptions.LongRunning);
        var back = new byte[payload.Length];
        var reading = Task.Factory.StartNew(
            () =>
            {
                // In runs, as zt dial reads: a blocking read, then more while the connection has bytes ready.
                int received = 0;
                while (received < back.Length)
                {
                    do
                    {
                        int n = connection.Read(back, received, Math.Min(64 * 1024, back.Length - received));
                        n.ShouldBeGreaterThan(0, "the echo ended early");
                        received += n;
                    }
                    while (received < back.Length && connection.DataAvailable);
                }
            },
            TaskCreationOptions.LongRunning);
        await reading.WaitAsync(TimeSpan.FromMinutes(2));
        await writing.WaitAsync(Guard);

        back.AsSpan().CommonPrefixLength(payload).ShouldBe(payload.Length);
        connection.BytesSent.ShouldBe(payload.Length);
        connection.BytesReceived.ShouldBe(payload.Length);
        connection.DataAvailable.ShouldBeFalse("everything echoed was read");
    }

    [Fact]
    public async Task Disposing_a_connection_ends_a_blocking_write_stuck_on_a_peer_that_stopped_reading()
    {
        await using var ends = await UnreadAsync("stuck-blocking");
        var (connection, peer) = (ends.Connection, ends.Peer);

        // Blocking writes until the windows between the two are full and one waits for a reader that never comes.
        long written = 0;
        var writing = Task.Factory.StartNew(
            () =>
            {
                var chunk = new byte[256 * 1024];
                while (true)
                {
                    connection.Write(chunk, 0, chunk.Length);
                    Interlocked.Add(ref written, chunk.Length);
                }
            },
            TaskCreationOptions.LongRunning);
        using (var guard = new CancellationTokenSource(Guard))
        {
            long seen;
            do
            {
                seen = Interlocked.Read(ref written);
                await Task.Delay(TimeSpan.FromSeconds(2), guard.Token);
            }
            while (Interlocked.Read(ref written) != seen || seen == 0);
        }

        writing.IsCompleted.ShouldBeFalse();
        await connection.DisposeAsync().AsTask().WaitAsync(Guard);

        var failure = await Should.ThrowAsync<ZtConnectionException>(writing.WaitAsync(Guard));
        failure.ErrorCode.ShouldBe(ZtErrorCode.ConnectionClosed);
    }

    [Fact]
    public async Task Sixty_four_parallel_streams_each_get_their_own_bytes_back()
    {
        var setup = await fabric.CreateServiceAsync("parallel");
        await using var host = ZtContext.FromIdentityFile(setup.HostIdentity);
        await using var listener = await host.ListenAsync(setup.Service).WaitAsync(Guard);
        _ = Echo.ServeAsync(listener);
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity);

        var streams = Enumerable.Range(0, 64).Select(async i =>
        {
            await using var connection = await client.DialAsync(setup.Service);
            var payload = new byte[64 * 1024];
            new Random(i).NextBytes(payload);
            var writing = Task.Run(async () =>
            {
                await connection.WriteAsync(payload);
                await connection.CloseWriteAsync();
            });
            var got = new byte[payload.Length];
            int read = 0;
            while (read < got.Length)
            {
                int n = await connection.ReadAsync(got.AsMemory(read));
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            await writing;
            (await connection.ReadAsync(new byte[1])).ShouldBe(0, "the echo ends when the host has sent everything back");
            Array.Resize(ref got, read);
            int mismatch = got.AsSpan().CommonPrefixLength(payload);
            return got.Length == payload.Length && mismatch == payload.Length ? "ok" : $"{got.Length} bytes back, first difference at {mismatch}";
        });

        (await Task.WhenAll(streams).WaitAsync(TimeSpan.FromMinutes(2))).ShouldAllBe(result => result == "ok");
    }

    [Fact]
    public async Task A_gibibyte_arrives_intact_checked_by_hash()
    {
        var setup = await fabric.CreateServiceAsync("bulk");
        await using var host = ZtContext.FromIdentityFile(setup.HostIdentity);
        await using var listener = await host.ListenAsync(setup.Service).WaitAsync(Guard);
        var received = Task.Run(async () =>
        {
            await using var connection = await listener.AcceptAsync();
            return await StreamDigest.ReadToEndAsync(connection);
        });
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity);
        await using var connection = await client.DialAsync(setup.Service).WaitAsync(Guard);

        using var sent = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var chunk = new byte[1024 * 1024];
        var random = new Random(7);
        for (int i = 0; i < 1024; i++)
        {
            random.NextBytes(chunk);
            sent.AppendData(chunk);
            await connection.WriteAsync(chunk);
        }

        await connection.CloseWriteAsync();
        var (total, digest) = await received.WaitAsync(TimeSpan.FromMinutes(3));

        total.ShouldBe(1L << 30);
        digest.ShouldBe(Convert.ToHexString(sent.GetHashAndReset()));
    }

    [Fact]
    public async Task The_router_relays_only_ciphertext()
    {
        var setup = await fabric.CreateServiceAsync("secret");
        await using var host = ZtContext.FromIdentityFile(setup.HostIdentity);
        await using var listener = await host.ListenAsync(setup.Service).WaitAsync(Guard);
        _ = Echo.ServeAsync(listener);
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity);
        await using var connection = await client.DialAsync(setup.Service).WaitAsync(Guard);
        fabric.Relayed.Record();
        var marker = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("PLAINTEXT-MARKER-", 64)));

        await connection.WriteAsync(marker);
        var echoed = new byte[marker.Length];
        await connection.ReadExactlyAsync(echoed).AsTask().WaitAsync(Guard);

        echoed.ShouldBe(marker);
        var relayed = fabric.Relayed.Snapshot();
        relayed.Length.ShouldBeGreaterThanOrEqualTo(2 * marker.Length, "the router saw both directions");
        relayed.AsSpan().IndexOf("PLAINTEXT-MARKER"u8).ShouldBe(-1);
    }

    [Fact]
    public async Task A_client_without_a_Dial_policy_is_denied_with_the_policy_gap_named()
    {
        var setup = await fabric.CreateServiceAsync("private", dialPolicy: false);
        await using var host = ZtContext.FromIdentityFile(setup.HostIdentity);
        await using var listener = await host.ListenAsync(setup.Service).WaitAsync(Guard);
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity);

        var error = await Should.ThrowAsync<ZtAccessDeniedException>(client.DialAsync(setup.Service).WaitAsync(Guard));

        error.ErrorCode.ShouldBe(ZtErrorCode.AccessDenied);
        error.Message.ShouldBe($"no Dial policy grants identity '{setup.Service}-client' access to service '{setup.Service}'");
    }

    [Fact]
    public async Task A_revoked_client_is_cut_off()
    {
        var setup = await fabric.CreateServiceAsync("revoke");
        await using var host = ZtContext.FromIdentityFile(setup.HostIdentity);
        await using var listener = await host.ListenAsync(setup.Service).WaitAsync(Guard);
        _ = Echo.ServeAsync(listener);
        await using var client = ZtContext.FromIdentityFile(setup.ClientIdentity);
        await using var connection = await client.DialAsync(setup.Service).WaitAsync(Guard);
        await connection.WriteAsync("ping"u8.ToArray());
        await connection.ReadExactlyAsync(new byte[4]).AsTask().WaitAsync(Guard);

        await fabric.Admin.RevokeIdentityAsync(setup.ClientId);

        var error = await Should.ThrowAsync<ZtConnectionException>(async () =>
        {
            var buffer = new byte[16];
            while (await connection.ReadAsync(buffer) > 0)
            {
            }

            throw new ShouldAssertException("the connection ended cleanly instead of being cut off");
        }).WaitAsync(Guard);
        error.ErrorCode.ShouldBe(ZtErrorCode.ConnectionClosed);
        await Should.ThrowAsync<ZtException>(client.DialAsync(setup.Service).WaitAsync(Guard));
    }

    /// <summary>A connection whose peer accepted it and never reads, with what it needs to live.</summary>
    private async Task<UnreadConnection> UnreadAsync(string name)
    {
        var setup = await fabric.CreateServiceAsync(name);
        var host = ZtContext.FromIdentityFile(setup.HostIdentity);
        var listener = await host.ListenAsync(setup.Service).WaitAsync(Guard);
        var accepted = listener.AcceptAsync().AsTask(); // accepted, and never read
        var client = ZtContext.FromIdentityFile(setup.ClientIdentity);
        var connection = await client.DialAsync(setup.Service).WaitAsync(Guard);
        return new UnreadConnection(host, listener, client, connection, await accepted.WaitAsync(Guard));
    }

    /// <summary>The ends of a connection whose peer never reads; disposing lets go of all but the connection itself.</summary>
    private sealed record UnreadConnection(ZtContext Host, ZtListener Listener, ZtContext Client, ZtConnection Connection, ZtConnection Peer) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Peer.DisposeAsync();
            await Client.DisposeAsync();
            await Listener.DisposeAsync();
            await Host.DisposeAsync();
        }
    }
}
