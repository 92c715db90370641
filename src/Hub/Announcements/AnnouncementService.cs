using LiveHub.Data.Moderation;
using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Limits;
using LiveHub.Moderation;
using LiveHub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Announcements;

public sealed record PostAnnouncementRequest(long EventId, long? RoomId, string? Text) : IEventRequest;

public sealed record DeleteAnnouncementRequest(long EventId, long AnnouncementId) : IEventRequest;

/// <summary>An announcement to the whole event, or to one room (its audience and projector). <see cref="RoomId"/> null means everyone.</summary>
public sealed record AnnouncementView(long Id, long EventId, long? RoomId, string Text, long CreatedAt)
{
    public static AnnouncementView Of(AnnouncementRow r) => new(r.Id, r.EventId, r.RoomId, r.Text, r.CreatedAt);
}

/// <summary>
/// Announcements: stored, then pushed to everyone in the event; clients show the ones for their room or for all. Callers are the
/// event's moderators (the hub's declared requirements); this class checks the input.
/// </summary>
public sealed class AnnouncementService(
    AnnouncementStore store,
    Data.Events.EventStore events,
    AuditLog audit,
    IHubContext<EventHub, ILiveClient> hub)
{
    public const int MaxLength = 500;
    public const int Kept = 50;

    public async Task<HubResult<AnnouncementView>> PostAsync(Caller caller, PostAnnouncementRequest? request, CancellationToken ct)
    {
        if (request is null)
        {
            return HubError.Invalid("request", "A request body is required.");
        }
        var text = request.Text?.Trim() ?? "";
        if (text.Length == 0)
        {
            return ErrorCodes.TextEmptyError();
        }
        if (TextLength.Exceeds(text, MaxLength))
        {
            return new HubError(ErrorCodes.TextTooLong, "error.text_too_long", $"An announcement is at most {MaxLength} characters.");
        }
        if (InputText.Check(text, multiline: true) is { } textError)
        {
            return textError;
        }
        if (request.RoomId is { } roomId && (await events.ListRoomsAsync(request.EventId, ct)).All(r => r.Id != roomId))
        {
            return ErrorCodes.NotFoundError("room");
        }
        var row = await store.AddAsync(request.EventId, request.RoomId, text, caller.ModeratorName, ct);
        var view = AnnouncementView.Of(row);
        await hub.Clients.Group(GroupNames.Event(request.EventId)).AnnouncementPosted(view);
        await audit.RecordAsync(caller, request.EventId, null, "announce", detail: text, ct: ct);
        return HubResult<AnnouncementView>.Success(view);
    }

    public async Task<HubResult<AnnouncementView>> DeleteAsync(Caller caller, DeleteAnnouncementRequest? request, CancellationToken ct)
    {
        if (request is null)
        {
            return HubError.Invalid("request", "A request body is required.");
        }
        var row = await store.DeleteAsync(request.EventId, request.AnnouncementId, ct);
        if (row is null)
        {
            return ErrorCodes.NotFoundError("announcement");
        }
        var view = AnnouncementView.Of(row);
        await hub.Clients.Group(GroupNames.Event(request.EventId)).AnnouncementDeleted(view);
        await audit.RecordAsync(caller, request.EventId, null, "unannounce", detail: row.Text, ct: ct);
        return HubResult<AnnouncementView>.Success(view);
    }

    public async Task<IReadOnlyList<AnnouncementView>> ListAsync(long eventId, CancellationToken ct) =>
        (await store.ListAsync(eventId, Kept, ct)).Select(AnnouncementView.Of).ToList();
}

public static class AnnouncementsSetup
{
    /// <summary>Announcements to an event or one of its rooms.</summary>
    public static IServiceCollection AddAnnouncements(this IServiceCollection services) =>
        services.AddSingleton<AnnouncementStore>().AddSingleton<AnnouncementService>();
}
