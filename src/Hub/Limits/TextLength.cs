using System.Globalization;

namespace LiveHub.Limits;

/// <summary>
/// How long a text is as the person who typed it sees it: in grapheme clusters (an emoji with its skin tone, a letter with
/// its accent, a flag: one character each), not UTF-16 code units. Every limit on text a person types counts this way, and
/// the pages count the same way (<c>Intl.Segmenter</c>, js/lib/limits.js), so 300 emoji fit a 500-character question on both sides.
/// </summary>
public static class TextLength
{
    /// <summary>
    /// One character as people see it may be a long run of code units (a family emoji is 11, a letter may carry any number of
    /// stacked marks). A text may use up to this many per character of its limit, which any emoji with a skin tone or a flag
    /// fits; past that it is too long whatever it shows, so every text stays within the hub's small message size.
    /// </summary>
    public const int MaxCodeUnitsPerCharacter = 4;

    public static int Of(string? text) => string.IsNullOrEmpty(text) ? 0 : new StringInfo(text).LengthInTextElements;

    /// <summary>Whether the text is longer than <paramref name="max"/> characters (or its code units than four times that).</summary>
    public static bool Exceeds(string? text, int max) =>
        text is not null && text.Length > max && (text.Length > max * MaxCodeUnitsPerCharacter || Of(text) > max);
}
