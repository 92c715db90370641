using LiveHub.Limits;
using LiveHub.Realtime;

namespace LiveHub.Questions;

/// <summary>Input rules for questions, shared by the hub and HTTP endpoints.</summary>
public static class QuestionRules
{
    public const int MaxClientIdLength = 64;

    /// <summary>Trims and checks a question's text; the trimmed text is stored exactly as typed otherwise.</summary>
    public static HubError? CheckText(string? text, int maxLength, out string trimmed)
    {
        trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return ErrorCodes.TextEmptyError();
        }
        if (TextLength.Exceeds(trimmed, maxLength))
        {
            return new HubError(ErrorCodes.TextTooLong, "error.text_too_long", $"The text is longer than {maxLength} characters.");
        }
        return InputText.Check(trimmed, multiline: true);
    }

    /// <summary>An empty or missing name means anonymous. A name is one line.</summary>
    public static HubError? CheckName(string? name, int maxLength, out string? trimmed)
    {
        trimmed = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        return TextLength.Exceeds(trimmed, maxLength)
            ? new HubError(ErrorCodes.NameTooLong, "error.name_too_long", $"The name is longer than {maxLength} characters.")
            : InputText.Check(trimmed, multiline: false);
    }

    /// <summary>Client ids are what the browser's outbox generates: letters, digits, '-' and '_'.</summary>
    public static HubError? CheckClientId(string? clientId) =>
        clientId is { Length: > 0 and <= MaxClientIdLength } && clientId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? null
            : HubError.Invalid("client_id", "A client id of 1-64 letters, digits, '-' or '_' is required.");
}

/// <summary>The moderator's actions on a question, and the state each leads to.</summary>
public static class ModerationActions
{
    public const string Approve = "approve";
    public const string Dismiss = "dismiss";
    public const string Answer = "answer";
    public const string Archive = "archive";
    public const string Restore = "restore";
    public const string Show = "show";
    public const string Hide = "hide";

    public static readonly IReadOnlyList<string> All = [Approve, Dismiss, Answer, Archive, Restore, Show, Hide];

    public static bool IsKnown(string? action) => action is not null && All.Contains(action);
}
