using System.Data.Common;
using Dapper;
using LiveHub.Data.Events;

namespace LiveHub.Data.Polls;

/// <summary>
/// Polls, votes and tallies. A vote's rows are written in one transaction; tallies are aggregated by the database,
/// so no process keeps the only count in memory.
/// </summary>
public sealed class PollStore : IAsyncDisposable
{
    private readonly Database db;
    private readonly GroupCommit<VoteWrite, CastOutcome> _votes;

    public PollStore(Database db)
    {
        this.db = db;
        _votes = new GroupCommit<VoteWrite, CastOutcome>(db, WriteVotesAsync, committed: written =>
        {
            foreach (var (w, outcome) in written)
            {
                if (outcome.Result == CastResult.Stored)
                {
                    db.RememberParticipant(w.Vote.ParticipantId);
                }
            }
            return Task.CompletedTask;
        });
    }

    public Task<PollChange> CreateAsync(long sessionId, PollDefinition d, CancellationToken ct) => db.WriteAsync(async (connection, tx) =>
    {
        var now = db.NowMs();
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO polls (session_id, kind, question, options, max_picks, scale, correct, time_limit_seconds, visibility,
                               status, position, created_at, updated_at)
            VALUES (@sessionId, @Kind, @Question, @OptionsJson, @MaxPicks, @Scale, @CorrectJson, @TimeLimitSeconds, @Visibility,
                    'draft', (SELECT COALESCE(MAX(position), 0) + 1 FROM polls WHERE session_id = @sessionId), @now, @now)
            RETURNING id
            """, new { sessionId, d.Kind, d.Question, d.OptionsJson, d.MaxPicks, d.Scale, d.CorrectJson, d.TimeLimitSeconds, d.Visibility, now },
            tx, cancellationToken: ct));
        var versions = await BumpAsync(connection, tx, sessionId, publicChange: false, ct);
        var poll = await ReadAsync(connection, tx, id, ct);
        return new PollChange(poll!, versions);
    }, ct);

    /// <summary>Rewrites a draft. Returns null when the poll is not a draft (options lock once a poll has run).</summary>
    public Task<PollChange?> UpdateDraftAsync(long pollId, PollDefinition d, CancellationToken ct) => db.WriteAsync<PollChange?>(async (connection, tx) =>
    {
        var affected = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE polls
            SET kind = @Kind, question = @Question, options = @OptionsJson, max_picks = @MaxPicks, scale = @Scale,
                correct = @CorrectJson, time_limit_seconds = @TimeLimitSeconds, visibility = @Visibility, updated_at = @now
            WHERE id = @pollId AND status = 'draft' AND NOT EXISTS (SELECT 1 FROM votes WHERE poll_id = @pollId)
            """, new { pollId, d.Kind, d.Question, d.OptionsJson, d.MaxPicks, d.Scale, d.CorrectJson, d.TimeLimitSeconds, d.Visibility, now = db.NowMs() },
            tx, cancellationToken: ct));
        if (affected == 0)
        {
            return null;
        }
        var poll = (await ReadAsync(connection, tx, pollId, ct))!;
        var versions = await BumpAsync(connection, tx, poll.SessionId, publicChange: false, ct);
        return new PollChange(poll, versions);
    }, ct);

    /// <summary>Deletes a poll that is not open, with its votes.</summary>
    public Task<PollChange?> DeleteAsync(long pollId, CancellationToken ct) => db.WriteAsync<PollChange?>(async (connection, tx) =>
    {
        var poll = await ReadAsync(connection, tx, pollId, ct);
        if (poll is null || poll.Status == PollStatus.Open)
        {
            return null;
        }
        await DeleteVotesAsync(connection, tx, pollId, ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM polls WHERE id = @pollId", new { pollId }, tx, cancellationToken: ct));
        var versions = await BumpAsync(connection, tx, poll.SessionId, publicChange: poll.Status != PollStatus.Draft, ct);
        return new PollChange(poll, versions);
    }, ct);

    public async Task<PollRow?> FindAsync(long pollId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await ReadAsync(connection, null, pollId, ct);
    }

    public async Task<IReadOnlyList<PollRow>> ListAsync(long sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<PollRow>(new CommandDefinition(
            "SELECT * FROM polls WHERE session_id = @sessionId ORDER BY position, id", new { sessionId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Open polls with an answer timer, for the node that closes them when time runs out.</summary>
    public async Task<IReadOnlyList<PollRow>> ListOpenTimedAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<PollRow>(new CommandDefinition(
            "SELECT * FROM polls WHERE status = 'open' AND time_limit_seconds IS NOT NULL", cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Opens a draft or closed poll (re-opening restarts a quiz's timer).</summary>
    public Task<PollChange?> OpenAsync(long pollId, CancellationToken ct) => TransitionAsync(pollId, """
        UPDATE polls SET status = 'open', opened_at = @now, closed_at = NULL, updated_at = @now
        WHERE id = @pollId AND status IN ('draft', 'closed')
        """, ct);

    public Task<PollChange?> CloseAsync(long pollId, CancellationToken ct) => TransitionAsync(pollId, """
        UPDATE polls SET status = 'closed', closed_at = @now, updated_at = @now
        WHERE id = @pollId AND status = 'open'
        """, ct);

    public Task<PollChange?> RevealAsync(long pollId, bool revealed, CancellationToken ct) => TransitionAsync(pollId, $"""
        UPDATE polls SET revealed = {(revealed ? 1 : 0)}, updated_at = @now
        WHERE id = @pollId AND status <> 'draft'
        """, ct);

    /// <summary>Clears every vote and puts the poll back to draft.</summary>
    public Task<PollChange?> ResetAsync(long pollId, CancellationToken ct) => db.WriteAsync<PollChange?>(async (connection, tx) =>
    {
        var before = await ReadAsync(connection, tx, pollId, ct);
        if (before is null)
        {
            return null;
        }
        await DeleteVotesAsync(connection, tx, pollId, ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE polls SET status = 'draft', revealed = 0, opened_at = NULL, closed_at = NULL, updated_at = @now WHERE id = @pollId
            """, new { pollId, now = db.NowMs() }, tx, cancellationToken: ct));
        var poll = (await ReadAsync(connection, tx, pollId, ct))!;
        var versions = await BumpAsync(connection, tx, poll.SessionId, publicChange: true, ct);
        return new PollChange(poll, versions);
    }, ct);

    /// <summary>
    /// Stores a participant's vote, replacing their earlier one on this poll. Idempotent on (participant, client id):
    /// a request seen before changes nothing, even when it arrives after a newer vote. Votes from every connection are
    /// committed together (<see cref="GroupCommit{TItem, TResult}"/>); the outcome is returned once the vote's
    /// transaction has committed.
    /// </summary>
    /// <param name="window">
    /// The poll's opening the caller validated the vote against (and a quiz's deadline): when the poll has been re-opened
    /// since, the vote is not stored and the outcome is <see cref="CastResult.Stale"/>. Null checks only that it is open.
    /// </param>
    public Task<CastOutcome> CastAsync(NewVote v, VoteWindow? window, CancellationToken ct) =>
        _votes.SubmitAsync(new VoteWrite(v, window), ct);

    private sealed record VoteWrite(NewVote Vote, VoteWindow? Window);

    private sealed record PollGate(string Status, long? OpenedAt);

    /// <summary>After each committed batch of votes: how many, and how long the transaction took.</summary>
    public event Action<int, TimeSpan>? VotesCommitted
    {
        add => _votes.BatchCommitted += value;
        remove => _votes.BatchCommitted -= value;
    }

    // Votes are the hot path: each statement saved here is saved two thousand times a second in a storm. A poll's status is
    // read once per batch (the batch holds the write lock, so it cannot change on this node meanwhile).
    private async Task<CastOutcome[]> WriteVotesAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<VoteWrite> votes, CancellationToken ct)
    {
        var polls = new Dictionary<long, PollGate?>();
        await using var commands = new VoteCommands(connection, tx);
        var outcomes = new CastOutcome[votes.Count];
        for (var i = 0; i < votes.Count; i++)
        {
            var pollId = votes[i].Vote.PollId;
            if (!polls.TryGetValue(pollId, out var poll))
            {
                poll = await connection.QuerySingleOrDefaultAsync<PollGate>(new CommandDefinition(
                    "SELECT status AS Status, opened_at AS OpenedAt FROM polls WHERE id = @pollId", new { pollId }, tx, cancellationToken: ct));
                polls[pollId] = poll;
            }
            outcomes[i] = await WriteVoteAsync(connection, tx, commands, votes[i], poll, ct);
        }
        return outcomes;
    }

    // Nothing is written before every check has passed, so a refused vote leaves its batch untouched.
    private async Task<CastOutcome> WriteVoteAsync(DbConnection connection, DbTransaction tx, VoteCommands commands, VoteWrite w, PollGate? poll, CancellationToken ct)
    {
        var v = w.Vote;
        var now = db.NowMs();
        var stale = poll is not null && w.Window is { } expected && poll.OpenedAt != expected.OpenedAt;
        var late = w.Window?.Deadline is { } deadline && now > deadline;
        if (poll?.Status != PollStatus.Open || stale || late)
        {
            // A request applied before answers as it did then, whatever the poll's state now.
            var seen = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM vote_requests WHERE participant_id = @ParticipantId AND client_id = @ClientId AND poll_id = @PollId",
                new { v.ParticipantId, v.ClientId, v.PollId }, tx, cancellationToken: ct));
            if (seen > 0)
            {
                return new CastOutcome(CastResult.Repeated, await ReadVoteAsync(connection, tx, v.PollId, v.ParticipantId, ct));
            }
            // Nothing is kept, not even the request key: the same request may be sent again when the poll reopens.
            return new CastOutcome(poll?.Status != PollStatus.Open ? CastResult.PollNotOpen : stale ? CastResult.Stale : CastResult.TooLate, null);
        }

        await db.EnsureParticipantAsync(connection, tx, v.ParticipantId, now, ct);
        long? correct = v.Correct is null ? null : v.Correct.Value ? 1 : 0;
        long id, createdAt;
        bool fresh;
        if (db is PostgresDatabase)
        {
            // One round trip instead of four: the request key, the vote and its choices in one statement. Round trips are
            // what a vote costs on PostgreSQL (each one a switch to the database's process and back), so a storm's batch
            // of votes took four times as long as its statements needed.
            await using (var stored = await commands.PostgresVote.Set("participant_id", v.ParticipantId).Set("client_id", v.ClientId)
                .Set("poll_id", v.PollId).Set("display_name", v.DisplayName).Set("text", v.Text).Set("status", v.Status).Set("correct", correct)
                .Set("score", v.Score).Set("elapsed_ms", v.ElapsedMs).Set("now", now)
                .Set("options", v.Choices.Select(c => (long)c.Option).ToArray()).Set("points", v.Choices.Select(c => (long)c.Points).ToArray())
                .ReaderAsync(ct))
            {
                fresh = await stored.ReadAsync(ct);
                (id, createdAt) = fresh ? (stored.GetInt64(0), stored.GetInt64(1)) : (0, 0);
            }
            if (!fresh)
            {
                return new CastOutcome(CastResult.Repeated, await ReadVoteAsync(connection, tx, v.PollId, v.ParticipantId, ct));
            }
        }
        else
        {
            fresh = await commands.Request.Set("participant_id", v.ParticipantId).Set("client_id", v.ClientId).Set("poll_id", v.PollId)
                .Set("now", now).ExecuteAsync(ct) > 0;
            if (!fresh)
            {
                return new CastOutcome(CastResult.Repeated, await ReadVoteAsync(connection, tx, v.PollId, v.ParticipantId, ct));
            }
            await using (var stored = await commands.Upsert.Set("poll_id", v.PollId).Set("participant_id", v.ParticipantId)
                .Set("display_name", v.DisplayName).Set("text", v.Text).Set("status", v.Status).Set("correct", correct).Set("score", v.Score)
                .Set("elapsed_ms", v.ElapsedMs).Set("now", now).ReaderAsync(ct))
            {
                await stored.ReadAsync(ct);
                (id, createdAt) = (stored.GetInt64(0), stored.GetInt64(1));
            }
            // A poll's kind never changes, so a vote without choices (or words) never replaces any: skip those deletes.
            if (v.Choices.Count > 0)
            {
                await commands.DeleteChoices.Set("poll_id", v.PollId).Set("participant_id", v.ParticipantId).ExecuteAsync(ct);
                foreach (var (option, points) in v.Choices)
                {
                    await commands.InsertChoice.Set("poll_id", v.PollId).Set("participant_id", v.ParticipantId).Set("option", option)
                        .Set("points", points).ExecuteAsync(ct);
                }
            }
        }
        if (v.Words.Count > 0)
        {
            await commands.DeleteWords.Set("poll_id", v.PollId).Set("participant_id", v.ParticipantId).ExecuteAsync(ct);
            foreach (var word in v.Words)
            {
                await commands.InsertWord.Set("poll_id", v.PollId).Set("participant_id", v.ParticipantId).Set("word", word).ExecuteAsync(ct);
            }
        }
        var vote = new VoteRow
        {
            Id = id, PollId = v.PollId, ParticipantId = v.ParticipantId, DisplayName = v.DisplayName, Text = v.Text, Status = v.Status,
            Correct = correct, Score = v.Score, ElapsedMs = v.ElapsedMs, CreatedAt = createdAt, UpdatedAt = now,
        };
        var choices = v.Choices.OrderByDescending(c => c.Points).ThenBy(c => c.Option).Select(c => new ChoiceRow(v.PollId, c.Option, c.Points)).ToList();
        return new CastOutcome(CastResult.Stored, new StoredVote(vote, choices, v.Words));
    }

    /// <summary>The statements of a batch of votes, each parsed once per batch and only when a vote needs it.</summary>
    private sealed class VoteCommands(DbConnection connection, DbTransaction tx) : IAsyncDisposable
    {
        private readonly List<BatchCommand> _created = [];

        public BatchCommand Request => field ??= Create("""
            INSERT INTO vote_requests (participant_id, client_id, poll_id, created_at) VALUES (@participant_id, @client_id, @poll_id, @now)
            ON CONFLICT (participant_id, client_id) DO NOTHING
            """, "participant_id", "client_id", "poll_id", "now");

        public BatchCommand Upsert => field ??= Create("""
            INSERT INTO votes (poll_id, participant_id, display_name, text, status, correct, score, elapsed_ms, created_at, updated_at)
            VALUES (@poll_id, @participant_id, @display_name, @text, @status, @correct, @score, @elapsed_ms, @now, @now)
            ON CONFLICT (poll_id, participant_id) DO UPDATE
            SET display_name = excluded.display_name, text = excluded.text, status = excluded.status, correct = excluded.correct,
                score = excluded.score, elapsed_ms = excluded.elapsed_ms, updated_at = excluded.updated_at
            RETURNING id, created_at
            """, "poll_id", "participant_id", "display_name", "text", "status", "correct", "score", "elapsed_ms", "now");

        /// <summary>
        /// PostgreSQL: <see cref="Request"/>, <see cref="Upsert"/> and the choices in one statement. Nothing is written unless
        /// the request key is new (no row comes back then). The choices are replaced by deleting the options no longer picked
        /// and upserting the picked ones: the statement's parts all see one snapshot, so a delete of every choice followed by
        /// their insert would collide on the key.
        /// </summary>
        public BatchCommand PostgresVote => field ??= Create("""
            WITH request AS (
                INSERT INTO vote_requests (participant_id, client_id, poll_id, created_at) VALUES (@participant_id, @client_id, @poll_id, @now)
                ON CONFLICT (participant_id, client_id) DO NOTHING
                RETURNING 1
            ), vote AS (
                INSERT INTO votes (poll_id, participant_id, display_name, text, status, correct, score, elapsed_ms, created_at, updated_at)
                SELECT @poll_id::bigint, @participant_id::text, @display_name::text, @text::text, @status::text, @correct::bigint,
                       @score::bigint, @elapsed_ms::bigint, @now::bigint, @now::bigint
                WHERE EXISTS (SELECT 1 FROM request)
                ON CONFLICT (poll_id, participant_id) DO UPDATE
                SET display_name = excluded.display_name, text = excluded.text, status = excluded.status, correct = excluded.correct,
                    score = excluded.score, elapsed_ms = excluded.elapsed_ms, updated_at = excluded.updated_at
                RETURNING id, created_at
            ), unpicked AS (
                DELETE FROM vote_choices
                WHERE poll_id = @poll_id AND participant_id = @participant_id AND NOT (option_index = ANY (@options::bigint[]))
                  AND EXISTS (SELECT 1 FROM vote)
            ), picked AS (
                INSERT INTO vote_choices (poll_id, participant_id, option_index, points)
                SELECT @poll_id::bigint, @participant_id::text, c.option_index, c.points
                FROM unnest(@options::bigint[], @points::bigint[]) AS c (option_index, points)
                WHERE EXISTS (SELECT 1 FROM vote)
                ON CONFLICT (poll_id, participant_id, option_index) DO UPDATE SET points = excluded.points
            )
            SELECT id, created_at FROM vote
            """, "participant_id", "client_id", "poll_id", "display_name", "text", "status", "correct", "score", "elapsed_ms", "now", "options", "points");

        public BatchCommand DeleteChoices => field ??= Create(
            "DELETE FROM vote_choices WHERE poll_id = @poll_id AND participant_id = @participant_id", "poll_id", "participant_id");

        public BatchCommand InsertChoice => field ??= Create("""
            INSERT INTO vote_choices (poll_id, participant_id, option_index, points) VALUES (@poll_id, @participant_id, @option, @points)
            """, "poll_id", "participant_id", "option", "points");

        public BatchCommand DeleteWords => field ??= Create(
            "DELETE FROM vote_words WHERE poll_id = @poll_id AND participant_id = @participant_id", "poll_id", "participant_id");

        public BatchCommand InsertWord => field ??= Create(
            "INSERT INTO vote_words (poll_id, participant_id, word) VALUES (@poll_id, @participant_id, @word)", "poll_id", "participant_id", "word");

        private BatchCommand Create(string sql, params string[] parameters)
        {
            var command = new BatchCommand(connection, tx, sql, parameters);
            _created.Add(command);
            return command;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in _created)
            {
                await command.DisposeAsync();
            }
        }
    }

    /// <summary>The vote as stored when this (participant, client id) request was already applied; null when it is new.</summary>
    public async Task<StoredVote?> FindAppliedAsync(long pollId, string participantId, string clientId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = Database.BeginRead(connection);
        var seen = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM vote_requests WHERE participant_id = @participantId AND client_id = @clientId AND poll_id = @pollId",
            new { participantId, clientId, pollId }, tx, cancellationToken: ct));
        return seen == 0 ? null : await ReadVoteAsync(connection, tx, pollId, participantId, ct);
    }

    /// <summary>Every vote a participant has in a session's polls, so their choices stay marked after a reload.</summary>
    public async Task<IReadOnlyList<StoredVote>> ListVotesOfAsync(long sessionId, string participantId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var votes = (await connection.QueryAsync<VoteRow>(new CommandDefinition("""
            SELECT v.* FROM votes v JOIN polls p ON p.id = v.poll_id WHERE p.session_id = @sessionId AND v.participant_id = @participantId
            """, new { sessionId, participantId }, cancellationToken: ct))).AsList();
        if (votes.Count == 0)
        {
            return [];
        }
        var choices = (await connection.QueryAsync<ChoiceRow>(new CommandDefinition("""
            SELECT c.poll_id AS PollId, c.option_index AS OptionIndex, c.points AS Points
            FROM vote_choices c JOIN polls p ON p.id = c.poll_id
            WHERE p.session_id = @sessionId AND c.participant_id = @participantId
            ORDER BY c.points DESC, c.option_index
            """, new { sessionId, participantId }, cancellationToken: ct))).ToLookup(c => c.PollId);
        var words = (await connection.QueryAsync<WordRow>(new CommandDefinition("""
            SELECT w.poll_id AS PollId, w.word AS Word FROM vote_words w JOIN polls p ON p.id = w.poll_id
            WHERE p.session_id = @sessionId AND w.participant_id = @participantId
            """, new { sessionId, participantId }, cancellationToken: ct))).ToLookup(w => w.PollId, w => w.Word);
        return votes.Select(v => new StoredVote(v, choices[v.PollId].ToList(), words[v.PollId].ToList())).ToList();
    }

    /// <summary>
    /// Aggregates a poll's votes in one transaction. With <paramref name="advance"/> it takes the next results version (for a
    /// pushed frame); without, it only reads (for a snapshot) and reports the current one.
    /// </summary>
    public async Task<PollTallyRows?> TallyAsync(long pollId, bool advance, CancellationToken ct)
    {
        if (advance)
        {
            return await db.WriteAsync((connection, tx) => TallyInAsync(connection, tx, pollId, advance: true, ct), ct);
        }
        await using var connection = await db.OpenAsync(ct);
        await using var tx = Database.BeginRead(connection);
        var tally = await TallyInAsync(connection, tx, pollId, advance: false, ct);
        await tx.CommitAsync(ct);
        return tally;
    }

    private static async Task<PollTallyRows?> TallyInAsync(DbConnection connection, DbTransaction tx, long pollId, bool advance, CancellationToken ct)
    {
        var version = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(advance
            ? "UPDATE polls SET results_version = results_version + 1 WHERE id = @pollId RETURNING results_version"
            : "SELECT results_version FROM polls WHERE id = @pollId",
            new { pollId }, tx, cancellationToken: ct));
        if (version is null)
        {
            return null;
        }
        var poll = (await ReadAsync(connection, tx, pollId, ct))!;
        var voters = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM votes WHERE poll_id = @pollId", new { pollId }, tx, cancellationToken: ct));
        var options = (await connection.QueryAsync<OptionCount>(new CommandDefinition("""
            SELECT option_index AS OptionIndex, COUNT(*) AS Votes, CAST(SUM(points) AS BIGINT) AS Points
            FROM vote_choices WHERE poll_id = @pollId GROUP BY option_index ORDER BY option_index
            """, new { pollId }, tx, cancellationToken: ct))).AsList();
        var words = (await connection.QueryAsync<WordCount>(new CommandDefinition("""
            SELECT word AS Word, COUNT(*) AS Votes FROM vote_words WHERE poll_id = @pollId
            GROUP BY word ORDER BY COUNT(*) DESC, word LIMIT 60
            """, new { pollId }, tx, cancellationToken: ct))).AsList();
        var texts = (await connection.QueryAsync<TextAnswer>(new CommandDefinition("""
            SELECT id AS Id, text AS Text, display_name AS DisplayName, status AS Status, created_at AS CreatedAt
            FROM votes WHERE poll_id = @pollId AND text IS NOT NULL AND status <> 'dismissed'
            ORDER BY created_at DESC, id DESC LIMIT 100
            """, new { pollId }, tx, cancellationToken: ct))).AsList();
        return new PollTallyRows(poll, version.Value, voters, options, words, texts);
    }

    /// <summary>Approves or dismisses one open-text answer; returns the answer as stored, or null when there is no such answer.</summary>
    public Task<VoteRow?> ModerateAnswerAsync(long pollId, long voteId, string status, CancellationToken ct) => db.WriteAsync((connection, tx) =>
        connection.QuerySingleOrDefaultAsync<VoteRow>(new CommandDefinition(
            "UPDATE votes SET status = @status WHERE id = @voteId AND poll_id = @pollId AND text IS NOT NULL RETURNING *",
            new { status, voteId, pollId }, tx, cancellationToken: ct)), ct);

    /// <summary>Quiz totals per participant across a session's quizzes.</summary>
    public async Task<IReadOnlyList<ScoreRow>> ScoresAsync(long sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<ScoreRow>(new CommandDefinition("""
            SELECT v.participant_id AS ParticipantId, MAX(v.display_name) AS DisplayName, CAST(SUM(v.score) AS BIGINT) AS Score,
                   CAST(SUM(COALESCE(v.correct, 0)) AS BIGINT) AS Correct, CAST(SUM(COALESCE(v.elapsed_ms, 0)) AS BIGINT) AS ElapsedMs
            FROM votes v JOIN polls p ON p.id = v.poll_id
            WHERE p.session_id = @sessionId AND p.kind = 'quiz'
            GROUP BY v.participant_id
            """, new { sessionId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>What the session's projector shows: questions, a poll, or the idle join screen.</summary>
    public Task<SessionVersions?> SetProjectorAsync(long sessionId, string mode, long? pollId, bool? showPresence, CancellationToken ct) =>
        db.WriteAsync<SessionVersions?>(async (connection, tx) =>
    {
        var affected = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE sessions SET projector_mode = @mode, projector_poll_id = @pollId,
                                projector_presence = COALESCE(@presence, projector_presence)
            WHERE id = @sessionId
            """, new { sessionId, mode, pollId, presence = showPresence is null ? (int?)null : showPresence.Value ? 1 : 0 }, tx, cancellationToken: ct));
        if (affected == 0)
        {
            return null;
        }
        return await BumpAsync(connection, tx, sessionId, publicChange: true, ct);
    }, ct);

    private Task<PollChange?> TransitionAsync(long pollId, string sql, CancellationToken ct) => db.WriteAsync<PollChange?>(async (connection, tx) =>
    {
        var affected = await connection.ExecuteAsync(new CommandDefinition(sql, new { pollId, now = db.NowMs() }, tx, cancellationToken: ct));
        if (affected == 0)
        {
            return null;
        }
        var poll = (await ReadAsync(connection, tx, pollId, ct))!;
        var versions = await BumpAsync(connection, tx, poll.SessionId, publicChange: true, ct);
        return new PollChange(poll, versions);
    }, ct);

    private static Task<PollRow?> ReadAsync(DbConnection connection, DbTransaction? tx, long pollId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<PollRow>(new CommandDefinition("SELECT * FROM polls WHERE id = @pollId", new { pollId }, tx, cancellationToken: ct));

    private static async Task<StoredVote?> ReadVoteAsync(DbConnection connection, DbTransaction? tx, long pollId, string participantId, CancellationToken ct)
    {
        var vote = await connection.QuerySingleOrDefaultAsync<VoteRow>(new CommandDefinition(
            "SELECT * FROM votes WHERE poll_id = @pollId AND participant_id = @participantId", new { pollId, participantId }, tx, cancellationToken: ct));
        if (vote is null)
        {
            return null;
        }
        var choices = (await connection.QueryAsync<ChoiceRow>(new CommandDefinition("""
            SELECT poll_id AS PollId, option_index AS OptionIndex, points AS Points FROM vote_choices
            WHERE poll_id = @pollId AND participant_id = @participantId ORDER BY points DESC, option_index
            """, new { pollId, participantId }, tx, cancellationToken: ct))).AsList();
        var words = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT word FROM vote_words WHERE poll_id = @pollId AND participant_id = @participantId", new { pollId, participantId }, tx, cancellationToken: ct))).AsList();
        return new StoredVote(vote, choices, words);
    }

    private static async Task DeleteVotesAsync(DbConnection connection, DbTransaction tx, long pollId, CancellationToken ct)
    {
        foreach (var table in new[] { "vote_choices", "vote_words", "vote_requests", "votes" })
        {
            await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM {table} WHERE poll_id = @pollId", new { pollId }, tx, cancellationToken: ct));
        }
    }

    private static Task<SessionVersions> BumpAsync(DbConnection connection, DbTransaction tx, long sessionId, bool publicChange, CancellationToken ct) =>
        SessionVersioning.BumpAsync(connection, tx, sessionId, publicChange, ct);

    public ValueTask DisposeAsync() => _votes.DisposeAsync();
}
