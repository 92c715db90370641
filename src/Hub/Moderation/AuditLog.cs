using LiveHub.Data.Moderation;
using LiveHub.Realtime;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Moderation;

/// <summary>Records every moderator action: who did what to which question or poll, and when.</summary>
public sealed class AuditLog(ModerationLogStore store, TimeProvider clock)
{
    public Task RecordAsync(Caller caller, long eventId, long? sessionId, string action, long? questionId = null, long? pollId = null,
        string? detail = null, CancellationToken ct = default) =>
        store.AppendAsync(Entry(caller, eventId, sessionId, action, questionId, pollId, detail), ct);

    /// <summary>The entry <see cref="RecordAsync"/> would write, for a store that writes it in the transaction of the change itself.</summary>
    public AuditEntry Entry(Caller caller, long eventId, long? sessionId, string action, long? questionId = null, long? pollId = null,
        string? detail = null) =>
        new()
        {
            EventId = eventId,
            SessionId = sessionId,
            QuestionId = questionId,
            PollId = pollId,
            Actor = caller.ModeratorName,
            Action = action,
            Detail = detail is { Length: > 500 } ? detail[..500] : detail,
            At = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };
}

public static class ModerationSetup
{
    /// <summary>The audit log of moderators' actions, and the profanity filter.</summary>
    public static IServiceCollection AddModeration(this IServiceCollection services) =>
        services.AddSingleton<ModerationLogStore>().AddSingleton<AuditLog>().AddSingleton<ProfanityFilter>();
}
