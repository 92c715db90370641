using System.Text.RegularExpressions;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.Faults;

/// <summary>
/// One way to write and one clock, held by reading the source: a write that opens its own transaction, or a time read
/// beside the registered <see cref="TimeProvider"/>, fails here before it can fail in a hall. (On SQLite a connection
/// opened for reading cannot write at all; see the store contract suite.)
/// </summary>
public sealed class OneWayToWriteTests
{
    [Fact]
    public void NothingButTheDatabaseOpensAWriteTransactionOrTakesTheWriteGate()
    {
        var offenders = Find(@"\bBeginTransaction(Async)?\s*\(|\bWriteGateAsync\s*\(", except: Path.Combine("src", "Data", "Database.cs"));

        Assert.True(offenders.Count == 0, $"Write through Database.WriteAsync instead: {string.Join("; ", offenders)}");
    }

    [Fact]
    public void NothingReadsTheClockButTheRegisteredTimeProvider()
    {
        var offenders = Find(@"\bDate(Time|TimeOffset)\.(UtcNow|Now|Today)\b|\bStopwatch\b|\bEnvironment\.TickCount");

        Assert.True(offenders.Count == 0, $"Read the time from TimeProvider instead: {string.Join("; ", offenders)}");
    }

    /// <summary>Lines of LiveHub's C# sources (not the tests, not the bench) that match, as "file:line: text".</summary>
    private static List<string> Find(string pattern, string? except = null)
    {
        var src = Path.Combine(Repo.Root, "src");
        return Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && (except is null || !f.EndsWith(except, StringComparison.Ordinal)))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(Repo.Root, f), Line: i + 1, Text: line.Trim())))
            .Where(l => !l.Text.StartsWith("//", StringComparison.Ordinal) && !l.Text.StartsWith("///", StringComparison.Ordinal)
                        && Regex.IsMatch(l.Text, pattern))
            .Select(l => $"{l.File}:{l.Line}: {l.Text}")
            .ToList();
    }
}
