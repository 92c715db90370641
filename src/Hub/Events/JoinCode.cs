using System.Security.Cryptography;

namespace LiveHub.Events;

/// <summary>Short join codes from an alphabet without look-alikes (no O/0, I/1/L).</summary>
public static class JoinCode
{
    public const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    public const int Length = 6;

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>Upper-cases a typed code and drops spaces and dashes; null if it cannot be a code.</summary>
    public static string? Normalize(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed) || typed.Length > 32)
        {
            return null;
        }
        var chars = typed.Trim().ToUpperInvariant().Where(c => c is not (' ' or '-')).ToArray();
        return chars.Length == Length && chars.All(c => Alphabet.Contains(c)) ? new string(chars) : null;
    }
}
