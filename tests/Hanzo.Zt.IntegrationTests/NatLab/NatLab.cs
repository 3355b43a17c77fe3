using System.Diagnostics;
using System.Security.Cryptography;

namespace Hanzo.Zt.IntegrationTests.NatLab;

/// <summary>The NAT behaviours the lab's two NAT boxes can take.</summary>
public enum NatType
{
    /// <summary>MASQUERADE: endpoint-independent mapping, port-restricted filtering.</summary>
    Cone,

    /// <summary>MASQUERADE --random-fully: a new random port per destination.</summary>
    Symmetric,

    /// <summary>No UDP leaves the private network at all (TCP is masqueraded).</summary>
    NoUdp,
}

/// <summary>
/// A NAT lab of network namespaces, veth pairs and iptables, created for one test run (names unique to it) and
/// removed after: a public side (203.0.113.0/24, where the controller and router run at .1), and two private
/// networks, A (10.0.1.0/24, host at .2) and B (10.0.2.0/24, host at .2), each behind a NAT namespace (public
/// addresses .2 and .3). Each NAT drops unsolicited new inbound packets, like a home router.
/// </summary>
public sealed class NatLab : IAsyncDisposable
{
    public const string PublicAddress = "203.0.113.1";

    private readonly string _id = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
    private readonly List<string> _namespaces = [];

    private NatLab()
    {
    }

    public string Public => "zp" + _id;

    public string NatA => "za" + _id;

    public string NatB => "zb" + _id;

    public string HostA => "ha" + _id;

    public string HostB => "hb" + _id;

    /// <summary>Why the lab cannot run here, or null when it can.</summary>
    public static string? Unavailable { get; private set; }

    /// <summary>Builds the lab; null (with <see cref="Unavailable"/> set) where namespaces or iptables are not permitted.</summary>
    public static async Task<NatLab?> TryCreateAsync()
    {
        var lab = new NatLab();
        try
        {
            await lab.BuildAsync();
            return lab;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Unavailable = $"network namespaces with iptables are not permitted here: {e.Message.Split('\n')[0]}";
            await lab.DisposeAsync();
            return null;
        }
    }

    private async Task BuildAsync()
    {
        foreach (var ns in new[] { Public, NatA, NatB, HostA, HostB })
        {
            await RunAsync($"ip netns add {ns}");
            _namespaces.Add(ns);
            await RunAsync($"ip -n {ns} link set lo up");
        }

        await RunAsync($"ip -n {Public} link add br0 type bridge && ip -n {Public} addr add {PublicAddress}/24 dev br0 && ip -n {Public} link set br0 up");
        await WireAsync("a", NatA, HostA, "203.0.113.2", "10.0.1");
        await WireAsync("b", NatB, HostB, "203.0.113.3", "10.0.2");
        await SetAsync(NatType.Cone, NatType.Cone);
    }

    private async Task WireAsync(string side, string nat, string host, string wan, string lan)
    {
        await RunAsync(
            $"ip link add w{side}{_id} type veth peer name p{side}{_id} && ip link set w{side}{_id} netns {nat} && ip link set p{side}{_id} netns {Public} && "
            + $"ip -n {nat} link set w{side}{_id} name wan && ip -n {nat} addr add {wan}/24 dev wan && ip -n {nat} link set wan up && "
            + $"ip -n {Public} link set p{side}{_id} master br0 && ip -n {Public} link set p{side}{_id} up && "
            + $"ip link add l{side}{_id} type veth peer name i{side}{_id} && ip link set l{side}{_id} netns {nat} && ip link set i{side}{_id} netns {host} && "
            + $"ip -n {nat} link set l{side}{_id} name lan && ip -n {nat} addr add {lan}.1/24 dev lan && ip -n {nat} link set lan up && "
            + $"ip -n {host} link set i{side}{_id} name eth0 && ip -n {host} addr add {lan}.2/24 dev eth0 && ip -n {host} link set eth0 up && "
            + $"ip -n {host} route add default via {lan}.1 && ip netns exec {nat} sysctl -qw net.ipv4.ip_forward=1");
    }

    /// <summary>Sets the NAT type of each side and flushes both NATs' state, as for a fresh attempt.</summary>
    public async Task SetAsync(NatType a, NatType b)
    {
        await ConfigureAsync(NatA, a);
        await ConfigureAsync(NatB, b);
    }

    private Task ConfigureAsync(string nat, NatType type)
    {
        string x = $"ip netns exec {nat} iptables";
        string masquerade = type == NatType.Symmetric ? "MASQUERADE --random-fully" : "MASQUERADE";
        string noUdp = type == NatType.NoUdp ? $" && {x} -A FORWARD -i lan -p udp -j DROP" : "";
        return RunAsync(
            $"{x} -F && {x} -t nat -F && {x} -t nat -A POSTROUTING -o wan -j {masquerade} && "
            + $"{x} -A INPUT -i wan -m conntrack --ctstate NEW -j DROP{noUdp} && (ip netns exec {nat} conntrack -D -p udp >/dev/null 2>&1 || true)");
    }

    /// <summary>Forgets every UDP mapping of both NATs (TCP links to the router stay up), for a fresh attempt.</summary>
    public Task FlushUdpAsync() => RunAsync($"(ip netns exec {NatA} conntrack -D -p udp; ip netns exec {NatB} conntrack -D -p udp) >/dev/null 2>&1 || true");

    /// <summary>Drops all UDP through NAT <paramref name="nat"/> from now on: a direct path through it dies.</summary>
    public Task CutUdpAsync(string nat) => RunAsync($"ip netns exec {nat} iptables -I FORWARD -p udp -j DROP");

    public static async Task RunAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{await error} (exit {process.ExitCode}: {command})");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var ns in _namespaces)
        {
            try
            {
                await RunAsync($"ip netns pids {ns} | xargs -r kill -9; ip netns del {ns}");
            }
            catch (InvalidOperationException)
            {
                // Best effort: a namespace that is already gone is what we want.
            }
        }
    }
}
