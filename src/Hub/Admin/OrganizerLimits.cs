namespace LiveHub.Admin;

/// <summary>
/// The limits of an event definition, which only the organizer's pages state (in their data block, beside
/// <see cref="Events.ClientLimits"/>): read from <see cref="ScenarioRules"/>, so the pages keep no numbers of their own.
/// </summary>
public sealed record OrganizerLimits(int EventNameMaxLength, int TitleMaxLength, int MaxSpeakers, int PasscodeMinLength, int KeyMaxLength)
{
    public static readonly OrganizerLimits Current = new(
        EventNameMaxLength: ScenarioRules.MaxNameLength,
        TitleMaxLength: ScenarioRules.MaxTitleLength,
        MaxSpeakers: ScenarioRules.MaxSpeakers,
        PasscodeMinLength: ScenarioRules.MinPasscodeLength,
        KeyMaxLength: ScenarioRules.MaxKeyLength);
}
