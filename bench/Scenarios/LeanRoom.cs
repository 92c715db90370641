using LiveHub.Bench.Clients;
using LiveHub.Bench.Measure;
using LiveHub.Bench.Servers;

namespace LiveHub.Bench.Scenarios;

/// <summary>
/// A room whose audience is <see cref="LeanPhone"/>s instead of SignalR .NET clients: the updates are sent as by the room it
/// wraps (LiveHub's moderator, the baseline's broadcaster), and the lean audience reads them.
/// </summary>
public sealed class LeanRoom(IRoom inner, LeanAudience audience) : IRoom
{
    public static LeanRoom Of(LiveHubRoom room, int sourceAddresses = 1) =>
        new(room, LeanAudience.ForLiveHub(room.BaseUri, room.Settings.EventCode, room.SessionId, sourceAddresses));

    public static LeanRoom Of(BaselineRoom room, int sourceAddresses = 1) =>
        new(room, LeanAudience.ForBaseline(room.BaseUri, BaselineServer.HubPath, BaselineRoom.Group, sourceAddresses));

    public string Side => inner.Side;
    public ServerProcess? Server => inner.Server;
    public int Audience => audience.Count;
    public LeanAudience Phones => audience;

    public Delivery? Current
    {
        get => audience.Current;
        set => audience.Current = value;
    }

    public Task SetAudienceAsync(int total, CancellationToken ct) => audience.ResizeAsync(total, ct);

    public Task PrepareUpdatesAsync(int count, int textLength, CancellationToken ct) => inner.PrepareUpdatesAsync(count, textLength, ct);

    public Task SendUpdateAsync(long seq, Delivery delivery) => inner.SendUpdateAsync(seq, delivery);

    public Task<StalledClient> ConnectStalledAsync(CancellationToken ct) => inner.ConnectStalledAsync(ct);

    /// <summary>Closes the lean audience only; the wrapped room stays open.</summary>
    public ValueTask DisposeAsync() => audience.DisposeAsync();
}
