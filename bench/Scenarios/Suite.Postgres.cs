using LiveHub.Bench.Report;
using LiveHub.Bench.Servers;

namespace LiveHub.Bench.Scenarios;

public sealed partial class Suite
{
    /// <summary>
    /// 9. The question burst (scenario 5's askers) and the vote storm (scenario 2's voters and rate) on the PostgreSQL store,
    /// beside the same on SQLite in the same run: each store on a fresh LiveHub with the same audience, PostgreSQL on the server
    /// core with LiveHub (as SQLite is, in-process). Checked against what a hall needs.
    /// </summary>
    private async Task PostgresAsync(ScenarioResult r, CancellationToken ct)
    {
        if (settings.Target is not null)
        {
            r.Skipped = "--target: needs fresh servers of its own";
            return;
        }
        if (BenchPostgres.Missing(settings) is { } missing)
        {
            r.Skipped = missing;
            return;
        }
        await using var postgres = await BenchPostgres.StartAsync(settings);
        var samples = new Dictionary<string, (BurstSample Burst, StormSample Storm, double BatchWrites)>();
        foreach (var store in new[] { "SQLite", "PostgreSQL" })
        {
            await using var server = await launcher.StartLiveHubAsync($"livehub-{store.ToLowerInvariant()}",
                postgres: store == "PostgreSQL" ? postgres.NewDatabase("bench") : null);
            await using var lh = await LiveHubRoom.OpenAsync(server.BaseUri, server, settings, ct);
            await lh.SetAudienceAsync(settings.Audience, ct);
            var before = await Measure.StoreBatches.ReadAsync(server.BaseUri, "ask", ct);
            var burst = await AskBurstAsync(lh, settings.BurstQuestions, ct);
            await Task.Delay(1000, ct); // the metrics endpoint caches its answer for a moment
            var batches = await Measure.StoreBatches.ReadAsync(server.BaseUri, "ask", ct) - before;
            log.WriteLine($"  {store}: {burst.Acked} questions acknowledged ({burst.Failed} failed) in {burst.Seconds:0.00} s = {burst.PerSecond:0}/s, " +
                          $"ask p95 {burst.AckP95:0.0} ms, {batches.WritesPerTransaction:0.0} per transaction");
            await using var rig = await LiveHubStormRig.OpenAsync(lh, settings.Voters, ct);
            var storm = await rig.RunAsync(lh, settings.VotesPerSecond, settings.StormSeconds, ct);
            log.WriteLine($"  {store}:");
            Log(storm);
            samples[store] = (burst, storm, batches.WritesPerTransaction);
            await lh.SetAudienceAsync(0, ct);
        }
        var (pg, lite) = (samples["PostgreSQL"], samples["SQLite"]);
        r.Add("questions acknowledged per second (reference: SQLite)", pg.Burst.PerSecond, lite.Burst.PerSecond, "questions/s");
        r.Add("ask acknowledgement p95 (reference: SQLite)", pg.Burst.AckP95, lite.Burst.AckP95, "ms");
        r.Add("questions per write transaction (reference: SQLite)", pg.BatchWrites, lite.BatchWrites, "rows");
        r.Add("votes acknowledged per second (reference: SQLite)", pg.Storm.IngestPerSecond, lite.Storm.IngestPerSecond, "votes/s");
        r.Add("vote acknowledgement p95 (reference: SQLite)", pg.Storm.AckP95, lite.Storm.AckP95, "ms");
        r.Add("vote -> projector p95 (reference: SQLite)", pg.Storm.ScreenP95, lite.Storm.ScreenP95, "ms");
        r.Add("LiveHub's process CPU during the storm, PostgreSQL's not counted (reference: SQLite, in-process)", pg.Storm.ServerCpu, lite.Storm.ServerCpu, "cores");
        foreach (var (store, s) in new[] { ("PostgreSQL", pg), ("SQLite", lite) })
        {
            AddHallAskChecks(r, $"{store}: ", s.Burst);
            r.Checks.Add(new Check($"{store}: votes acknowledged per second vs offered", s.Storm.IngestPerSecond, settings.VotesPerSecond,
                $"{settings.VotesPerSecond:0}/s offered", ">=", 0.95, "votes/s"));
            r.Checks.Add(new Check($"{store}: vote acknowledgement p95 vs 1 s", s.Storm.AckP95, 1000, "1 s", "<=", 1, "ms"));
        }
        r.Notes.Add($"Each store on a fresh LiveHub with {settings.Audience} phones joined; {settings.Askers} askers ask {settings.BurstQuestions} questions " +
                    $"as fast as their acknowledgements come back (scenario 5's closed loop, without its fan-out), then {settings.Voters} voters change " +
                    $"their votes at {settings.VotesPerSecond:0} votes/s for {settings.StormSeconds:0} s (scenario 2's storm). PostgreSQL is a fresh server " +
                    "(initdb) on the server core with LiveHub, durable as shipped (fsync and synchronous_commit on); SQLite is LiveHub's default " +
                    "(WAL, synchronous=NORMAL). The keynote's 500 votes a second and a hall's 30 questions a second are what the checks stand for.");
    }
}
