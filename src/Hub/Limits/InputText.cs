using LiveHub.Realtime;

namespace LiveHub.Limits;

/// <summary>
/// The characters LiveHub stores, one rule for every field a person types. Control characters (C0, DEL and C1) are refused,
/// except tab, line feed and carriage return in fields that have lines (a question, a reply, an announcement, a poll's question,
/// an open answer); and half of a surrogate pair is refused everywhere. PostgreSQL refuses U+0000 in text where SQLite stores it:
/// refused here, before anything is written, the same text gets the same answer on both engines, and the answer is final
/// (<c>text_invalid</c>, not a retryable failure that a phone's outbox would resend for ever).
/// </summary>
public static class InputText
{
    /// <summary>Whether <paramref name="text"/> holds only characters LiveHub stores; null and empty do.</summary>
    public static bool IsStorable(string? text, bool multiline)
    {
        if (text is null)
        {
            return true;
        }
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && !(multiline && c is '\t' or '\n' or '\r'))
            {
                return false;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The error for text that is not storable, or null when it is (a field with lines when <paramref name="multiline"/>).</summary>
    public static HubError? Check(string? text, bool multiline) => IsStorable(text, multiline) ? null : ErrorCodes.TextInvalidError();

    /// <summary>The error for the first of several one-line texts that is not storable, or null.</summary>
    public static HubError? CheckLines(IEnumerable<string?> texts) => texts.All(t => IsStorable(t, multiline: false)) ? null : ErrorCodes.TextInvalidError();
}
