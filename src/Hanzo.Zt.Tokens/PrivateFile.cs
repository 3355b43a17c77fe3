namespace Hanzo.Zt.Tokens;

/// <summary>
/// Files that hold secrets (private keys, identity files): created readable and writable by the owner only
/// (0600) at the moment they are opened, so there is no window in which another user can read them.
/// </summary>
public static class PrivateFile
{
    /// <summary>The mode of secret files.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes <paramref name="text"/> to a new or truncated file whose mode is 0600 before any byte is written.</summary>
    public static void WriteAllText(string path, string text)
    {
        using var stream = Open(path);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    /// <summary>Like <see cref="WriteAllText"/>, asynchronously.</summary>
    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default)
    {
        await using var stream = Open(path);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
    }

    private static FileStream Open(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Mode;
            // An existing file keeps its mode on truncation: tighten it before writing.
            if (File.Exists(path))
            {
                File.SetUnixFileMode(path, Mode);
            }
        }

        return new FileStream(path, options);
    }
}
