namespace LiveHub.Identity;

/// <summary>Every cookie name is defined here.</summary>
public static class CookieNames
{
    public const string Participant = "lh_pid";
    public const string Moderator = "lh_mod";
    public const string Admin = "lh_admin";
    public const string Language = "lh_lang";
}
