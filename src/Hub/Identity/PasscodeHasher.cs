using Microsoft.AspNetCore.Identity;

namespace LiveHub.Identity;

/// <summary>Moderator passcodes are stored only as ASP.NET Core Identity password hashes (PBKDF2).</summary>
public static class PasscodeHasher
{
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object Subject = new();

    public static string Hash(string passcode) => Hasher.HashPassword(Subject, passcode);

    public static bool Verify(string hash, string passcode) =>
        !string.IsNullOrEmpty(passcode) && Hasher.VerifyHashedPassword(Subject, hash, passcode) != PasswordVerificationResult.Failed;
}
