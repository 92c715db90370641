using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveHub.Bench.Servers;

/// <summary>What the baseline pushes: the client's send timestamp, a key, and padding to LiveHub's payload size.</summary>
public sealed record BaselineMessage(long Key, long SentAt, string Pad);

/// <summary>
/// The bare hub LiveHub is measured against: no database, no auth, no rate limits, no versions. It broadcasts to
/// <c>Clients.All</c>, echoes, or does nothing, with the payload the caller sends.
/// </summary>
public sealed class BaselineHub : Hub
{
    /// <summary>What an idle phone costs: a connection in one group.</summary>
    public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);

    public Task Broadcast(BaselineMessage message) => Clients.All.SendAsync("Update", message);

    /// <summary>The vote storm's "broadcast every vote": to the room's group, not to the voters.</summary>
    public Task BroadcastToRoom(BaselineMessage message) => Clients.Group("room").SendAsync("Update", message);

    public BaselineMessage Echo(BaselineMessage message) => message;

    public void NoOp(BaselineMessage message)
    {
    }
}

public static class BaselineServer
{
    public const string HubPath = "/hub";

    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSignalR();
        var app = builder.Build();
        app.MapGet("/", () => "baseline");
        app.MapHub<BaselineHub>(HubPath);
        await app.RunAsync();
    }
}
