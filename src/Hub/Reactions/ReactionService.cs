using System.Collections.Concurrent;
using LiveHub.Data.Moderation;
using LiveHub.Events;
using LiveHub.Limits;
using LiveHub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveHub.Reactions;

public sealed record SendReactionRequest(long SessionId, string? Reaction);

/// <summary>One tick's reactions in a session, by kind: what the projector floats up.</summary>
public sealed record ReactionsDelta(long SessionId, IReadOnlyDictionary<string, long> Counts);

/// <summary>
/// Live emoji reactions: a fixed set, rate-limited per participant, counted in memory for one tick and pushed as one burst per
/// session; totals are added to the database once per tick, never once per tap.
/// </summary>
public sealed partial class ReactionService(
    EventService events,
    RateLimits limits,
    ReactionStore store,
    IHubContext<EventHub, ILiveClient> hub,
    ILogger<ReactionService> logger) : TickingService(logger), Admin.IEventCache
{
    /// <summary>The reactions on offer; clients draw each as its emoji.</summary>
    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>
    {
        ["clap"] = "👏", ["heart"] = "❤️", ["laugh"] = "😂", ["wow"] = "😮", ["think"] = "🤔", ["up"] = "👍",
    };

    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<long, ConcurrentDictionary<string, long>> _pending = new();
    private readonly ConcurrentDictionary<long, bool> _knownSessions = new();

    public async Task<HubResult<bool>> SendAsync(Caller caller, SendReactionRequest? request, CancellationToken ct)
    {
        if (request?.Reaction is null || !Kinds.ContainsKey(request.Reaction))
        {
            return HubError.Invalid("reaction", $"The reaction must be one of: {string.Join(", ", Kinds.Keys)}.");
        }
        if (!_knownSessions.ContainsKey(request.SessionId))
        {
            if (await events.FindSessionAsync(request.SessionId, ct) is null)
            {
                return ErrorCodes.NotFoundError("session");
            }
            _knownSessions[request.SessionId] = true;
        }
        if (limits.TryReact(caller.ParticipantId) is { } retryAfter)
        {
            return ErrorCodes.SlowDownError(retryAfter);
        }
        _pending.GetOrAdd(request.SessionId, _ => new ConcurrentDictionary<string, long>())
            .AddOrUpdate(request.Reaction, 1, (_, n) => n + 1);
        return HubResult<bool>.Success(true);
    }

    /// <summary>A deleted event's sessions are no longer known here, and their taps not yet counted are dropped.</summary>
    public void Forget(Admin.DeletedEvent deleted)
    {
        foreach (var sessionId in deleted.SessionIds)
        {
            _knownSessions.TryRemove(sessionId, out _);
            _pending.TryRemove(sessionId, out _);
        }
    }

    protected override TimeSpan Interval => Tick;

    protected override Task TickAsync(CancellationToken ct) => FlushAsync(ct);

    public async Task FlushAsync(CancellationToken ct)
    {
        foreach (var sessionId in _pending.Keys)
        {
            if (!_pending.TryRemove(sessionId, out var counts) || counts.IsEmpty)
            {
                continue;
            }
            var burst = counts.ToDictionary(c => c.Key, c => c.Value);
            try
            {
                // Phones only send reactions; the floating show is the projector's (and the moderator's counter), so spare the Wi-Fi.
                await hub.Clients.Groups(GroupNames.Projector(sessionId), GroupNames.Moderators(sessionId))
                    .ReactionsSent(new ReactionsDelta(sessionId, burst));
                await store.AddAsync(sessionId, burst, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFlushFailed(logger, ex, sessionId);
            }
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Reaction burst for session {SessionId} failed")]
    private static partial void LogFlushFailed(ILogger logger, Exception ex, long sessionId);
}

public static class ReactionsSetup
{
    /// <summary>Emoji reactions: counted in memory, stored and pushed once per tick.</summary>
    public static IServiceCollection AddReactions(this IServiceCollection services) => services
        .AddSingleton<ReactionStore>().AddSingleton<ReactionService>().AddHostedService(sp => sp.GetRequiredService<ReactionService>());
}
