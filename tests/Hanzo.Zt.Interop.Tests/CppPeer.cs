using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Hanzo.Zt.Interop.Tests;

/// <summary>
/// The C++ peer (Peer/zap-peer.c++ on the reference Cap'n Proto RPC), compiled once per source version with
/// g++ and <c>pkg-config capnp-rpc</c>.
/// </summary>
internal sealed class CppPeer
{
    private static readonly Lazy<string> Binary = new(() => Build("Peer", "zap-peer", ["zap-peer.c++", "probe.capnp", "calculator.capnp", "build.sh"]));
    private static readonly Lazy<string> GenericBinary = new(() => Build("Peer/generic", "generic-peer", ["generic-peer.c++", "depot.capnp", "build.sh"]));

    public static string Path => Binary.Value;

    /// <summary>The generic-interface peer (Peer/generic): depot.capnp's Store(Tile) and Store(Text).</summary>
    public static string GenericPath => GenericBinary.Value;

    private static string Build(string folder, string name, string[] inputs)
    {
        string source = System.IO.Path.Combine(AppContext.BaseDirectory, folder);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(inputs.Select(f => File.ReadAllText(System.IO.Path.Combine(source, f)))))))[..16];
        string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hanzo-zt-{name}-" + hash);
        string binary = System.IO.Path.Combine(dir, name);
        if (File.Exists(binary))
        {
            return binary;
        }

        string work = dir + ".tmp-" + Environment.ProcessId;
        Run(source, "bash", System.IO.Path.Combine(source, "build.sh"), work);
        try
        {
            Directory.Move(work, dir);
        }
        catch (IOException) when (File.Exists(binary))
        {
            // Another test process built it first.
        }

        return binary;
    }

    private static string Run(string directory, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(TimeSpan.FromMinutes(5)).ShouldBeTrue($"{file} did not finish");
        process.ExitCode.ShouldBe(0, $"{file} {string.Join(' ', args)} failed:\n{stderr.Result}");
        return stdout.Result;
    }

    /// <summary>Starts a C++ server in <paramref name="mode"/> on an ephemeral port; returns it and the port.</summary>
    public static async Task<(PeerProcess Process, int Port)> ServeAsync(string mode, string? binary = null)
    {
        var process = PeerProcess.Start(binary ?? Path, mode, "127.0.0.1:0");
        string line = await process.WaitForLineAsync("listening on port ");
        return (process, int.Parse(line["listening on port ".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
