using System.Runtime.InteropServices;

namespace Hanzo.Zt.Cli.Commands;

/// <summary>
/// Enlarges the pipes on standard input and output, where they are pipes: at Linux's default of 64 KiB, a stream
/// piped through <c>zt dial</c> wakes the process on each side of each pipe once per 64 KiB.
/// </summary>
internal static class StandardPipes
{
    /// <summary>The size asked for: the default per-pipe limit for unprivileged processes (fs.pipe-max-size).</summary>
    public const int Bytes = 1024 * 1024;

    private const int SetPipeSize = 1031; // F_SETPIPE_SZ
    private const int GetPipeSize = 1032; // F_GETPIPE_SZ

    /// <summary>Asks for 1 MiB pipes on file descriptors 0 and 1; a descriptor that is not a pipe is left as it is.</summary>
    public static void Enlarge()
    {
        TryEnlarge(0);
        TryEnlarge(1);
    }

    /// <summary>
    /// Asks for a 1 MiB pipe on <paramref name="descriptor"/>; false when it is not a pipe (a terminal or file: EBADF)
    /// or the system refuses (EPERM over its limit), and the descriptor is left as it was.
    /// </summary>
    public static bool TryEnlarge(int descriptor) => OperatingSystem.IsLinux() && Fcntl(descriptor, SetPipeSize, Bytes) >= 0;

    /// <summary>The capacity of the pipe on <paramref name="descriptor"/>, or -1 when it is not a pipe.</summary>
    public static int SizeOf(int descriptor) => OperatingSystem.IsLinux() ? Fcntl(descriptor, GetPipeSize, 0) : -1;

    [DllImport("libc", EntryPoint = "fcntl")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fcntl(int descriptor, int command, int argument);
}
