using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Limits;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveHub.Realtime;

/// <summary>
/// Around every hub call: a per-connection rate limit; the method's declared requirement (<see cref="AccessAttribute"/>),
/// checked here and nowhere else, so no method can skip it and one that declares nothing is refused; and a store failure
/// turned into a typed, retryable error instead of a dropped call; and the joins, which read snapshots, taking turns
/// (<see cref="JoinGate"/>). The connection stays up either way.
/// </summary>
public sealed partial class HubGuardFilter(IOptions<RealtimeOptions> options, ModeratorAccess access, JoinGate joins, LiveHubMetrics metrics,
    TimeProvider clock, ILogger<HubGuardFilter> logger) : IHubFilter
{
    // The calls every (re)connect makes, each reading a snapshot: the ones a hall reconnecting at once makes together.
    private static readonly HashSet<string> Joins = [nameof(EventHub.JoinEvent), nameof(EventHub.JoinSession)];

    // Each connection's call budget lives with the connection: made when it opens, gone when it closes.
    private static readonly object BudgetKey = new();

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        context.Context.Items[BudgetKey] = NewBudget();
        return next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        finally
        {
            (context.Context.Items[BudgetKey] as CallBudget)?.Dispose();
        }
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var items = context.Context.Items;
        if (items.TryGetValue(BudgetKey, out var found) is false || found is not CallBudget budget)
        {
            items[BudgetKey] = budget = NewBudget();
        }
        if (budget.TryTake() is { } retryAfter)
        {
            return Failure(context, ErrorCodes.SlowDownError(retryAfter));
        }
        // Logs inside a call carry what it was about; never the participant id, cookies or passcodes.
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["HubMethod"] = context.HubMethodName,
            ["SessionId"] = ScopeValue(context, "SessionId"),
            ["EventId"] = ScopeValue(context, "EventId"),
            ["PollId"] = ScopeValue(context, "PollId"),
        });
        var started = clock.GetTimestamp();
        try
        {
            if (await AuthorizeAsync(context) is { } denied)
            {
                return Failure(context, denied);
            }
            if (!Joins.Contains(context.HubMethodName))
            {
                return await next(context);
            }
            var (ran, result) = await joins.RunAsync(() => next(context), context.Context.ConnectionAborted);
            return ran ? result : Failure(context, JoinGate.ShedError());
        }
        catch (DbException ex) when (Data.Database.IsRefusedText(ex))
        {
            // A text no input rule caught: answered as the rules would have, so no outbox resends it for ever.
            LogRefusedText(logger, ex, context.HubMethodName);
            return Failure(context, ErrorCodes.TextInvalidError());
        }
        catch (DbException ex)
        {
            LogStoreFailure(logger, ex, context.HubMethodName);
            return Failure(context, ErrorCodes.UnavailableError());
        }
        finally
        {
            metrics.HubCall(context.HubMethodName, clock.GetElapsedTime(started));
        }
    }

    /// <summary>Null when the caller meets every requirement the method declares; else the error to answer with.</summary>
    private async Task<HubError?> AuthorizeAsync(HubInvocationContext context)
    {
        var declared = Requirements.GetOrAdd(context.HubMethod, m => m.GetCustomAttributes<AccessAttribute>().ToArray());
        if (declared.Length == 0)
        {
            return ErrorCodes.ForbiddenError();
        }
        foreach (var requirement in declared)
        {
            switch (requirement)
            {
                case AnyoneAttribute:
                    break;
                case ModeratorAttribute moderator:
                    if (moderator.ForView is { } view && (Argument(context, "view") as string ?? SessionViews.Audience) != view)
                    {
                        break;
                    }
                    if (TargetOf(context, moderator.Concerning) is not { } id)
                    {
                        return HubError.Invalid("request", "A request body is required.");
                    }
                    if (await access.CheckAsync(context.Context.User, moderator.Concerning, id, context.Context.ConnectionAborted) is { } error)
                    {
                        return error;
                    }
                    break;
                default:
                    // The organizer has no sign-in on the hub.
                    return ErrorCodes.ForbiddenError();
            }
        }
        return null;
    }

    /// <summary>The id of the event, session or poll a call concerns: from its request, or a plain <c>sessionId</c> argument.</summary>
    private static long? TargetOf(HubInvocationContext context, Concerning concerning)
    {
        foreach (var argument in context.HubMethodArguments)
        {
            switch (concerning, argument)
            {
                case (Concerning.Event, IEventRequest r):
                    return r.EventId;
                case (Concerning.Session, ISessionRequest r):
                    return r.SessionId;
                case (Concerning.Poll, IPollRequest r):
                    return r.PollId;
            }
        }
        return concerning == Concerning.Session && Argument(context, "sessionId") is long sessionId ? sessionId : null;
    }

    private static object? Argument(HubInvocationContext context, string name)
    {
        var parameters = context.HubMethod.GetParameters();
        var index = Array.FindIndex(parameters, p => p.Name == name);
        return index >= 0 && index < context.HubMethodArguments.Count ? context.HubMethodArguments[index] : null;
    }

    // Read once per method: this filter runs around every vote.
    private static readonly ConcurrentDictionary<MethodInfo, AccessAttribute[]> Requirements = new();

    private CallBudget NewBudget() => new(options.Value.CallsPerSecond, options.Value.CallBurst);

    /// <summary>A request's id for the log scope: the named property of the request record, or a plain sessionId argument.</summary>
    private static object? ScopeValue(HubInvocationContext context, string name)
    {
        var args = context.HubMethodArguments;
        if (args.Count == 0 || args[0] is null)
        {
            return null;
        }
        if (args[0] is long id)
        {
            return name == "SessionId" && context.HubMethodName != "JoinEvent" ? id : null;
        }
        return ScopeProperties.GetOrAdd((args[0]!.GetType(), name), key => key.Type.GetProperty(key.Name))?.GetValue(args[0]);
    }

    // Looked up once per request type, not on every call.
    private static readonly ConcurrentDictionary<(Type Type, string Name), PropertyInfo?> ScopeProperties = new();

    /// <summary>Builds a failed <c>HubResult&lt;T&gt;</c> for whatever T the method returns.</summary>
    public static object? Failure(HubInvocationContext context, HubError error)
    {
        var returnType = context.HubMethod.ReturnType;
        var resultType = returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>)
            ? returnType.GetGenericArguments()[0]
            : returnType;
        if (resultType.IsGenericType && resultType.GetGenericTypeDefinition() == typeof(HubResult<>))
        {
            return Activator.CreateInstance(resultType, false, null, error);
        }
        throw new HubException(error.Code);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Store failure in hub method {Method}")]
    private static partial void LogStoreFailure(ILogger logger, Exception ex, string method);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "The store refused a text in hub method {Method}; an input rule should have")]
    private static partial void LogRefusedText(ILogger logger, Exception ex, string method);
}
