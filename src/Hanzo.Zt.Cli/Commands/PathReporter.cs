using Hanzo.Zt.Fabric;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>
/// Prints <c>path: direct &lt;ip:port&gt;</c> or <c>path: relay &lt;router&gt;</c> on standard error for a connection's
/// first path and every change after, in the order the changes happened.
/// </summary>
internal static class PathReporter
{
    public static void Attach(ZtConnection connection, TextWriter error)
    {
        var gate = new object();
        ZtConnectionPath? printed = null;
        void Print()
        {
            lock (gate)
            {
                var path = connection.Path;
                if (path == printed)
                {
                    return;
                }

                printed = path;
                error.WriteLine($"path: {path}");
                error.Flush();
            }
        }

        connection.PathChanged += (_, _) => Print();
        Print();
    }
}
