using Xunit.Abstractions;

namespace LiveHub.Tests.Faults;

/// <summary>
/// The fault suite's score: each case that checks acknowledged writes against the database records here how many it
/// checked, lost and doubled, before it asserts (so a loss is counted even when the test then fails). Lines go to the test
/// output and, when <c>LIVEHUB_FAULT_LEDGER</c> names a file (<c>.ci/run</c> sets it), to that file, which <c>.ci/run</c>
/// sums into its closing lines and docs/reliability.md quotes.
/// </summary>
public static class FaultLedger
{
    private static readonly object Gate = new();

    public static void Record(string @case, int acknowledged, int lost, int doubled, ITestOutputHelper? output = null)
    {
        var line = $"fault-ledger: case=\"{@case}\" acked={acknowledged} lost={lost} doubled={doubled}";
        output?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("LIVEHUB_FAULT_LEDGER") is { Length: > 0 } path)
        {
            lock (Gate)
            {
                File.AppendAllText(path, $"{@case}\t{acknowledged}\t{lost}\t{doubled}\n");
            }
        }
    }
}
