using System.Text.Json;
using LiveHub.Events;
using LiveHub.Reactions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHub.Tests.Faults;

/// <summary>What docs/protocol.md promises an outside integrator, checked against the wire.</summary>
[Collection(ServerCollection.Name)]
public sealed class ProtocolContractTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Fact]
    public async Task AFailedHubResultOfBoolCarriesANullValueAsDocumented()
    {
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);

        var refused = await phone.Connection.InvokeAsync<JsonElement>(nameof(EventHub.SendReaction), new SendReactionRequest(e.Keynote, "no-such-reaction"))
            .WaitAsync(TestClient.Timeout);
        var sent = await phone.Connection.InvokeAsync<JsonElement>(nameof(EventHub.SendReaction), new SendReactionRequest(e.Keynote, "clap"))
            .WaitAsync(TestClient.Timeout);

        Assert.False(refused.GetProperty("ok").GetBoolean());
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Object, refused.GetProperty("error").ValueKind);
        Assert.True(sent.GetProperty("value").GetBoolean());
        // The .NET client reads both shapes into HubResult<bool>.
        var typed = await phone.InvokeAsync<bool>(nameof(EventHub.SendReaction), new SendReactionRequest(e.Keynote, "no-such-reaction"));
        Assert.False(typed.Ok);
        Assert.False(typed.Value);
    }

    [Fact]
    public async Task ACallTheServerCannotBindFailsWithSignalRsErrorTextAndTheConnectionStaysUp()
    {
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);

        var error = await Assert.ThrowsAsync<HubException>(() => phone.Connection.InvokeAsync<JsonElement>(nameof(EventHub.AskQuestion), "not a request", 42)
            .WaitAsync(TestClient.Timeout));

        Assert.Equal("Failed to invoke 'AskQuestion' due to an error on the server.", error.Message);
        Assert.True((await phone.InvokeAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code)).Ok);
    }

    [Fact]
    public void TheEventCodeAlphabetAndLengthInTheProtocolAreTheServers()
    {
        var protocol = File.ReadAllText(Path.Combine(Repo.Root, "docs", "protocol.md"));

        Assert.Contains($"`{JoinCode.Alphabet}`", protocol);
        Assert.Contains($"{JoinCode.Length} characters", protocol);
    }
}
