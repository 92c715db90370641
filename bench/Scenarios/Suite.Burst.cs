using System.Diagnostics;
using LiveHub.Bench.Clients;
using LiveHub.Bench.Measure;
using LiveHub.Bench.Report;
using Microsoft.Data.Sqlite;

namespace LiveHub.Bench.Scenarios;

public sealed partial class Suite
{
    /// <summary>
    /// 5. A burst of questions, as fast as the askers' acknowledgements come back (each asker waits for its ack: a question is
    /// acknowledged only once committed), while the room's fan-out runs as in scenario 1. Checked against what a hall needs
    /// (questions acknowledged a second at a p95); LiveHub's write path replayed beside the same rows inserted raw into a copy of
    /// the database is reported beside it.
    /// </summary>
    private async Task QuestionBurstAsync(LiveHubRoom lh, ScenarioResult r, CancellationToken ct)
    {
        await lh.SetAudienceAsync(settings.Audience, ct);
        await lh.PrepareUpdatesAsync((int)Math.Ceiling(settings.UpdatesPerSecond * settings.BurstSeconds * 3) + 4, 120, ct);
        var batchesBefore = await StoreBatches.ReadAsync(lh.BaseUri, "ask", ct);
        using var burstDone = new CancellationTokenSource();
        var fanOutTask = FanOut.RunAsync(lh, settings.UpdatesPerSecond, settings.BurstSeconds * 3, ct, stopEarly: burstDone.Token);
        var burst = await AskBurstAsync(lh, settings.BurstQuestions, ct);
        var (acked, failed, burstSeconds, liveRate) = (burst.Acked, burst.Failed, burst.Seconds, burst.PerSecond);
        burstDone.Cancel();
        var batches = (await StoreBatches.ReadAsync(lh.BaseUri, "ask", ct)) - batchesBefore;
        var fanOut = await fanOutTask;
        Log(fanOut);
        log.WriteLine($"  LiveHub: {acked} questions acknowledged ({failed} failed) in {burstSeconds:0.00} s = {liveRate:0}/s, ack p95 {burst.AckP95:0.0} ms");
        log.WriteLine($"  store: {batches.Writes} asks in {batches.Transactions} transactions, {batches.Milliseconds:0} ms inside them = {batches.WritesPerSecond:0}/s");

        double? rawRate = null, perRowRate = null, storeRate = null, largeBatchRate = null;
        var batchSize = Math.Max(1, (int)Math.Round(batches.WritesPerTransaction));
        if (lh.Server?.DataDir is { } dataDir)
        {
            (rawRate, perRowRate, storeRate, largeBatchRate) = await RawInsertAsync(Path.Combine(dataDir, "livehub.db"), batchSize, ct);
            log.WriteLine($"  raw insert: one transaction {rawRate:0}/s, one transaction per row {perRowRate:0}/s; " +
                          $"LiveHub's store path in batches of {batchSize}: {storeRate:0}/s, in batches of 256: {largeBatchRate:0}/s");
        }
        else
        {
            r.Notes.Add("--target: the server's database is not at hand, so the raw insert was not measured.");
        }
        r.Add("questions acknowledged", acked, settings.BurstQuestions, "questions");
        r.Add("burst duration", burstSeconds, settings.BurstSeconds, "s");
        r.Add($"LiveHub's store path replayed beside the raw insert, batches of {batchSize} as in the burst (raw: one transaction)", storeRate, rawRate, "rows/s");
        r.Add("LiveHub's store path replayed in batches of 256 (raw: one transaction)", largeBatchRate, rawRate, "rows/s");
        r.Add("in the server during the burst: questions per second inside write transactions", batches.WritesPerSecond, rawRate, "rows/s");
        r.Add("questions per write transaction during the burst", batches.WritesPerTransaction, null, "rows");
        r.Add("acknowledged questions/s end to end (raw: one transaction)", liveRate, rawRate, "rows/s");
        r.Add("acknowledged questions/s end to end (raw: one transaction per row)", liveRate, perRowRate, "rows/s");
        r.Add("ask ack latency p95", burst.AckP95, null, "ms");
        if (_fanOutLiveHub is { } quiet)
        {
            AddFanOut(r, fanOut, quiet, "fan-out during burst (ref: scenario 1): ");
        }
        AddHallAskChecks(r, "", burst);
        r.Checks.Add(new Check("fan-out during burst vs without", fanOut.MsgsPerSecond, _fanOutLiveHub?.MsgsPerSecond, "scenario 1 LiveHub", ">=", 0.9, "msg/s"));
        r.Notes.Add($"{settings.Askers} askers, each waiting for its acknowledgement before the next question (closed loop); the target is " +
                    $"{settings.BurstQuestions} questions within {settings.BurstSeconds} s. The raw insert copies the database (VACUUM INTO), " +
                    "deletes the burst's rows and inserts them again with the same columns, pragmas as LiveHub's defaults (WAL, synchronous=NORMAL, foreign keys) and indexes. " +
                    "Persistence is LiveHub's own write path (LiveHub.Data's GroupCommit and QuestionStore.AskManyInAsync: participant rows, " +
                    "idempotency on the client id, the session's version counters, the stored rows read back) storing the same rows into the " +
                    "same copy in batches of the size the burst formed, timed in the bench process right after the raw insert, so both run " +
                    "under the same conditions. Inside the server during the burst the same transactions share the core with the hub " +
                    "(from its /metrics: livehub.db.batch.writes and livehub.db.batch.duration for asks); end to end, the askers' closed " +
                    "loop and the hub calls bound the rate. Both are reported beside it.");
        r.Notes.Add($"The check is what a hall needs, {settings.HallQuestionsPerSecond:0} questions acknowledged a second with p95 under " +
                    $"{settings.HallAskP95Ms:0} ms (a 15,000-phone keynote in which one phone in fifty asks within the same ten seconds is 30 a second), " +
                    "not the replay's ratio to a raw insert: each asker waits for its own commit, so a transaction holds at most as many " +
                    "questions as askers are waiting, and at the burst's batch size a commit's fixed cost (the WAL pages of the table, its " +
                    "indexes and the session's row) is most of the time; the same path in batches of 256 reaches about the raw insert.");
    }

    public sealed record BurstSample(int Acked, int Failed, double Seconds, double? AckP95)
    {
        public double PerSecond => Seconds > 0 ? Acked / Seconds : 0;
    }

    /// <summary>
    /// The askers' closed loop: <see cref="BenchSettings.Askers"/> connections, each asking its next question as soon as the
    /// previous one was acknowledged (a question is acknowledged once committed), until <paramref name="questions"/> were asked.
    /// </summary>
    private async Task<BurstSample> AskBurstAsync(LiveHubRoom lh, int questions, CancellationToken ct)
    {
        var askers = await Many.OpenAsync(settings.Askers, 16, _ => LiveHubClient.ConnectAsync(lh.BaseUri, ct: ct));
        var text = LiveHubRoom.QuestionText(120);
        var next = 0;
        var acked = 0;
        var failed = 0;
        var ackLatency = new Histogram();
        var start = Stopwatch.GetTimestamp();
        long lastAck = start;
        await Task.WhenAll(askers.Select(async asker =>
        {
            while (Interlocked.Increment(ref next) <= questions)
            {
                var t = Stopwatch.GetTimestamp();
                var result = await asker.InvokeAsync<QuestionLite>("AskQuestion",
                    new AskQuestionRequest(lh.SessionId, $"burst-{Guid.NewGuid():N}", text, null));
                if (result.Ok)
                {
                    ackLatency.Record(Histogram.MsSince(t));
                    Interlocked.Increment(ref acked);
                    Interlocked.Exchange(ref lastAck, Stopwatch.GetTimestamp());
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        await Many.DisposeAllAsync(askers);
        return new BurstSample(acked, failed, Histogram.Ms(start, lastAck) / 1000, ackLatency.Percentile(95));
    }

    /// <summary>
    /// What a hall needs of the question path, in place of a comparison with a raw insert: questions acknowledged a second
    /// against <see cref="BenchSettings.HallQuestionsPerSecond"/>, and their p95 against <see cref="BenchSettings.HallAskP95Ms"/>.
    /// </summary>
    private void AddHallAskChecks(ScenarioResult r, string prefix, BurstSample burst)
    {
        r.Checks.Add(new Check($"{prefix}questions acknowledged per second vs a hall's need", burst.PerSecond, settings.HallQuestionsPerSecond,
            $"{settings.HallQuestionsPerSecond:0}/s", ">=", 1, "questions/s"));
        r.Checks.Add(new Check($"{prefix}ask acknowledgement p95 vs {settings.HallAskP95Ms:0} ms", burst.AckP95, settings.HallAskP95Ms,
            $"{settings.HallAskP95Ms:0} ms", "<=", 1, "ms"));
        r.Checks.Add(new Check($"{prefix}questions acknowledged vs asked", burst.Acked, burst.Acked + burst.Failed, "asked", ">=", 1, "questions"));
    }

    /// <summary>LiveHub's default (StoreOptions.SqliteSynchronous).</summary>
    private const string Synchronous = "NORMAL";

    private static async Task<(double Single, double PerRow, double Store, double StoreLargeBatches)> RawInsertAsync(string dbPath, int batchSize, CancellationToken ct)
    {
        var copy = Path.Combine(Path.GetTempPath(), $"livehub-bench-raw-{Guid.NewGuid():N}.db");
        try
        {
            await using (var source = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly;Pooling=false"))
            {
                await source.OpenAsync(ct);
                await using var vacuum = source.CreateCommand();
                vacuum.CommandText = $"VACUUM INTO '{copy}'";
                await vacuum.ExecuteNonQueryAsync(ct);
            }
            await using var db = new SqliteConnection($"Data Source={copy};Pooling=false");
            await db.OpenAsync(ct);
            await Exec(db, $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {Synchronous}; PRAGMA foreign_keys = ON;");
            var rows = new List<object?[]>();
            await using (var read = db.CreateCommand())
            {
                read.CommandText = "SELECT session_id, participant_id, client_id, author_name, text, status, created_at, updated_at FROM questions WHERE client_id LIKE 'burst-%'";
                await using var reader = await read.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var row = new object?[8];
                    reader.GetValues(row!);
                    rows.Add(row);
                }
            }
            async Task<double> TimedInsert(bool oneTransaction)
            {
                await Exec(db, "DELETE FROM questions WHERE client_id LIKE 'burst-%'");
                var sw = Stopwatch.StartNew();
                var tx = oneTransaction ? db.BeginTransaction() : null;
                foreach (var row in rows)
                {
                    var rowTx = oneTransaction ? tx : db.BeginTransaction();
                    await using var insert = db.CreateCommand();
                    insert.Transaction = rowTx;
                    insert.CommandText = """
                        INSERT INTO questions (session_id, participant_id, client_id, author_name, text, status, created_at, updated_at)
                        VALUES ($s, $p, $c, $a, $t, $st, $ca, $ua)
                        """;
                    string[] names = ["$s", "$p", "$c", "$a", "$t", "$st", "$ca", "$ua"];
                    for (var i = 0; i < names.Length; i++)
                    {
                        insert.Parameters.AddWithValue(names[i], row[i] ?? DBNull.Value);
                    }
                    await insert.ExecuteNonQueryAsync(ct);
                    if (!oneTransaction)
                    {
                        rowTx!.Commit();
                        rowTx.Dispose();
                    }
                }
                tx?.Commit();
                tx?.Dispose();
                return rows.Count / sw.Elapsed.TotalSeconds;
            }
            var single = await TimedInsert(oneTransaction: true);
            var perRow = await TimedInsert(oneTransaction: false);

            // LiveHub's path: the same rows as new asks through its group commit, all queued at once, in batches of the burst's
            // size; then, for comparison, in batches of 256 (what a larger crowd asking at once would form).
            var liveDb = new LiveHub.Data.SqliteDatabase(copy, synchronous: Synchronous);
            var store = new LiveHub.Data.Questions.QuestionStore(liveDb);
            var asks = rows.Select(r => new LiveHub.Data.Questions.NewQuestion(
                (long)r[0]!, (string)r[1]!, (string)r[2]!, r[3] as string, (string)r[4]!, (string)r[5]!)).ToList();
            var storeRate = await ReplayAsync(batchSize);
            var largeBatchRate = await ReplayAsync(256);

            async Task<double> ReplayAsync(int size)
            {
                await Exec(db, "DELETE FROM questions WHERE client_id LIKE 'burst-%'");
                await using var writer = new LiveHub.Data.GroupCommit<LiveHub.Data.Questions.NewQuestion, LiveHub.Data.Questions.AskOutcome>(
                    liveDb, (c, tx, batch, token) => store.AskManyInAsync(c, tx, batch, token),
                    committed: written =>
                    {
                        foreach (var (_, outcome) in written)
                        {
                            store.Asked(outcome);
                        }
                        return Task.CompletedTask;
                    },
                    maxBatch: size);
                var sw = Stopwatch.StartNew();
                var outcomes = await Task.WhenAll(asks.Select(a => writer.SubmitAsync(a, ct)));
                var rate = asks.Count / sw.Elapsed.TotalSeconds;
                if (outcomes.Count(o => o.Created) != asks.Count)
                {
                    throw new InvalidOperationException("The replay did not store every question.");
                }
                return rate;
            }
            return (single, perRow, storeRate, largeBatchRate);

            async Task Exec(SqliteConnection c, string sql)
            {
                await using var cmd = c.CreateCommand();
                cmd.CommandText = sql;
                await cmd.ExecuteNonQueryAsync(ct);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { copy, copy + "-wal", copy + "-shm" })
            {
                File.Delete(f);
            }
        }
    }
}
