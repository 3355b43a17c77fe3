using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using static Hanzo.Zt.Controller.Tests.TestDirectory;

namespace Hanzo.Zt.Controller.Tests;

/// <summary>What an attacker who can read the controller's disk (another user, a backup, a copied database) gets.</summary>
public class SecretsAtRestTests(ControllerFixture fixture) : IClassFixture<ControllerFixture>
{
    [Fact]
    public void The_data_directory_is_0700_and_every_file_in_it_0600()
    {
        if (OperatingSystem.IsWindows()) return;
        File.GetUnixFileMode(fixture.DataDirectory).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var files = Directory.GetFiles(fixture.DataDirectory);
        files.Select(Path.GetFileName).ShouldContain("controller.db");
        files.Select(Path.GetFileName).ShouldContain("controller.key");
        foreach (var file in files)
        {
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite, file);
        }
    }

    [Fact]
    public async Task A_copy_of_the_database_holds_no_usable_enrollment_token()
    {
        var created = await fixture.Admin.PostAsync("/edge/management/v1/identities", new { name = Unique("laptop"), enrollment = new { ott = true } });
        created.ShouldBeOk();
        var jwt = created.Data.GetProperty("enrollment").GetProperty("ott").GetProperty("jwt").GetString()!;
        var secret = CompactJws.Parse(jwt).GetClaim("jti")!;

        // Every byte the controller keeps on disk (database, write-ahead log, key file), as a thief would copy it.
        var disk = Directory.GetFiles(fixture.DataDirectory).Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            return reader.ReadToEnd();
        }).ToList();

        disk.ShouldNotContain(text => text.Contains(secret, StringComparison.Ordinal));
        var signedPart = jwt.Split('.')[1];
        disk.ShouldNotContain(text => text.Contains(signedPart, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_passphrase_controller_key_is_stretched_with_a_salt_not_hashed_once()
    {
        var directory = Create();
        try
        {
            const string passphrase = "correct horse battery staple";
            var options = ControllerFixture.Options(directory);
            options.MasterKey = passphrase;
            await (await ControllerHost.StartAsync(options)).DisposeAsync();

            byte[] sealedCaKey;
            byte[]? salt;
            await using (var store = new Store.Sqlite.SqliteControllerStore(Path.Combine(directory, "controller.db")))
            {
                sealedCaKey = (await store.GetSettingAsync("ca.key"))!;
                salt = await store.GetSettingAsync("master.salt");
            }
            SqliteConnection.ClearAllPools();

            salt.ShouldNotBeNull();
            salt.Length.ShouldBeGreaterThanOrEqualTo(16);
            // The fast SHA-256 of the passphrase (what a dictionary attack would try first) does not open the CA key.
            Should.Throw<CryptographicException>(() => Open(sealedCaKey, SHA256.HashData(Encoding.UTF8.GetBytes(passphrase))));
            // It opens again with the same passphrase, and not with another.
            await (await ControllerHost.StartAsync(options)).DisposeAsync();
            options.MasterKey = "wrong horse battery staple";
            await Should.ThrowAsync<ZtConfigurationException>(ControllerHost.StartAsync(options));
        }
        finally
        {
            Delete(directory);
        }
    }

    private static byte[] Open(byte[] sealedData, byte[] key)
    {
        var plaintext = new byte[sealedData.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(sealedData[..12], sealedData[28..], sealedData[12..28], plaintext, Encoding.UTF8.GetBytes("ca.key"));
        return plaintext;
    }
}
