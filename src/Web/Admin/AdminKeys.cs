using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using LiveHub.Data;
using LiveHub.Identity;
using Microsoft.Extensions.Options;

namespace LiveHub.Web.Admin;

/// <summary>
/// The organizer's admin key. Section <c>LiveHub:Admin</c>, e.g. <code>{ "LiveHub": { "Admin": { "Key": "a-long-random-secret", "SignInAttemptsPerMinute": 5 } } }</code>
/// </summary>
public sealed class AdminOptions
{
    public const string Section = "LiveHub:Admin";

    /// <summary>
    /// The admin key. When unset, one is generated at first start, printed once in the log, and only its hash is kept
    /// beside the database (<c>admin-key.hash</c>; delete the file to get a new key). Set it on every node of a cluster.
    /// </summary>
    [MinLength(16)] public string? Key { get; set; }

    /// <summary>Admin sign-in attempts one network address may make per minute (key guessing).</summary>
    [Range(1, 100_000)] public int SignInAttemptsPerMinute { get; set; } = 5;
}

/// <summary>Checks the admin key against the configured one, or against the hash of the key generated at first start.</summary>
public sealed partial class AdminKeys(IOptions<AdminOptions> options, Database db, ILogger<AdminKeys> logger)
{
    public const string HashFileName = "admin-key.hash";
    private const int GeneratedLength = 24;

    private byte[]? _configured;
    private string? _hash;

    public string HashFile => Path.Combine(db.DataDirectory, HashFileName);

    /// <summary>Changes whenever the key does: admin sign-ins carry it, so a new key ends every old sign-in.</summary>
    public string Stamp { get; private set; } = "";

    public async Task PrepareAsync(CancellationToken ct)
    {
        if (options.Value.Key is { Length: > 0 } key)
        {
            _configured = SHA256.HashData(Encoding.UTF8.GetBytes(key));
            Stamp = StampOf("configured:" + Convert.ToHexString(_configured));
            return;
        }
        if (File.Exists(HashFile))
        {
            _hash = (await File.ReadAllTextAsync(HashFile, ct)).Trim();
            Stamp = StampOf(_hash);
            LogKeyKept(logger, HashFile);
            return;
        }
        var generated = RandomNumberGenerator.GetString("ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789", GeneratedLength);
        var hash = PasscodeHasher.Hash(generated);
        // CreateNew: two processes sharing a data folder must not both believe they made the key.
        await using (var file = new FileStream(HashFile, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteAsync(hash);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(HashFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        _hash = hash;
        Stamp = StampOf(hash);
        LogKeyCreated(logger, generated, HashFile);
    }

    public bool Verify(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 500)
        {
            return false;
        }
        if (_configured is { } configured)
        {
            return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(key)), configured);
        }
        return _hash is { } hash && PasscodeHasher.Verify(hash, key);
    }

    private static string StampOf(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message =
        "Admin key created; it is shown only this once, keep it safe:\n  Admin key: {Key}\n  Admin page: /admin\n  (Only its hash is kept, in {HashFile}; set LiveHub:Admin:Key to choose your own.)")]
    private static partial void LogKeyCreated(ILogger logger, string key, string hashFile);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message =
        "Admin key: the one printed at first start (its hash is in {HashFile}; delete that file and restart to get a new key)")]
    private static partial void LogKeyKept(ILogger logger, string hashFile);
}
