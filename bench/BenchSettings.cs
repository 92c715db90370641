namespace LiveHub.Bench;

/// <summary>What one run measures and how hard. Three sizes: <c>--smoke</c> (the harness test), <c>--quick</c> (under two minutes) and the full run.</summary>
public sealed record BenchSettings
{
    public string Mode { get; init; } = "full";
    public bool Help { get; init; }

    /// <summary>A running LiveHub to drive instead of starting one (scenarios that need a fresh server or its database are then skipped).</summary>
    public Uri? Target { get; init; }
    public string? LiveHubDll { get; init; }
    public string Configuration { get; init; } = "Release";
    public string EventCode { get; init; } = "KUPANG";
    public string SessionKey { get; init; } = "keynote";
    public string Passcode { get; init; } = "bench";
    public string ResultsDir { get; init; } = Path.Combine(RepoPaths.Root, "bench", "results");
    public bool Pin { get; init; } = true;
    public string? RedisServer { get; init; } = Which("redis-server");
    public HashSet<int> Only { get; init; } = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    /// <summary>A PostgreSQL server for scenarios 9 and 10 (a connection string; each run makes a database of its own on it). Default: one the bench starts.</summary>
    public string? Postgres { get; init; }

    // 1. Room fan-out
    public int Audience { get; init; } = 1000;
    public double UpdatesPerSecond { get; init; } = 10;
    public double RunSeconds { get; init; } = 10;

    // 2. Vote storm
    public int Voters { get; init; } = 200;
    public double VotesPerSecond { get; init; } = 2000;
    public double StormSeconds { get; init; } = 10;
    public int[] StormSteps { get; init; } = [10, 50, 250, 1000, 3000];
    public double StormStepSeconds { get; init; } = 4;

    // 3. Capacity ramp
    // The lean audience holds one socket (one open file) per phone: with 20,000 open files per process here, the largest step
    // stays well below that in the bench and in the server.
    public int[] RampSteps { get; init; } = [1000, 2000, 3500, 5000, 7000, 9000, 12000, 15000];
    public double RampStepSeconds { get; init; } = 4;
    public double LatencyLimitMs { get; init; } = 250;

    /// <summary>Server CPU per delivered message on both sides: (updates a second, phones) pairs, each run for <see cref="CostSeconds"/>.</summary>
    public (double Rate, int Phones)[] CostRuns { get; init; } = [(1, 10000), (10, 3000)];
    public double CostSeconds { get; init; } = 10;

    /// <summary>
    /// Updates sent before each cost run, unmeasured: a server fresh from a crowd's joins is still compiling its send path in
    /// tiers, LiveHub (more code) for longer than the bare hub, and a venue's server has long finished.
    /// </summary>
    public double CostWarmUpSeconds { get; init; } = 30;

    /// <summary>Loopback source addresses (127.0.0.1, .2, …) the ramp's lean phones spread over from the start; they move on by themselves when one runs out of ports.</summary>
    public int SourceAddresses { get; init; } = 1;

    // 4. Memory
    public int[] MemorySteps { get; init; } = [1000, 10000];

    // 5. Question burst
    public int BurstQuestions { get; init; } = 5000;
    public double BurstSeconds { get; init; } = 10;
    public int Askers { get; init; } = 50;

    /// <summary>
    /// What a hall needs of the question path: a 15,000-phone keynote in which one phone in fifty asks within the same ten
    /// seconds (the moderator's "send your questions now") is 30 a second; the check asks for more than three times that,
    /// acknowledged with p95 under <see cref="HallAskP95Ms"/>.
    /// </summary>
    public double HallQuestionsPerSecond { get; init; } = 100;
    public double HallAskP95Ms { get; init; } = 500;

    // 10. Cluster
    /// <summary>The cluster's ramp: steps (phones through nginx) at <see cref="ClusterUpdatesPerSecond"/>.</summary>
    public int[] ClusterSteps { get; init; } = [1000, 2000, 3500, 5000, 7000, 9000];
    public double ClusterUpdatesPerSecond { get; init; } = 4;

    // 7. Slow clients
    public double SlowFraction { get; init; } = 0.01;
    public double SlowSeconds { get; init; } = 30;
    public double SlowUpdatesPerSecond { get; init; } = 20;

    /// <summary>Environment variables for LiveHub's processes (GC and runtime trials: <c>--server-env DOTNET_gcServer=0</c>).</summary>
    public Dictionary<string, string> ServerEnvironment { get; init; } = [];

    // 8. Keynote mix
    public int KeynotePhones { get; init; } = 15000;
    public double KeynoteQaSeconds { get; init; } = 40;
    public double KeynoteVoteSeconds { get; init; } = 30;

    /// <summary>Phones reconnecting at any one time after the keynote's Wi-Fi blip: a whole hall comes back at once.</summary>
    public int KeynoteBlipWindow { get; init; } = 1000;

    public static BenchSettings Quick { get; } = new()
    {
        KeynotePhones = 1000, KeynoteQaSeconds = 10, KeynoteVoteSeconds = 10, CostRuns = [(1, 500), (10, 300)], CostSeconds = 3, CostWarmUpSeconds = 3,
        Mode = "quick", Audience = 200, RunSeconds = 3, Voters = 50, VotesPerSecond = 500, StormSeconds = 3,
        StormSteps = [10, 100, 300], StormStepSeconds = 2, RampSteps = [200, 500], RampStepSeconds = 2,
        MemorySteps = [250, 500], BurstQuestions = 1000, Askers = 20, SlowSeconds = 4, ClusterSteps = [200, 500],
    };

    public static BenchSettings Smoke { get; } = new()
    {
        Mode = "smoke", Audience = 20, RunSeconds = 1.5, Voters = 10, VotesPerSecond = 100, StormSeconds = 2,
        StormSteps = [5, 10], StormStepSeconds = 1.5, RampSteps = [20, 40], RampStepSeconds = 1.5,
        KeynotePhones = 30, KeynoteQaSeconds = 3, KeynoteVoteSeconds = 2, CostRuns = [(10, 100)], CostSeconds = 2, CostWarmUpSeconds = 1,
        MemorySteps = [25, 50], BurstQuestions = 100, Askers = 5, SlowSeconds = 2, SlowFraction = 0.05, ClusterSteps = [20, 40],
        // A hall's need is the full run's check; the smoke run's askers are few and its machine busy.
        HallQuestionsPerSecond = 5, HallAskP95Ms = 5000,
        // The smoke run checks the harness, not speed: on a loaded test machine a first ramp step must still count as passed,
        // or a capacity of zero on both sides would leave its ratio undefined.
        LatencyLimitMs = 5000,
    };

    public const string Usage = """
        LiveHub.Bench: drives LiveHub and a bare SignalR hub with the same load and reports the ratios.

          dotnet bench/bin/Release/net10.0/LiveHub.Bench.dll [--quick | --smoke] [options]

          --quick               the small run (under two minutes)
          --smoke               the tiny run the harness test uses
          --target URL          drive a running LiveHub instead of starting one (passcode: --passcode)
          --livehub-dll PATH    LiveHub.Web.dll to start (default: src/Web/bin/<config>/net10.0, built if missing)
          --configuration C     Release (default) or Debug, for the default LiveHub.Web.dll
          --results DIR         where the JSON, markdown and SVG go (default bench/results)
          --only 1,2,3          run some scenarios only
          --audience N          scenario 1's audience size
          --votes-per-second V  scenario 2's vote rate
          --voters N            scenario 2's voter connections
          --askers N            scenario 5's concurrent askers
          --ramp-steps A,B,C    scenario 3's audience steps (connections); 0: no ramp, only the cost per message
          --ramp-seconds S      scenario 3's seconds per step
          --keynote-phones N    scenario 8's audience (default 15,000)
          --keynote-seconds Q,V scenario 8's Q&A and voting seconds (default 40,30)
          --source-addresses N  spread scenario 3's phones over 127.0.0.1 … 127.0.0.N from the start
          --server-env K=V      an environment variable for LiveHub's processes (repeatable), e.g. DOTNET_gcServer=0
          --no-pin              do not pin servers to core 0 and the clients to core 1 (taskset)
          --redis-server PATH   redis-server for scenarios 6 and 10 (default: from PATH; missing skips them)
          --postgres CONN       a PostgreSQL server for scenarios 9 and 10 (default: one the bench starts with initdb)
          --cluster-steps A,B   scenario 10's audience steps through nginx
        """;

    public static BenchSettings Parse(string[] args)
    {
        var s = args.Contains("--smoke") ? Smoke : args.Contains("--quick") ? Quick : new BenchSettings();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            s = args[i] switch
            {
                "--smoke" or "--quick" => s,
                "-h" or "--help" => s with { Help = true },
                "--target" => s with { Target = new Uri(Next()) },
                "--livehub-dll" => s with { LiveHubDll = Path.GetFullPath(Next()) },
                "--configuration" => s with { Configuration = Next() },
                "--results" => s with { ResultsDir = Path.GetFullPath(Next()) },
                "--passcode" => s with { Passcode = Next() },
                "--only" => s with { Only = Next().Split(',').Select(int.Parse).ToHashSet() },
                "--audience" => s with { Audience = int.Parse(Next()) },
                "--votes-per-second" => s with { VotesPerSecond = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--askers" => s with { Askers = int.Parse(Next()) },
                "--ramp-steps" => s with { RampSteps = Next().Split(',').Select(int.Parse).Where(n => n > 0).ToArray() },
                "--source-addresses" => s with { SourceAddresses = int.Parse(Next()) },
                "--ramp-seconds" => s with { RampStepSeconds = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--keynote-phones" => s with { KeynotePhones = int.Parse(Next()) },
                "--keynote-seconds" => Next().Split(',') is [var q, var v]
                    ? s with { KeynoteQaSeconds = double.Parse(q, System.Globalization.CultureInfo.InvariantCulture), KeynoteVoteSeconds = double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) }
                    : throw new ArgumentException("--keynote-seconds takes Q&A,voting seconds"),
                "--voters" => s with { Voters = int.Parse(Next()) },
                "--server-env" => Next().Split('=', 2) is [var k, var v]
                    ? s with { ServerEnvironment = new Dictionary<string, string>(s.ServerEnvironment) { [k] = v } }
                    : throw new ArgumentException("--server-env takes NAME=VALUE"),
                "--no-pin" => s with { Pin = false },
                "--redis-server" => s with { RedisServer = Next() },
                "--postgres" => s with { Postgres = Next() },
                "--cluster-steps" => s with { ClusterSteps = Next().Split(',').Select(int.Parse).ToArray() },
                _ => throw new ArgumentException($"Unknown option {args[i]}\n{Usage}"),
            };
        }
        return s;
    }

    public static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
}

public static class RepoPaths
{
    /// <summary>The checkout's root: the folder holding LiveHub.sln, found above the bench's own files or the working directory.</summary>
    public static string Root { get; } = Find(AppContext.BaseDirectory) ?? Find(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LiveHub.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
