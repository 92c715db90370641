using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiveHub.Bench.Report;

/// <summary>Writes a run as JSON, a markdown table and an SVG plot of p95 latency against connections.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static IReadOnlyList<string> Write(BenchReport report, string dir)
    {
        Directory.CreateDirectory(dir);
        var stem = Path.Combine(dir, $"{report.StartedAt:yyyyMMdd-HHmmss}-{report.Mode}");
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(report, Json));
        File.WriteAllText(stem + ".md", Markdown(report));
        File.WriteAllText(stem + "-latency.svg", Svg(report));
        return [stem + ".json", stem + ".md", stem + "-latency.svg"];
    }

    private static string F(double? v) => v switch
    {
        null => "–",
        double d when double.IsNaN(d) => "–",
        double d when Math.Abs(d) >= 100 => d.ToString("#,0", CultureInfo.InvariantCulture),
        double d when Math.Abs(d) >= 10 => d.ToString("0.0", CultureInfo.InvariantCulture),
        double d => d.ToString("0.00", CultureInfo.InvariantCulture),
    };

    public static string Markdown(BenchReport report)
    {
        var m = report.Machine;
        var sb = new StringBuilder();
        sb.AppendLine($"# LiveHub bench — {report.Mode} run, {report.StartedAt:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine();
        sb.AppendLine($"Machine: {m.Cpu}, {m.Cores} cores, {m.MemoryBytes / 1073741824.0:0.0} GiB, {m.Os}, {m.Runtime}, ulimit -n {m.OpenFilesLimit}. ");
        sb.AppendLine($"Commit: `{report.GitCommit}`. Pinning: {report.Pinning}. Took {report.Seconds:0} s. ");
        sb.AppendLine($"Reproduce: `{report.Command}`");
        sb.AppendLine();
        sb.AppendLine("## Targets");
        sb.AppendLine();
        sb.AppendLine("| # | check | LiveHub | reference | ratio | target | result |");
        sb.AppendLine("|---|---|---:|---:|---:|---|---|");
        foreach (var s in report.Scenarios)
        {
            if (s.Skipped is not null || s.Error is not null)
            {
                sb.AppendLine($"| {s.Id} | {s.Title} | | | | | {(s.Skipped is not null ? "skipped: " + s.Skipped : "error: " + s.Error)} |");
                continue;
            }
            foreach (var c in s.Checks)
            {
                var result = c.Pass switch { true => "pass", false => "**miss**", null => "no value" };
                if (c.Bound is not null)
                {
                    result += $" ({c.Bound})";
                }
                sb.AppendLine($"| {s.Id} | {c.Name} | {F(c.LiveHub)} {c.Unit} | {F(c.Reference)} ({c.ReferenceLabel}) | {F(c.Ratio)} | {c.Target} | {result} |");
            }
        }
        foreach (var s in report.Scenarios.Where(s => s.Skipped is null && s.Error is null))
        {
            sb.AppendLine();
            sb.AppendLine($"## {s.Id}. {s.Title} ({s.Seconds:0} s)");
            sb.AppendLine();
            sb.AppendLine("| measure | LiveHub | reference | ratio | unit |");
            sb.AppendLine("|---|---:|---:|---:|---|");
            foreach (var x in s.Metrics)
            {
                var ratio = x.LiveHub is { } l && x.Reference is { } r && r != 0 ? l / r : (double?)null;
                sb.AppendLine($"| {x.Name} | {F(x.LiveHub)} | {F(x.Reference)} | {F(ratio)} | {x.Unit} |");
            }
            foreach (var n in s.Notes)
            {
                sb.AppendLine();
                sb.AppendLine(n);
            }
        }
        var steps = report.Ramps.Where(r => r.Points.Any(p => p.ClientCpu is not null)).ToList();
        if (steps.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Capacity ramp, step by step");
            sb.AppendLine();
            sb.AppendLine("CPU as a share of one core: the server's core (0) and the bench's client core (1). A step with the client above 85 % is " +
                          "marked *client-bound*: the bench may be what limits it, so its figure is a lower bound.");
            sb.AppendLine();
            sb.AppendLine("\"others\" is what the machine's other processes took from each core during the step (it is shared).");
            sb.AppendLine();
            sb.AppendLine("| side | updates/s | connections | p50 ms | p95 ms | delivered | msg/s | server CPU | client CPU | others core 0 / 1 | |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var r in steps)
            {
                foreach (var p in r.Points)
                {
                    sb.AppendLine($"| {r.Side} | {F(r.UpdatesPerSecond)} | {p.Connections:#,0} | {F(p.P50Ms)} | {F(p.P95Ms)} | {p.DeliveredShare * 100:0.0} % | " +
                                  $"{F(p.MsgsPerSecond)} | {Percent(p.ServerCpu)} | {Percent(p.ClientCpu)} | {Percent(p.OthersCore0)} / {Percent(p.OthersCore1)} | {(p.ClientBound ? "client-bound (lower bound)" : "")} |");
                }
            }
        }
        return sb.ToString();
    }

    private static string Percent(double? share) => share is { } v && !double.IsNaN(v) ? $"{v * 100:0} %" : "–";

    /// <summary>p95 against connections, one line per ramp; the latency limit as a dashed line. Values past the top are drawn at the top.</summary>
    public static string Svg(BenchReport report)
    {
        const int w = 760, h = 420, left = 70, right = 200, top = 30, bottom = 50;
        var series = report.Ramps.Where(r => r.Points.Count > 0).ToList();
        var maxX = Math.Max(10, series.SelectMany(s => s.Points).Select(p => p.Connections).DefaultIfEmpty(10).Max());
        const double maxY = 500;
        double X(double c) => left + c / maxX * (w - left - right);
        double Y(double ms) => top + (1 - Math.Min(ms, maxY) / maxY) * (h - top - bottom);
        string[] colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">""");
        sb.AppendLine(inv, $"""<rect width="{w}" height="{h}" fill="white"/>""");
        sb.AppendLine(inv, $"""<text x="{left}" y="18" font-size="14">p95 latency against connections ({report.Mode} run, {report.StartedAt:yyyy-MM-dd})</text>""");
        sb.AppendLine(inv, $"""<line x1="{left}" y1="{h - bottom}" x2="{w - right}" y2="{h - bottom}" stroke="black"/>""");
        sb.AppendLine(inv, $"""<line x1="{left}" y1="{top}" x2="{left}" y2="{h - bottom}" stroke="black"/>""");
        for (var i = 0; i <= 5; i++)
        {
            var ms = maxY * i / 5;
            var c = maxX * i / 5.0;
            sb.AppendLine(inv, $"""<text x="{left - 8}" y="{Y(ms) + 4:0.0}" text-anchor="end">{ms:0}</text>""");
            sb.AppendLine(inv, $"""<text x="{X(c):0.0}" y="{h - bottom + 18}" text-anchor="middle">{c:0}</text>""");
        }
        sb.AppendLine(inv, $"""<text x="{(left + w - right) / 2}" y="{h - 10}" text-anchor="middle">connections</text>""");
        sb.AppendLine(inv, $"""<text x="16" y="{(top + h - bottom) / 2}" transform="rotate(-90 16 {(top + h - bottom) / 2})" text-anchor="middle">p95 ms (capped at {maxY:0})</text>""");
        sb.AppendLine(inv, $"""<line x1="{left}" y1="{Y(250):0.0}" x2="{w - right}" y2="{Y(250):0.0}" stroke="#999" stroke-dasharray="6 4"/>""");
        sb.AppendLine(inv, $"""<text x="{w - right - 4}" y="{Y(250) - 4:0.0}" text-anchor="end" fill="#666">250 ms</text>""");
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var color = colors[i % colors.Length];
            var dash = s.Side.StartsWith("baseline") ? " stroke-dasharray=\"4 3\"" : "";
            var pts = string.Join(' ', s.Points.Select(p => string.Create(inv, $"{X(p.Connections):0.0},{Y(p.P95Ms ?? maxY):0.0}")));
            sb.AppendLine(inv, $"""<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2"{dash}/>""");
            foreach (var p in s.Points)
            {
                sb.AppendLine(inv, $"""<circle cx="{X(p.Connections):0.0}" cy="{Y(p.P95Ms ?? maxY):0.0}" r="3" fill="{color}"><title>{s.Side} {p.Connections}: p95 {p.P95Ms:0.0} ms</title></circle>""");
            }
            var label = s.Side.Contains("storm") ? $"{s.Side} {s.UpdatesPerSecond:0} votes/s" : $"{s.Side} {s.UpdatesPerSecond:0} updates/s";
            sb.AppendLine(inv, $"""<line x1="{w - right + 12}" y1="{top + 10 + i * 20}" x2="{w - right + 36}" y2="{top + 10 + i * 20}" stroke="{color}" stroke-width="2"{dash}/>""");
            sb.AppendLine(inv, $"""<text x="{w - right + 42}" y="{top + 14 + i * 20}">{label}</text>""");
        }
        sb.AppendLine("</svg>");
        return sb.ToString();
    }
}
