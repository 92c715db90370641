using System.Net;
using System.Net.WebSockets;
using Dapper;
using LiveHub.Data;
using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Faults;

/// <summary>
/// The participant is the cookie, never the connection: a hub connection without a valid participant cookie is refused, so a
/// client cannot become a new participant by opening another connection.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class OneParticipantPerCookieTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    private Uri HubSocket => new UriBuilder(Server.BaseUri) { Scheme = "ws", Path = "/hub" }.Uri;

    [Fact]
    public async Task AHubHandshakeWithoutAParticipantCookieIsRefusedWith401AndSaysWhereToGetOne()
    {
        using var socket = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(HubSocket, CancellationToken.None).WaitAsync(TestClient.Timeout));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);

        // The same answer as plain HTTP, to read what it says.
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = Server.BaseUri };
        using var response = await http.GetAsync("/hub");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(CookieNames.Participant, body);
        Assert.Contains("/api/events/", body);
        Assert.False(response.Headers.Contains("Set-Cookie"), "the refusal hands out no identity of its own");
    }

    [Fact]
    public async Task AHubHandshakeWithAForgedParticipantCookieIsRefusedWith401()
    {
        using var socket = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };
        socket.Options.SetRequestHeader("Cookie", $"{CookieNames.Participant}=CfDJ8forged-participant-id");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(HubSocket, CancellationToken.None).WaitAsync(TestClient.Timeout));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task TwoCookielessConnectionsCannotCastTwoVotesInOnePoll()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Single, "Kota mana?", ["Kupang", "Ende"], null, null, null, null, PollVisibility.Live));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));

        var refused = await TwoCookielessAttemptsAsync(connection => connection.InvokeAsync<HubResult<MyVote>>(nameof(EventHub.CastVote),
            new CastVoteRequest(poll.Id, Guid.NewGuid().ToString("N"), [0], null, null, null, null)));

        var votes = await CountAsync("SELECT COUNT(*) FROM votes WHERE poll_id = @Id", new { poll.Id });
        Assert.True(votes <= 1, $"{votes} votes were stored from one cookie-less client");
        Assert.Equal(2, refused);
    }

    [Fact]
    public async Task AQuestionResentOverASecondCookielessConnectionIsNotStoredTwice()
    {
        var e = await Server.CreateEventAsync();
        var clientId = Guid.NewGuid().ToString("N");
        var request = new AskQuestionRequest(e.Keynote, clientId, "Apakah pertanyaan ini tersimpan sekali saja?", null);

        var refused = await TwoCookielessAttemptsAsync(connection => connection.InvokeAsync<HubResult<QuestionView>>(nameof(EventHub.AskQuestion), request));

        var stored = await CountAsync("SELECT COUNT(*) FROM questions WHERE client_id = @clientId", new { clientId });
        Assert.True(stored <= 1, $"one question resent with the same client id was stored {stored} times");
        Assert.Equal(2, refused);
    }

    [Fact]
    public async Task AClientThatKeepsItsCookieIsOneParticipantOnEveryConnection()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Single, "Kota mana?", ["Kupang", "Ende"], null, null, null, null, PollVisibility.Live));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
        await using var phone = await TestClient.ConnectAsync(Server);
        var ask = new AskQuestionRequest(e.Keynote, Guid.NewGuid().ToString("N"), "Sekali saja, walau tersambung ulang?", null);

        await phone.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(poll.Id, Guid.NewGuid().ToString("N"), [0], null, null, null, null));
        var first = await phone.OkAsync<QuestionView>(nameof(EventHub.AskQuestion), ask);
        await phone.ReconnectAsync();
        await phone.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(poll.Id, Guid.NewGuid().ToString("N"), [1], null, null, null, null));
        var resent = await phone.OkAsync<QuestionView>(nameof(EventHub.AskQuestion), ask);

        Assert.Equal(first.Id, resent.Id);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM votes WHERE poll_id = @Id", new { poll.Id }));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM questions WHERE client_id = @ClientId", new { ask.ClientId }));
    }

    [SkippableFact]
    public async Task APageWhoseParticipantCookieIsGoneGetsANewOneAndConnectsAgain()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        var phone = await session.OpenAsync("phone", 360, 740);
        session.ExpectNetworkErrors();
        await phone.AddInitScriptAsync("""
            (() => {
              const Native = window.WebSocket;
              window.__lhSockets = [];
              window.WebSocket = function (url, protocols) {
                const socket = new Native(url, protocols);
                window.__lhSockets.push(socket);
                return socket;
              };
              window.WebSocket.prototype = Native.prototype;
              Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
            })();
            """);
        await phone.GotoAsync($"{Server.BaseUri.GetLeftPart(UriPartial.Authority)}/e/{e.Code}?session={e.Keynote}");
        var status = phone.GetByTestId("connection-status");
        await Expect(status).ToHaveAttributeAsync("data-state", "connected");
        var before = (await phone.Context.CookiesAsync()).Single(c => c.Name == CookieNames.Participant).Value;

        // The person clears the site's cookies while the page is open, and the connection drops.
        await phone.Context.ClearCookiesAsync();
        await phone.EvaluateAsync("() => window.__lhSockets.forEach(s => s.close())");

        // Waiting for "connected" alone would race the page's own noticing of the drop (the status still says connected
        // for a moment): wait for a new socket to open, which the server allows only with a valid participant cookie.
        await phone.WaitForFunctionAsync("() => window.__lhSockets.length > 1 && window.__lhSockets[window.__lhSockets.length - 1].readyState === 1",
            null, new() { Timeout = 20_000 });
        await Expect(status).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });
        var after = (await phone.Context.CookiesAsync()).Single(c => c.Name == CookieNames.Participant).Value;
        Assert.NotEqual(before, after);
        await session.StepAsync("connected again as a new participant");
    }

    /// <summary>
    /// Opens a cookie-less connection twice, one after the other, and makes the call on each the server lets in; returns how
    /// many were refused at the handshake (401, as the tests above read it).
    /// </summary>
    private async Task<int> TwoCookielessAttemptsAsync(Func<HubConnection, Task> call)
    {
        var refused = 0;
        for (var i = 0; i < 2; i++)
        {
            await using var connection = CookielessConnection();
            try
            {
                await connection.StartAsync().WaitAsync(TestClient.Timeout);
            }
            catch (Exception)
            {
                refused++;
                continue;
            }
            await call(connection).WaitAsync(TestClient.Timeout);
        }
        return refused;
    }

    private HubConnection CookielessConnection() => new HubConnectionBuilder()
        .WithUrl(new Uri(Server.BaseUri, "/hub"), o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
        })
        .Build();

    private async Task<long> CountAsync(string sql, object args)
    {
        await using var connection = await Server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }
}
