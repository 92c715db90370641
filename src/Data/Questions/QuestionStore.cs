using System.Data.Common;
using Dapper;
using LiveHub.Data.Events;
using LiveHub.Data.Moderation;

namespace LiveHub.Data.Questions;

/// <summary>Questions and their upvotes. Every write that changes what a screen shows moves the session's versions in the same transaction.</summary>
public sealed class QuestionStore(Database db)
{
    /// <summary>Stores a question in a transaction of its own (see <see cref="AskInAsync"/>).</summary>
    public async Task<AskOutcome> AskAsync(NewQuestion q, CancellationToken ct)
    {
        var outcome = await db.WriteAsync(async (connection, tx) => (await AskManyInAsync(connection, tx, [q], ct))[0], ct);
        Asked(outcome);
        return outcome;
    }

    /// <summary>
    /// Stores questions in the caller's transaction, in order, idempotent on (participant, client id): a repeated request
    /// returns the question stored the first time and moves no version. Each new question gets versions of its own, as if
    /// stored one after another, but each session's counters are moved once for the whole batch.
    /// Call <see cref="Asked"/> for each after the transaction commits.
    /// </summary>
    public async Task<AskOutcome[]> AskManyInAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<NewQuestion> questions, CancellationToken ct)
    {
        var now = db.NowMs();
        // Rows shared by batches (participants, sessions) are written in one order, so two nodes' batches never wait on each other
        // in a cycle on PostgreSQL.
        foreach (var participantId in questions.Select(q => q.ParticipantId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await db.EnsureParticipantAsync(connection, tx, participantId, now, ct);
        }
        // One command for the batch, its statement parsed once: a burst of asks costs one insert each.
        await using var insert = new BatchCommand(connection, tx, """
            INSERT INTO questions (session_id, participant_id, client_id, author_name, text, status, upvotes, created_at, updated_at,
                                   approved_at, flagged)
            VALUES (@session_id, @participant_id, @client_id, @author_name, @text, @status, 0, @now, @now, @approved_at, @flagged)
            ON CONFLICT (participant_id, client_id) DO NOTHING
            RETURNING id
            """, "session_id", "participant_id", "client_id", "author_name", "text", "status", "now", "approved_at", "flagged");
        insert.Set("now", now);

        var rows = new (QuestionRow Row, bool Created)[questions.Count];
        for (var i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            long? approvedAt = q.Status == QuestionStatus.Approved ? now : null;
            var id = await insert.Set("session_id", q.SessionId).Set("participant_id", q.ParticipantId).Set("client_id", q.ClientId)
                .Set("author_name", q.AuthorName).Set("text", q.Text).Set("status", q.Status).Set("approved_at", approvedAt)
                .Set("flagged", q.Flagged ? 1 : 0).ScalarInt64Async(ct);
            rows[i] = id is null
                ? (await connection.QuerySingleAsync<QuestionRow>(new CommandDefinition(
                    "SELECT * FROM questions WHERE participant_id = @ParticipantId AND client_id = @ClientId",
                    new { q.ParticipantId, q.ClientId }, tx, cancellationToken: ct)), false)
                // The row as just inserted, without reading it back.
                : (new QuestionRow
                {
                    Id = id.Value, SessionId = q.SessionId, ParticipantId = q.ParticipantId, ClientId = q.ClientId, AuthorName = q.AuthorName,
                    Text = q.Text, Status = q.Status, CreatedAt = now, UpdatedAt = now, ApprovedAt = approvedAt, Flagged = q.Flagged ? 1 : 0,
                }, true);
        }

        var outcomes = new AskOutcome[questions.Count];
        foreach (var session in Enumerable.Range(0, questions.Count).Where(i => rows[i].Created).GroupBy(i => questions[i].SessionId).OrderBy(g => g.Key))
        {
            var created = session.ToList();
            var publicCount = created.Count(i => QuestionStatus.IsPublic(rows[i].Row.Status));
            var end = await connection.QuerySingleAsync<SessionVersions>(new CommandDefinition("""
                UPDATE sessions SET version = version + @publicCount, mod_version = mod_version + @all
                WHERE id = @sessionId
                RETURNING version AS Version, mod_version AS ModVersion
                """, new { sessionId = session.Key, publicCount, all = created.Count }, tx, cancellationToken: ct));
            // Hand out the versions the batch took, in order, as one write at a time would have.
            var version = end.Version - publicCount;
            var modVersion = end.ModVersion - created.Count;
            foreach (var i in created)
            {
                version += QuestionStatus.IsPublic(rows[i].Row.Status) ? 1 : 0;
                modVersion += 1;
                outcomes[i] = new AskOutcome(rows[i].Row, Created: true, new SessionVersions(version, modVersion));
            }
        }
        for (var i = 0; i < questions.Count; i++)
        {
            outcomes[i] ??= new AskOutcome(rows[i].Row, Created: false, Versions: null);
        }
        return outcomes;
    }

    /// <summary>After an ask's transaction has committed.</summary>
    public void Asked(AskOutcome outcome) => db.RememberParticipant(outcome.Question.ParticipantId);

    public async Task<QuestionRow?> FindAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<QuestionRow>(new CommandDefinition(
            "SELECT * FROM questions WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>
    /// Moves a question to a new status and, when asked, puts it on or takes it off the screen. <paramref name="audit"/>, given the
    /// question before and its new status, is the moderation log entry written in the same transaction.
    /// Returns null when the question is not in the session.
    /// </summary>
    public Task<QuestionChange?> ChangeAsync(long sessionId, long questionId, Func<QuestionRow, string> nextStatus, bool? onScreen,
        CancellationToken ct, Func<QuestionRow, string, AuditEntry>? audit = null) => db.WriteAsync<QuestionChange?>(async (connection, tx) =>
    {
        var before = await ReadInSessionAsync(connection, tx, sessionId, questionId, ct);
        if (before is null)
        {
            return null;
        }

        var status = nextStatus(before);
        var now = db.NowMs();
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE questions
            SET status = @status, updated_at = @now,
                answered_at = CASE WHEN @status = 'answered' THEN COALESCE(answered_at, @now) ELSE answered_at END,
                approved_at = CASE WHEN @status IN ('approved', 'answered') THEN COALESCE(approved_at, @now) ELSE approved_at END
            WHERE id = @questionId
            """, new { status, now, questionId }, tx, cancellationToken: ct));

        var currentOnScreen = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT on_screen_question_id FROM sessions WHERE id = @sessionId", new { sessionId }, tx, cancellationToken: ct));
        long? nextOnScreen = currentOnScreen;
        if (onScreen == true)
        {
            nextOnScreen = questionId;
        }
        else if ((onScreen == false || !QuestionStatus.IsPublic(status)) && currentOnScreen == questionId)
        {
            // A question leaves the screen when it is taken down or stops being public.
            nextOnScreen = null;
        }
        if (nextOnScreen != currentOnScreen)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE sessions SET on_screen_question_id = @nextOnScreen WHERE id = @sessionId",
                new { nextOnScreen, sessionId }, tx, cancellationToken: ct));
        }

        var touchesPublic = QuestionStatus.IsPublic(before.Status) || QuestionStatus.IsPublic(status) || nextOnScreen != currentOnScreen;
        var versions = await BumpAsync(connection, tx, sessionId, touchesPublic, ct);
        var after = await connection.QuerySingleAsync<QuestionRow>(new CommandDefinition(
            "SELECT * FROM questions WHERE id = @questionId", new { questionId }, tx, cancellationToken: ct));
        if (audit is not null)
        {
            await ModerationLogStore.AppendAsync(connection, tx, audit(before, status), ct);
        }
        return new QuestionChange(before, after, nextOnScreen, versions, touchesPublic);
    }, ct);

    /// <summary>Corrects a question's text (a moderator fixing a typo before approving).</summary>
    public Task<QuestionChange?> EditAsync(long sessionId, long questionId, string text, CancellationToken ct) =>
        UpdateFieldsAsync(sessionId, questionId, "text = @value", text, q => q with { Text = text }, ct);

    /// <summary>Sets or clears a moderator's reply.</summary>
    public Task<QuestionChange?> ReplyAsync(long sessionId, long questionId, string? reply, CancellationToken ct) =>
        UpdateFieldsAsync(sessionId, questionId, "reply = @value, replied_at = CASE WHEN @value IS NULL THEN NULL ELSE @now END", reply,
            q => q with { Reply = reply }, ct);

    /// <summary>Replaces a question's labels (moderators only see them).</summary>
    public Task<QuestionChange?> LabelAsync(long sessionId, long questionId, string labels, CancellationToken ct) =>
        UpdateFieldsAsync(sessionId, questionId, "labels = @value", labels, q => q with { Labels = labels }, ct, publicChange: false);

    /// <summary>
    /// Merges a duplicate into another question: the duplicate's upvoters and its author become upvoters of the target (each at most
    /// once), the target's count is recomputed from the rows, and the duplicate is archived pointing at the target.
    /// Returns null when either question is not in the session, they are the same, or the source is already merged.
    /// </summary>
    public Task<MergeOutcome?> MergeAsync(long sessionId, long sourceId, long targetId, CancellationToken ct) => db.WriteAsync<MergeOutcome?>(async (connection, tx) =>
    {
        // Both rows are locked, the lower id first (two merges of the same pair never wait on each other in a cycle), so no
        // upvote of either lands between the count and the rows it counts.
        var first = await LockInSessionAsync(connection, tx, sessionId, Math.Min(sourceId, targetId), ct);
        var second = await LockInSessionAsync(connection, tx, sessionId, Math.Max(sourceId, targetId), ct);
        var (source, target) = sourceId < targetId ? (first, second) : (second, first);
        if (source is null || target is null || sourceId == targetId || source.MergedIntoId is not null || target.MergedIntoId is not null)
        {
            return null;
        }
        var now = db.NowMs();
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO upvotes (question_id, participant_id, created_at)
            SELECT @targetId, participant_id, created_at FROM upvotes WHERE question_id = @sourceId
            ON CONFLICT (question_id, participant_id) DO NOTHING
            """, new { sourceId, targetId }, tx, cancellationToken: ct));
        if (source.ParticipantId != target.ParticipantId)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO upvotes (question_id, participant_id, created_at) VALUES (@targetId, @ParticipantId, @now)
                ON CONFLICT (question_id, participant_id) DO NOTHING
                """, new { targetId, source.ParticipantId, now }, tx, cancellationToken: ct));
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE questions SET upvotes = (SELECT COUNT(*) FROM upvotes WHERE question_id = @targetId), updated_at = @now WHERE id = @targetId
            """, new { targetId, now }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE questions SET status = 'archived', merged_into_id = @targetId, updated_at = @now WHERE id = @sourceId
            """, new { sourceId, targetId, now }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE sessions SET on_screen_question_id = NULL WHERE id = @sessionId AND on_screen_question_id = @sourceId
            """, new { sessionId, sourceId }, tx, cancellationToken: ct));
        var publicChange = QuestionStatus.IsPublic(source.Status) || QuestionStatus.IsPublic(target.Status);
        var versions = await BumpAsync(connection, tx, sessionId, publicChange, ct);
        var onScreen = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT on_screen_question_id FROM sessions WHERE id = @sessionId", new { sessionId }, tx, cancellationToken: ct));
        var after = await ReadInSessionAsync(connection, tx, sessionId, sourceId, ct);
        var targetAfter = await ReadInSessionAsync(connection, tx, sessionId, targetId, ct);
        return new MergeOutcome(source, after!, targetAfter!, onScreen, versions, publicChange);
    }, ct);

    private Task<QuestionChange?> UpdateFieldsAsync(
        long sessionId, long questionId, string assignments, string? value, Func<QuestionRow, QuestionRow> apply, CancellationToken ct, bool? publicChange = null) =>
        db.WriteAsync<QuestionChange?>(async (connection, tx) =>
    {
        var before = await ReadInSessionAsync(connection, tx, sessionId, questionId, ct);
        if (before is null)
        {
            return null;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE questions SET {assignments}, updated_at = @now WHERE id = @questionId",
            new { value, now = db.NowMs(), questionId }, tx, cancellationToken: ct));
        var isPublic = publicChange ?? QuestionStatus.IsPublic(before.Status);
        var versions = await BumpAsync(connection, tx, sessionId, isPublic, ct);
        var onScreen = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT on_screen_question_id FROM sessions WHERE id = @sessionId", new { sessionId }, tx, cancellationToken: ct));
        return new QuestionChange(before, apply(before), onScreen, versions, isPublic);
    }, ct);

    /// <summary>
    /// Adds or withdraws one participant's upvote. Idempotent: a repeated upvote changes nothing.
    /// The count is recomputed from the rows, never incremented, with the question's row locked first: every writer of a
    /// question's upvotes takes that lock, so the count sees every other writer's rows (PostgreSQL's read committed takes
    /// each statement's snapshot when it starts; without the lock, two toggles could each count without the other's row).
    /// </summary>
    public Task<UpvoteOutcome?> UpvoteAsync(long questionId, string participantId, bool on, CancellationToken ct) => db.WriteAsync<UpvoteOutcome?>(async (connection, tx) =>
    {
        var question = await connection.QuerySingleOrDefaultAsync<QuestionRow>(new CommandDefinition(
            "UPDATE questions SET upvotes = upvotes WHERE id = @questionId RETURNING *", new { questionId }, tx, cancellationToken: ct));
        if (question is null)
        {
            return null;
        }
        var now = db.NowMs();
        int affected;
        if (on)
        {
            await db.EnsureParticipantAsync(connection, tx, participantId, now, ct);
            affected = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO upvotes (question_id, participant_id, created_at) VALUES (@questionId, @participantId, @now)
                ON CONFLICT (question_id, participant_id) DO NOTHING
                """, new { questionId, participantId, now }, tx, cancellationToken: ct));
        }
        else
        {
            affected = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM upvotes WHERE question_id = @questionId AND participant_id = @participantId",
                new { questionId, participantId }, tx, cancellationToken: ct));
        }

        var upvotes = question.Upvotes;
        if (affected > 0)
        {
            upvotes = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                UPDATE questions SET upvotes = (SELECT COUNT(*) FROM upvotes WHERE question_id = @questionId)
                WHERE id = @questionId
                RETURNING upvotes
                """, new { questionId }, tx, cancellationToken: ct));
        }
        return new UpvoteOutcome(questionId, question.SessionId, upvotes, affected > 0);
    }, ct);

    /// <summary>Reads the current counts of some questions and moves the session's versions, for one coalesced push.</summary>
    /// <remarks>
    /// With <paramref name="toRoom"/> false only the moderators' version moves and no question is reported public: the counts go
    /// to moderators alone, and the room's stream takes a version only when the room is sent a frame.
    /// </remarks>
    public Task<(SessionVersions Versions, IReadOnlyList<UpvoteCount> Counts, IReadOnlySet<long> PublicIds)> FlushUpvotesAsync(
        long sessionId, IReadOnlyCollection<long> questionIds, bool toRoom, CancellationToken ct) =>
        db.WriteAsync<(SessionVersions, IReadOnlyList<UpvoteCount>, IReadOnlySet<long>)>(async (connection, tx) =>
    {
        var rows = (await connection.QueryAsync<QuestionRow>(new CommandDefinition(
            $"SELECT * FROM questions WHERE session_id = @sessionId AND {db.InList("id", "questionIds")}",
            new { sessionId, questionIds = questionIds.ToArray() }, tx, cancellationToken: ct))).AsList();
        var publicIds = toRoom ? rows.Where(r => QuestionStatus.IsPublic(r.Status)).Select(r => r.Id).ToHashSet() : [];
        var versions = await BumpAsync(connection, tx, sessionId, publicIds.Count > 0, ct);
        return (versions, rows.Select(r => new UpvoteCount(r.Id, r.Upvotes)).ToList(), publicIds);
    }, ct);

    /// <summary>
    /// A session's questions and versions read in one transaction, so the snapshot and its version agree. Without
    /// <paramref name="everyQuestion"/> (the audience's and the projector's snapshots) only the public questions and the
    /// participant's own: a keynote's pending and dismissed pile can be thousands of rows no phone may see, and every phone
    /// of a hall reads its snapshot when it joins.
    /// </summary>
    public async Task<SessionQuestions?> ReadSessionAsync(long sessionId, string participantId, bool everyQuestion, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = Database.BeginRead(connection);
        var session = await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(
            "SELECT * FROM sessions WHERE id = @sessionId", new { sessionId }, tx, cancellationToken: ct));
        if (session is null)
        {
            return null;
        }
        var questions = (await connection.QueryAsync<QuestionRow>(new CommandDefinition(everyQuestion
                ? "SELECT * FROM questions WHERE session_id = @sessionId ORDER BY id"
                : """
                  SELECT * FROM questions
                  WHERE session_id = @sessionId AND (status IN (@approved, @answered) OR participant_id = @participantId)
                  ORDER BY id
                  """,
            new { sessionId, participantId, approved = QuestionStatus.Approved, answered = QuestionStatus.Answered }, tx, cancellationToken: ct))).AsList();
        var upvoted = (await connection.QueryAsync<long>(new CommandDefinition("""
            SELECT u.question_id FROM upvotes u JOIN questions q ON q.id = u.question_id
            WHERE q.session_id = @sessionId AND u.participant_id = @participantId
            """, new { sessionId, participantId }, tx, cancellationToken: ct))).ToHashSet();
        await tx.CommitAsync(ct);
        return new SessionQuestions(session, questions, upvoted);
    }

    public async Task<QuestionRow?> FindByClientIdAsync(string participantId, string clientId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<QuestionRow>(new CommandDefinition(
            "SELECT * FROM questions WHERE participant_id = @participantId AND client_id = @clientId",
            new { participantId, clientId }, cancellationToken: ct));
    }

    public async Task<long> CountAsync(long sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM questions WHERE session_id = @sessionId", new { sessionId }, cancellationToken: ct));
    }

    /// <summary>Reads a question of the session and holds its row until the transaction ends (an update that changes nothing).</summary>
    private static Task<QuestionRow?> LockInSessionAsync(DbConnection connection, DbTransaction tx, long sessionId, long questionId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<QuestionRow>(new CommandDefinition(
            "UPDATE questions SET upvotes = upvotes WHERE id = @questionId AND session_id = @sessionId RETURNING *",
            new { questionId, sessionId }, tx, cancellationToken: ct));

    private static Task<QuestionRow?> ReadInSessionAsync(DbConnection connection, DbTransaction tx, long sessionId, long questionId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<QuestionRow>(new CommandDefinition(
            "SELECT * FROM questions WHERE id = @questionId AND session_id = @sessionId",
            new { questionId, sessionId }, tx, cancellationToken: ct));

    private static Task<SessionVersions> BumpAsync(DbConnection connection, DbTransaction tx, long sessionId, bool publicChange, CancellationToken ct) =>
        SessionVersioning.BumpAsync(connection, tx, sessionId, publicChange, ct);
}

public sealed record SessionQuestions(SessionRow Session, IReadOnlyList<QuestionRow> Questions, IReadOnlySet<long> UpvotedByParticipant);
