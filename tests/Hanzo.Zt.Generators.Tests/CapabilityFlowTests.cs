using Hanzo.Zt.Capnp;
using Hanzo.Zt.Generators.Tests.Schemas;
using Hanzo.Zt.Zap;

namespace Hanzo.Zt.Generators.Tests;

/// <summary>
/// Capabilities inside parameters and results (a nested struct, a list, a group) still travel when calls hand the
/// cap table only to structs that may hold capabilities; a struct without any crosses without one. Each runs in
/// this process and across tcp:// on loopback.
/// </summary>
public sealed class CapabilityFlowTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private sealed class AdderService(int offset) : IAdder
    {
        public ValueTask<int> AddAsync(int a, int b, CancellationToken cancellationToken) => ValueTask.FromResult(a + b + offset);
    }

    private sealed class FlowService : IFlow
    {
        public ValueTask<int> SumChainAsync(Chain.Reader chain, CancellationToken cancellationToken)
        {
            int total = 0;
            for (var link = chain; ; link = link.Next)
            {
                total += link.Value + link.Steps.Sum(s => s.X + s.Y);
                if (link.Which == Chain.Which.Label)
                {
                    total += link.Label.Length;
                }

                if (!link.HasNext)
                {
                    return ValueTask.FromResult(total);
                }
            }
        }

        public async ValueTask<int> AddViaAsync(Nested.Reader nested, int a, int b, CancellationToken cancellationToken)
        {
            using var adder = nested.Carrier.Adder;
            using var call = adder.Add(a, b, cancellationToken);
            return await call;
        }

        public async ValueTask AddAllAsync(Team.Reader team, int a, int b, Flow.AddAllResults.Builder results, CancellationToken cancellationToken)
        {
            var members = team.Members;
            var adders = Enumerable.Range(0, members.Count)
                .Select(i => new AdderClient(team.Caps!.GetCapability(members.GetPointer(i).GetCapabilityIndex())))
                .ToList();
            var sums = new int[adders.Count];
            for (int i = 0; i < adders.Count; i++)
            {
                using var adder = adders[i];
                using var call = adder.Add(a, b, cancellationToken);
                sums[i] = await call;
            }

            results.SetSums(sums);
        }

        public ValueTask HoldAsync(AdderClient adder, string name, Flow.HoldResults.Builder results, CancellationToken cancellationToken)
        {
            var nested = results.InitNested();
            nested.SetName(name);
            nested.InitCarrier().SetAdder(adder.Capability);
            return ValueTask.CompletedTask;
        }

        public ValueTask GatherAsync(uint count, Flow.GatherResults.Builder results, CancellationToken cancellationToken)
        {
            var team = results.InitTeam();
            var members = team.InitMembers((int)count);
            for (int i = 0; i < (int)count; i++)
            {
                using var adder = AdderClient.Serve(new AdderService(i));
                members.GetPointer(i).SetCapability(team.Caps!.AddCapability(adder.Capability));
            }

            return ValueTask.CompletedTask;
        }

        public async ValueTask<int> GroupedAsync(Grouped.Reader grouped, int a, int b, CancellationToken cancellationToken)
        {
            using var adder = grouped.Slot.Adder;
            using var call = adder.Add(a, b, cancellationToken);
            return await call;
        }
    }

    private static Task<Served<FlowClient>> StartAsync(bool remote) =>
        Served<FlowClient>.StartAsync(new FlowServer(new FlowService()), capability => new FlowClient(capability), remote);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_struct_without_capabilities_crosses_with_its_self_references_lists_and_union(bool remote)
    {
        await using var served = await StartAsync(remote);
        using var request = served.Client.NewSumChainRequest();
        var chain = request.Params.InitChain();
        chain.SetValue(1);
        var steps = chain.InitSteps(2);
        steps[0].SetX(2);
        steps[1].SetY(3);
        chain.SetLabel("four");
        var next = chain.InitNext();
        next.SetValue(100);
        next.SetNone();
        using var call = request.Send();

        (await call.ResultAsync().AsTask().WaitAsync(HangGuard)).ShouldBe(1 + 2 + 3 + 4 + 100);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_capability_in_a_nested_struct_of_the_parameters_is_callable_by_the_server(bool remote)
    {
        await using var served = await StartAsync(remote);
        using var adder = AdderClient.Serve(new AdderService(1000));
        using var request = served.Client.NewAddViaRequest();
        var nested = request.Params.InitNested();
        nested.SetName("via");
        nested.InitCarrier().SetAdder(adder.Capability);
        request.Params.SetA(20);
        request.Params.SetB(3);
        using var call = request.Send();

        (await call.ResultAsync().AsTask().WaitAsync(HangGuard)).ShouldBe(1023);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Capabilities_in_a_list_of_the_parameters_are_each_callable_by_the_server(bool remote)
    {
        await using var served = await StartAsync(remote);
        using var request = served.Client.NewAddAllRequest();
        var team = request.Params.InitTeam();
        var members = team.InitMembers(3);
        for (int i = 0; i < 3; i++)
        {
            using var adder = AdderClient.Serve(new AdderService(i * 10));
            members.GetPointer(i).SetCapability(team.Caps!.AddCapability(adder.Capability));
        }

        request.Params.SetA(1);
        request.Params.SetB(2);
        using var call = request.Send();
        using var results = await call.ResultAsync().AsTask().WaitAsync(HangGuard);

        results.Value.Sums.ToArray().ShouldBe([3, 13, 23]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_capability_in_a_group_of_the_parameters_is_callable_by_the_server(bool remote)
    {
        await using var served = await StartAsync(remote);
        using var adder = AdderClient.Serve(new AdderService(500));
        using var request = served.Client.NewGroupedRequest();
        request.Params.InitGrouped().Slot.SetAdder(adder.Capability);
        request.Params.SetA(5);
        request.Params.SetB(6);
        using var call = request.Send();

        (await call.ResultAsync().AsTask().WaitAsync(HangGuard)).ShouldBe(511);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_capability_in_a_nested_struct_of_the_results_is_callable_by_the_caller(bool remote)
    {
        await using var served = await StartAsync(remote);
        using var mine = AdderClient.Serve(new AdderService(7));
        using var call = served.Client.Hold(mine, "kept");
        using var results = await call.ResultAsync().AsTask().WaitAsync(HangGuard);
        results.Value.Nested.Name.ShouldBe("kept");
        using var adder = results.Value.Nested.Carrier.Adder;
        using var add = adder.Add(1, 1);

        (await add.ResultAsync().AsTask().WaitAsync(HangGuard)).ShouldBe(9);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Capabilities_in_a_list_of_the_results_are_each_callable_by_the_caller(bool remote)
    {
        await using var served = await StartAsync(remote);
        using var call = served.Client.Gather(3);
        using var results = await call.ResultAsync().AsTask().WaitAsync(HangGuard);
        var team = results.Value.Team;
        var sums = new List<int>();
        for (int i = 0; i < team.Members.Count; i++)
        {
            using var adder = new AdderClient(team.Caps!.GetCapability(team.Members.GetPointer(i).GetCapabilityIndex()));
            using var add = adder.Add(100, 0);
            sums.Add(await add.ResultAsync().AsTask().WaitAsync(HangGuard));
        }

        sums.ShouldBe([100, 101, 102]);
    }
}
