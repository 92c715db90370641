namespace LiveHub.Bench.Report;

/// <summary>A measured value for LiveHub and for what it is compared with (the baseline hub, or LiveHub's own reference run).</summary>
public sealed record Metric(string Name, double? LiveHub, double? Reference, string Unit);

/// <summary>
/// A target: <c>Ratio = LiveHub / Reference</c> compared with <c>Threshold</c> (<c>&gt;=</c> or <c>&lt;=</c>). A lower bound
/// (<c>Bound</c>) means a side never crossed the limit within the largest step tried, so the ratio is only an estimate.
/// </summary>
public sealed record Check(string Name, double? LiveHub, double? Reference, string ReferenceLabel, string Op, double Threshold, string Unit)
{
    public double? Ratio => LiveHub is { } l && Reference is { } r && r != 0 ? l / r : null;
    public bool? Pass => Ratio is { } x ? (Op == ">=" ? x >= Threshold : x <= Threshold) : null;
    public string Target => $"{Op} {Threshold:0.##}";
    public string? Bound { get; init; }
}

public sealed record ScenarioResult(int Id, string Title)
{
    public List<Metric> Metrics { get; } = [];
    public List<Check> Checks { get; } = [];
    public List<string> Notes { get; } = [];
    public string? Skipped { get; set; }
    public string? Error { get; set; }
    public double Seconds { get; set; }

    public Metric Add(string name, double? liveHub, double? reference, string unit)
    {
        var m = new Metric(name, liveHub, reference, unit);
        Metrics.Add(m);
        return m;
    }
}

/// <summary>p95 latency at one audience size, for the plot.</summary>
public sealed record RampPoint(int Connections, double? P95Ms, double? P50Ms, double MsgsPerSecond, double DeliveredShare)
{
    /// <summary>The server's and the bench's CPU during the step, each as a share of one core (NaN when not measured).</summary>
    public double? ServerCpu { get; init; }
    public double? ClientCpu { get; init; }

    /// <summary>What other processes on the machine took from core 0 (besides this side's server) and core 1 (besides the bench).</summary>
    public double? OthersCore0 { get; init; }
    public double? OthersCore1 { get; init; }

    /// <summary>The bench's own core passed its limit during the step: the step's figure is a lower bound.</summary>
    public bool ClientBound { get; init; }
}

public sealed record RampSeries(string Side, double UpdatesPerSecond, List<RampPoint> Points);

public sealed record Machine(string Cpu, int Cores, long MemoryBytes, string Os, string Runtime, string OpenFilesLimit);

public sealed record BenchReport
{
    public required string Mode { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required Machine Machine { get; init; }
    public required string GitCommit { get; init; }
    public required string Command { get; init; }
    public required string Pinning { get; init; }
    public List<ScenarioResult> Scenarios { get; } = [];
    public List<RampSeries> Ramps { get; } = [];
    public double Seconds { get; set; }
}
