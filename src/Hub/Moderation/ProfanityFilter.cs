using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using LiveHub.Data.Events;

namespace LiveHub.Moderation;

/// <summary>
/// Holds back questions with abusive words for review, even in open sessions. Indonesian and English lists are built in;
/// an event can replace them with its own. Matching is on whole words after folding case, accents, repeated letters and
/// common character swaps (0→o, 1→i, 3→e, 4→a, @→a, $→s), so "b4ngsaaat" is caught and "Bangsal" is not.
/// </summary>
public sealed class ProfanityFilter
{
    /// <summary>How many words an event's own list may hold.</summary>
    public const int MaxWords = 2000;

    /// <summary>How long each word of an event's own list may be, in characters.</summary>
    public const int MaxWordLength = 40;

    /// <summary>Common Indonesian abuse; kept short on purpose: a false hold costs a moderator one click.</summary>
    public static readonly IReadOnlyList<string> Indonesian =
    [
        "anjing", "anjir", "asu", "bajingan", "bangsat", "brengsek", "goblok", "goblog", "jancuk", "jancok", "kampret", "keparat",
        "kontol", "memek", "ngentot", "entot", "pelacur", "lonte", "perek", "tolol", "bego", "tai", "taik", "setan", "sialan", "bangke",
    ];

    public static readonly IReadOnlyList<string> English =
    [
        "fuck", "fucking", "fucker", "motherfucker", "shit", "bullshit", "bitch", "asshole", "bastard", "cunt", "dick", "dickhead",
        "prick", "slut", "whore", "wanker", "twat", "retard",
    ];

    private static readonly HashSet<string> Defaults = Build(Indonesian.Concat(English));

    // Keyed by the list's text, not the event: a list edited on another node is a new key here, so nothing needs invalidating.
    private readonly ConcurrentDictionary<string, HashSet<string>> _custom = new(StringComparer.Ordinal);

    /// <summary>The list in force for an event: its own, if it set one, else the built-in lists.</summary>
    public IReadOnlySet<string> ListFor(EventRow e)
    {
        if (e.ProfanityWords is null)
        {
            return Defaults;
        }
        if (_custom.Count > 1000)
        {
            _custom.Clear();
        }
        return _custom.GetOrAdd(e.ProfanityWords, words => Build(words.Split('\n')));
    }

    public bool IsFlagged(EventRow e, string text) => FirstMatch(ListFor(e), text) is not null;

    public static string? FirstMatch(IReadOnlySet<string> words, string text) =>
        Tokens(text).FirstOrDefault(words.Contains);

    /// <summary>Folds a word the way both the list and the text are folded before they are compared.</summary>
    public static string Fold(string word)
    {
        var decomposed = word.ToLower(CultureInfo.InvariantCulture).Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            var mapped = c switch { '0' => 'o', '1' => 'i', '3' => 'e', '4' or '@' => 'a', '5' or '$' => 's', '7' => 't', _ => c };
            // "anjiiing" and "anjing" are one word: runs of a letter count once.
            if (folded.Length == 0 || folded[^1] != mapped)
            {
                folded.Append(mapped);
            }
        }
        return folded.ToString();
    }

    private static IEnumerable<string> Tokens(string text)
    {
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c is '@' or '$')
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                yield return Fold(word.ToString());
                word.Clear();
            }
        }
        if (word.Length > 0)
        {
            yield return Fold(word.ToString());
        }
    }

    private static HashSet<string> Build(IEnumerable<string> words) =>
        words.Select(w => w.Trim()).Where(w => w.Length > 0).Select(Fold).ToHashSet(StringComparer.Ordinal);
}
