using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Hanzo.Zt.IntegrationTests.NatLab;

/// <summary>
/// Opens TCP connections from inside a network namespace, so this test process can reach the lab's public side
/// without an address outside the namespaces: a thread of its own enters the namespace (setns), connects, and
/// comes back; the socket stays in the namespace it was made in.
/// </summary>
internal static class NetNamespace
{
    private const int CloneNewNet = 0x40000000;

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);

    public static Task<Socket> ConnectAsync(string name, IPEndPoint endPoint)
    {
        var done = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var home = File.OpenHandle($"/proc/self/task/{Gettid()}/ns/net");
                using var target = File.OpenHandle($"/var/run/netns/{name}");
                if (setns((int)target.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new IOException($"setns into {name} failed: errno {Marshal.GetLastPInvokeError()}");
                }

                try
                {
                    var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        socket.Connect(endPoint);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }

                    done.SetResult(socket);
                }
                finally
                {
                    setns((int)home.DangerousGetHandle(), CloneNewNet);
                }
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }) { IsBackground = true };
        thread.Start();
        return done.Task;
    }

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int Gettid();
}
