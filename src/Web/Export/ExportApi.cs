using System.Text.Json;
using LiveHub.Data.Events;
using LiveHub.Events;
using LiveHub.Export;
using LiveHub.Identity;
using LiveHub.Polls;
using LiveHub.Realtime;
using LiveHub.Web.Api;
using LiveHub.Web.Security;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace LiveHub.Web.Export;

/// <summary>
/// Questions and poll results as CSV and JSON, per event and per session, for the event's moderators and the organizer;
/// available while the event runs and after.
/// </summary>
public static class ExportApi
{
    private static readonly string[] Files = ["questions.csv", "questions.json", "polls.csv", "polls.json", "reactions.csv", "reactions.json"];

    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events/{code}/export/{file}", async (string code, string file, HttpContext http, EventService events,
            ExportService export, CancellationToken ct) =>
        {
            var e = await events.FindByCodeAsync(code, ct);
            if (e is null || !Files.Contains(file))
            {
                return ApiErrors.ToHttp(ErrorCodes.NotFoundError(e is null ? "event" : "file"));
            }
            return await WriteAsync(http, export, e, null, file, ct);
        }).RequireModerator(Concerning.Event, orOrganizer: true);

        app.MapGet("/api/sessions/{sessionId:long}/export/{file}", async (long sessionId, string file, HttpContext http,
            EventStore store, ExportService export, CancellationToken ct) =>
        {
            var session = await store.FindSessionAsync(sessionId, ct);
            var e = session is null ? null : await store.FindAsync(session.EventId, ct);
            if (e is null)
            {
                return ApiErrors.ToHttp(ErrorCodes.NotFoundError("session"));
            }
            return Files.Contains(file)
                ? await WriteAsync(http, export, e, session, file, ct)
                : ApiErrors.ToHttp(ErrorCodes.NotFoundError("file"));
        }).RequireModerator(Concerning.Session, orOrganizer: true);
        return app;
    }

    private static async Task<IResult> WriteAsync(HttpContext http, ExportService export, EventRow e, SessionRow? session, string file, CancellationToken ct)
    {
        var name = session is null ? $"{e.Code}-{file}" : $"{e.Code}-{session.SessionKey}-{file}";
        switch (file)
        {
            case "questions.json":
                return Json(http, await export.QuestionsAsync(e, session, ct), name);
            case "polls.json":
                return Json(http, await export.PollsAsync(e, session, ct), name);
            case "reactions.json":
                return Json(http, await export.ReactionsAsync(e, session, ct), name);
            case "reactions.csv":
                var reactions = await export.ReactionsAsync(e, session, ct);
                return Results.File(Csv.Write(ReactionColumns, reactions.Reactions.Select(r =>
                    (IReadOnlyList<object?>)[r.SessionId, r.SessionKey, r.SessionTitle, r.Reaction, r.Emoji, r.Total])), "text/csv; charset=utf-8", name);
            case "questions.csv":
                var questions = await export.QuestionsAsync(e, session, ct);
                return Results.File(Csv.Write(QuestionColumns, questions.Questions.Select(QuestionRow)), "text/csv; charset=utf-8", name);
            default:
                var polls = await export.PollsAsync(e, session, ct);
                return Results.File(Csv.Write(PollColumns, polls.Polls.SelectMany(PollRows)), "text/csv; charset=utf-8", name);
        }
    }

    /// <summary>A JSON file is a download as well: a browser saves it under the same name scheme as the CSV instead of showing it.</summary>
    private static IResult Json<T>(HttpContext http, T value, string name)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        return Results.File(JsonSerializer.SerializeToUtf8Bytes(value, options), "application/json; charset=utf-8", name);
    }

    public static readonly string[] ReactionColumns = ["session_id", "session_key", "session_title", "reaction", "emoji", "total"];

    public static readonly string[] QuestionColumns =
    [
        "session_id", "session_key", "session_title", "room", "question_id", "text", "author_name", "status", "upvotes",
        "created_at_utc", "created_at_local", "answered_at_utc", "answered_at_local", "reply", "replied_at_utc", "labels",
        "merged_into_id", "flagged", "participant",
    ];

    private static IReadOnlyList<object?> QuestionRow(QuestionExportItem q) =>
    [
        q.SessionId, q.SessionKey, q.SessionTitle, q.Room, q.Id, q.Text, q.AuthorName, q.Status, q.Upvotes,
        q.CreatedAt, q.CreatedAtLocal, q.AnsweredAt, q.AnsweredAtLocal, q.Reply, q.RepliedAt, string.Join("; ", q.Labels),
        q.MergedIntoId, q.Flagged, q.Participant,
    ];

    /// <summary>One row per option (or rated value, word, approved answer) of each poll; a poll with none still has one row.</summary>
    public static readonly string[] PollColumns =
    [
        "session_id", "session_key", "session_title", "poll_id", "position", "kind", "question", "status", "visibility", "voters",
        "average", "item_type", "item_index", "item", "votes", "percent", "points", "correct", "answer_name",
    ];

    private static IEnumerable<IReadOnlyList<object?>> PollRows(PollExportItem p)
    {
        object?[] Row(string? type, int? index, string? item, long? votes, double? percent, long? points, bool? correct, string? name) =>
        [
            p.SessionId, p.SessionKey, p.SessionTitle, p.Id, p.Position, p.Kind, p.Question, p.Status, p.Visibility, p.Voters,
            p.Average, type, index, item, votes, percent, points, correct, name,
        ];

        var rows = new List<object?[]>();
        var type = p.Kind == PollKinds.Rating ? "rating" : "option";
        rows.AddRange(p.Options.Select(o => Row(type, o.Index, o.Label, o.Votes, o.Percent, o.Points,
            p.Correct is { } correct ? correct.Contains(o.Index) : null, null)));
        rows.AddRange(p.Words.Select(w => Row("word", null, w.Word, w.Votes, null, null, null, null)));
        rows.AddRange(p.Answers.Select(a => Row("answer", null, a.Text, null, null, null, null, a.DisplayName)));
        if (rows.Count == 0)
        {
            rows.Add(Row(null, null, null, null, null, null, null, null));
        }
        return rows;
    }
}
