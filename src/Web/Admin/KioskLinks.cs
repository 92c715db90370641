using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace LiveHub.Web.Admin;

public sealed record KioskTarget(string EventCode, string RoomKey);

public sealed record KioskLink(string Url, string Path);

/// <summary>
/// A room projector's kiosk URL: a token signed and encrypted by Data Protection, so the link cannot be edited to point
/// elsewhere. It opens the read-only projector page; no sign-in is involved.
/// </summary>
public sealed class KioskLinks(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("LiveHub.Kiosk.v1");

    public string Token(string eventCode, string roomKey) => _protector.Protect(JsonSerializer.Serialize(new KioskTarget(eventCode, roomKey)));

    public KioskTarget? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1000)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<KioskTarget>(_protector.Unprotect(token));
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }
}
