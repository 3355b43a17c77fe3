using System.Net;

namespace Hanzo.Zt.Zap.Tests;

public sealed class RpcTests
{
    [Theory]
    [InlineData("tcp", ZapFraming.Zap)]
    [InlineData("tcp", ZapFraming.Standard)]
    [InlineData("ws", ZapFraming.Zap)]
    public async Task A_call_returns_its_results(string scheme, ZapFraming framing)
    {
        await using var loop = await Loopback.StartAsync(scheme, framing);

        using var response = await loop.Call(TestService.Add, r =>
        {
            var p = r.InitParams(1, 0);
            p.WriteInt32(0, 40);
            p.WriteInt32(1, 2);
        });

        response.Results.ReadInt32(0).ShouldBe(42);
    }

    [Fact]
    public async Task Many_concurrent_calls_each_get_their_own_results()
    {
        await using var loop = await Loopback.StartAsync();

        var calls = Enumerable.Range(0, 500).Select(async i =>
        {
            using var response = await loop.Call(TestService.Add, r =>
            {
                var p = r.InitParams(1, 0);
                p.WriteInt32(0, i);
                p.WriteInt32(1, i);
            });
            return response.Results.ReadInt32(0);
        });

        (await Task.WhenAll(calls)).ShouldBe(Enumerable.Range(0, 500).Select(i => 2 * i).ToArray());
    }

    [Fact]
    public async Task Calls_on_a_promised_answer_are_sent_before_the_answer_arrives()
    {
        await using var loop = await Loopback.StartAsync();
        using var gated = loop.Call(TestService.Gated);
        using var recorder = gated.GetPipelinedCapability(0);

        var pipelined = Recorder.CallAsync(recorder, 7);
        pipelined.IsCompleted.ShouldBeFalse("the pipelined call cannot finish before the answer it targets");
        loop.Service.Recorder.Tags.ShouldBeEmpty();

        loop.Service.Gate.SetResult();

        (await pipelined.WaitAsync(Loopback.Guard)).ShouldBe(70u);
        loop.Service.Recorder.Tags.ShouldBe([7u]);
    }

    [Fact]
    public async Task Pipelined_calls_keep_their_order_with_calls_made_after_resolution()
    {
        await using var loop = await Loopback.StartAsync();
        using var gated = loop.Call(TestService.Gated);
        using var recorder = gated.GetPipelinedCapability(0);
        var early = Enumerable.Range(1, 20).Select(i => Recorder.CallAsync(recorder, (uint)i)).ToArray();

        loop.Service.Gate.SetResult();
        using (await gated)
        {
        }

        var late = Enumerable.Range(21, 20).Select(i => Recorder.CallAsync(recorder, (uint)i)).ToArray();
        await Task.WhenAll(early.Concat(late)).WaitAsync(Loopback.Guard);

        loop.Service.Recorder.Tags.ShouldBe(Enumerable.Range(1, 40).Select(i => (uint)i).ToArray());
    }

    [Fact]
    public async Task A_capability_passed_to_the_server_is_called_back()
    {
        await using var loop = await Loopback.StartAsync();
        var mine = new Recorder();
        using var callback = ZapCapability.FromServer(mine);

        using var response = await loop.Call(TestService.CallBack, r =>
        {
            var p = r.InitParams(1, 1);
            p.WriteUInt32(0, 5);
            p.GetPointer(0).SetCapability(r.AddCapability(callback));
        });

        response.Results.ReadUInt32(0).ShouldBe(50u);
        mine.Tags.ShouldBe([5u]);
    }

    [Fact]
    public async Task Calls_on_our_own_capability_returned_through_a_pipeline_keep_their_order()
    {
        // The server hands our capability back: calls sent through the pipeline loop through the server, and
        // once the answer resolves to our local object the embargo keeps later direct calls behind them.
        await using var loop = await Loopback.StartAsync();
        var mine = new Recorder();
        using var local = ZapCapability.FromServer(mine);
        using var echo = loop.Call(TestService.Echo, r => r.InitParams(0, 1).GetPointer(0).SetCapability(r.AddCapability(local)));
        using var echoed = echo.GetPipelinedCapability(0);

        var early = Enumerable.Range(1, 10).Select(i => Recorder.CallAsync(echoed, (uint)i)).ToArray();
        using (await echo)
        {
        }

        await echoed.WhenResolvedAsync().WaitAsync(Loopback.Guard);
        var late = Enumerable.Range(11, 10).Select(i => Recorder.CallAsync(echoed, (uint)i)).ToArray();
        await Task.WhenAll(early.Concat(late)).WaitAsync(Loopback.Guard);

        mine.Tags.ShouldBe(Enumerable.Range(1, 20).Select(i => (uint)i).ToArray());
    }

    [Theory]
    [InlineData(ZapExceptionType.Failed)]
    [InlineData(ZapExceptionType.Overloaded)]
    [InlineData(ZapExceptionType.Disconnected)]
    [InlineData(ZapExceptionType.Unimplemented)]
    public async Task A_server_exception_reaches_the_caller_with_its_type(ZapExceptionType type)
    {
        await using var loop = await Loopback.StartAsync();

        var error = await Should.ThrowAsync<ZapException>(async () => (await loop.Call(TestService.Fail, r =>
        {
            var p = r.InitParams(1, 1);
            p.WriteUInt16(0, (ushort)type);
            p.WriteText(0, "no luck");
        })).Dispose());

        error.Type.ShouldBe(type);
        error.IsRemote.ShouldBeTrue();
        error.Message.ShouldContain("no luck");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Any_other_server_exception_is_a_failed_call_with_its_message(bool local)
    {
        await using var loop = await Loopback.StartAsync();
        using var inProcess = ZapCapability.FromServer(new TestService());
        using var request = (local ? inProcess : loop.Bootstrap).NewCall(TestService.Id, TestService.Fail);
        var p = request.InitParams(1, 1);
        p.WriteBool(16, true);
        p.WriteText(0, "bad state");

        var error = await Should.ThrowAsync<ZapException>(async () => (await request.Send()).Dispose());

        error.Type.ShouldBe(ZapExceptionType.Failed);
        error.Message.ShouldContain("bad state");
        loop.Client.IsOpen.ShouldBeTrue();
    }

    [Fact]
    public async Task Canceling_a_call_tells_the_server_and_fails_the_caller()
    {
        await using var loop = await Loopback.StartAsync();
        using var cancel = new CancellationTokenSource();
        var hanging = loop.Call(TestService.Hang, cancellationToken: cancel.Token).ResponseAsync().AsTask();
        await loop.Service.HangStarted.WaitAsync(Loopback.Guard);

        cancel.Cancel();

        await Should.ThrowAsync<OperationCanceledException>(hanging.WaitAsync(Loopback.Guard));
        await loop.Service.HangCanceled.WaitAsync(Loopback.Guard);
        using var after = await loop.Call(TestService.Add, r => r.InitParams(1, 0).WriteInt32(0, 1));
        after.Results.ReadInt32(0).ShouldBe(1);
    }

    [Fact]
    public async Task A_question_id_reused_as_soon_as_its_Return_arrives_never_meets_the_old_answer()
    {
        // The client frees a question id when the Return arrives and its Finish is sent, and reuses it for the next
        // call at once; the server must have let go of the old answer before that Return could be read.
        await using var loop = await Loopback.StartAsync();
        for (int i = 0; i < 3000; i++)
        {
            using var response = await loop.Call(TestService.Later, r => r.InitParams(1, 0).WriteInt32(0, i)).ResponseAsync().AsTask().WaitAsync(Loopback.Guard);
            response.Results.ReadInt32(0).ShouldBe(i);
        }

        loop.Client.IsOpen.ShouldBeTrue();
    }

    [Fact]
    public async Task Calls_canceled_one_after_another_leave_the_connection_usable()
    {
        await using var loop = await Loopback.StartAsync();
        for (int i = 0; i < 300; i++)
        {
            using var cancel = new CancellationTokenSource();
            var waiting = loop.Call(TestService.Wait, cancellationToken: cancel.Token).ResponseAsync().AsTask();
            cancel.Cancel();
            await Should.ThrowAsync<OperationCanceledException>(waiting.WaitAsync(Loopback.Guard));
            using var after = await loop.Call(TestService.Add, r => r.InitParams(1, 0).WriteInt32(0, i)).ResponseAsync().AsTask().WaitAsync(Loopback.Guard);
            after.Results.ReadInt32(0).ShouldBe(i);
        }

        loop.Client.IsOpen.ShouldBeTrue();
    }

    [Fact]
    public async Task A_disconnect_mid_call_fails_the_call_as_disconnected()
    {
        var loop = await Loopback.StartAsync();
        var hanging = loop.Call(TestService.Hang).ResponseAsync().AsTask();
        await loop.Service.HangStarted.WaitAsync(Loopback.Guard);

        await loop.Listener.DisposeAsync();

        var error = await Should.ThrowAsync<ZapException>(hanging.WaitAsync(Loopback.Guard));
        error.Type.ShouldBe(ZapExceptionType.Disconnected);
        await loop.Client.Completion.WaitAsync(Loopback.Guard);
        (await Should.ThrowAsync<ZapException>(async () => (await loop.Call(TestService.Add)).Dispose())).Type.ShouldBe(ZapExceptionType.Disconnected);
        await loop.DisposeAsync();
    }

    [Fact]
    public async Task Releasing_the_last_reference_releases_the_server_object()
    {
        await using var loop = await Loopback.StartAsync();
        var response = await loop.Call(TestService.NewRecorder);
        var recorder = response.GetCapability(response.Results.GetPointer(0).GetCapabilityIndex());
        (await Recorder.CallAsync(recorder, 3)).ShouldBe(30u);
        loop.Service.Recorder.Disposed.ShouldBeFalse();

        response.Dispose();
        recorder.Dispose();

        await loop.Service.Recorder.DisposedSignal.Task.WaitAsync(Loopback.Guard);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_fails_that_call_only()
    {
        await using var loop = await Loopback.StartAsync();

        var error = await Should.ThrowAsync<ZapException>(async () => (await loop.Call(TestService.Add, r =>
            r.InitParams(0, 1).WriteData(0, new byte[ZapConnectionOptions.DefaultMaxMessageBytes + 1]))).Dispose());

        error.Message.ShouldContain("limit");
        using var after = await loop.Call(TestService.Add, r => r.InitParams(1, 0).WriteInt32(1, 9));
        after.Results.ReadInt32(0).ShouldBe(9);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("ws")]
    public async Task A_burst_of_calls_with_large_results_is_answered_within_a_small_send_limit(string scheme)
    {
        // Sixteen 1 MiB results for calls that arrive in one read are four times the server's send limit: they must
        // leave as the client reads them, not gather behind the read and cut off a client that reads.
        await using var loop = await Loopback.StartAsync(scheme, serverOptions: new ZapConnectionOptions { MaxPendingSendBytes = 4 * 1024 * 1024, MaxMessageBytes = 2 * 1024 * 1024 });
        var calls = Enumerable.Range(0, 16)
            .Select(_ => loop.Call(TestService.Big, r => r.InitParams(1, 0).WriteUInt32(0, 1024 * 1024)).ResponseAsync().AsTask())
            .ToList();

        foreach (var call in calls)
        {
            using var response = await call.WaitAsync(Loopback.Guard);
            response.Results.ReadData(0).Length.ShouldBe(1024 * 1024);
        }

        loop.Client.IsOpen.ShouldBeTrue();
    }

    [Fact]
    public async Task Results_over_the_size_limit_reach_the_caller_as_an_error()
    {
        await using var loop = await Loopback.StartAsync();

        var error = await Should.ThrowAsync<ZapException>(async () => (await loop.Call(TestService.Big, r =>
            r.InitParams(1, 0).WriteUInt32(0, ZapConnectionOptions.DefaultMaxMessageBytes + 8))).Dispose());

        error.IsRemote.ShouldBeTrue();
        error.Message.ShouldContain("limit");
        loop.Client.IsOpen.ShouldBeTrue();
    }

    [Fact]
    public async Task A_server_without_a_bootstrap_says_so()
    {
        var a = new System.IO.Pipelines.Pipe();
        var b = new System.IO.Pipelines.Pipe();
        await using var left = ZapConnection.Start(new Transports.DuplexPipe(a.Reader, b.Writer));
        await using var right = ZapConnection.Start(new Transports.DuplexPipe(b.Reader, a.Writer));
        using var bootstrap = left.Bootstrap();
        using var request = bootstrap.NewCall(TestService.Id, TestService.Add);
        request.InitParams(0, 0);

        var error = await Should.ThrowAsync<ZapException>(async () => (await request.Send()).Dispose());

        error.Message.ShouldContain("no bootstrap");
    }
}
