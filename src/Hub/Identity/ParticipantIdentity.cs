using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace LiveHub.Identity;

/// <summary>
/// The audience's identity: a random id the server issues, kept in a cookie signed and encrypted by Data Protection,
/// so a participant cannot claim someone else's id.
/// </summary>
public sealed class ParticipantIdentity(IDataProtectionProvider provider)
{
    public const string ItemKey = "livehub.participant";

    private readonly IDataProtector _protector = provider.CreateProtector("LiveHub.Participant.v1");

    public static string NewId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public string Protect(string participantId) => _protector.Protect(participantId);

    public string? Unprotect(string? cookie)
    {
        if (string.IsNullOrEmpty(cookie) || cookie.Length > 512)
        {
            return null;
        }
        try
        {
            return _protector.Unprotect(cookie);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
