using System.Globalization;
using System.Text.RegularExpressions;

namespace LiveHub.Bench.Measure;

/// <summary>
/// LiveHub's grouped write transactions of one kind, as counted on its Prometheus endpoint: writes committed, transactions,
/// and milliseconds spent inside them. Subtract a reading taken before a run from one taken after.
/// </summary>
public sealed partial record StoreBatches(double Writes, double Transactions, double Milliseconds)
{
    public double WritesPerSecond => Milliseconds > 0 ? Writes / (Milliseconds / 1000) : 0;
    public double WritesPerTransaction => Transactions > 0 ? Writes / Transactions : 0;

    public static StoreBatches operator -(StoreBatches a, StoreBatches b) =>
        new(a.Writes - b.Writes, a.Transactions - b.Transactions, a.Milliseconds - b.Milliseconds);

    public static async Task<StoreBatches> ReadAsync(Uri baseUri, string operation, CancellationToken ct)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(baseUri, "/metrics"), ct);
        double writes = 0, transactions = 0, ms = 0;
        foreach (Match m in Sample().Matches(text))
        {
            if (!m.Groups["labels"].Value.Contains($"operation=\"{operation}\"", StringComparison.Ordinal))
            {
                continue;
            }
            var value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            switch (m.Groups["name"].Value)
            {
                case var n when n.StartsWith("livehub_db_batch_writes", StringComparison.Ordinal):
                    writes += value;
                    break;
                case var n when n.StartsWith("livehub_db_batch_duration", StringComparison.Ordinal) && n.EndsWith("_sum", StringComparison.Ordinal):
                    ms += value;
                    break;
                case var n when n.StartsWith("livehub_db_batch_duration", StringComparison.Ordinal) && n.EndsWith("_count", StringComparison.Ordinal):
                    transactions += value;
                    break;
            }
        }
        return new StoreBatches(writes, transactions, ms);
    }

    [GeneratedRegex(@"^(?<name>livehub_db_batch_\w+)\{(?<labels>[^}]*)\}\s+(?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
