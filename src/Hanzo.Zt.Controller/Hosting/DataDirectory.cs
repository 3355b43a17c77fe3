namespace Hanzo.Zt.Controller.Hosting;

/// <summary>
/// The controller's data directory holds its database and key: the directory is 0700 and its files 0600, the
/// database file created with that mode before SQLite writes a byte (its journal files take the same mode).
/// </summary>
internal static class DataDirectory
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Secure(string directory, string databasePath)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        Directory.CreateDirectory(directory, DirectoryMode);
        File.SetUnixFileMode(directory, DirectoryMode);
        if (!File.Exists(databasePath))
        {
            // An empty file is a new database to SQLite; creating it here fixes its mode from the first byte.
            using var created = new FileStream(databasePath, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode,
            });
        }

        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if ((File.GetUnixFileMode(file) & ~FileMode) != 0) File.SetUnixFileMode(file, FileMode);
        }
    }
}
