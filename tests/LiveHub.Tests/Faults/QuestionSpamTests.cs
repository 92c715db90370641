using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHub.Tests.Faults;

/// <summary>One phone, or one network address, flooding a session with questions.</summary>
public sealed class QuestionSpamTests
{
    /// <summary>
    /// Thirty different questions at once from one participant: five are stored (the per-minute limit), the rest answer a
    /// retryable <c>slow_down</c> with a wait, and a resend of a stored one still answers as stored.
    /// </summary>
    [Fact]
    public async Task AParticipantFloodingQuestionsGetsFiveStoredAndIsToldToSlowDown()
    {
        await using var server = await LiveHubServer.StartAsync();
        var e = await server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(server);

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            phone.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), new AskQuestionRequest(e.Keynote, $"spam-{i}", $"Spam {i}?", null))));

        var stored = results.Where(r => r.Ok).ToList();
        Assert.Equal(5, stored.Count);
        Assert.All(results.Where(r => !r.Ok), r => Assert.Equal((ErrorCodes.SlowDown, true), (r.Error!.Code, r.Error.Retryable)));
        Assert.All(results.Where(r => !r.Ok), r => Assert.True(r.Error!.RetryAfterSeconds > 0));
        Assert.Equal(5, await server.ScalarAsync($"SELECT COUNT(*) FROM questions WHERE session_id = {e.Keynote}"));
        var resent = await phone.OkAsync<QuestionView>(nameof(EventHub.AskQuestion), new AskQuestionRequest(e.Keynote, stored[0].Value!.ClientId, stored[0].Value!.Text, null));
        Assert.Equal(stored[0].Value!.Id, resent.Id);
        Assert.Equal(HubConnectionState.Connected, phone.Connection.State);
    }

    /// <summary>Many participants behind one address (one phone inventing identities) share that address's limit.</summary>
    [Fact]
    public async Task ManyIdentitiesFromOneAddressShareTheAddressLimit()
    {
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?> { ["LiveHub:Questions:WritesPerAddressPerMinute"] = "12" });
        var e = await server.CreateEventAsync();
        var phones = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => TestClient.ConnectAsync(server)));
        try
        {
            var results = await Task.WhenAll(phones.SelectMany((phone, p) => Enumerable.Range(0, 4).Select(i =>
                phone.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), new AskQuestionRequest(e.Keynote, $"p{p}-q{i}", $"Pertanyaan {p}.{i}?", null)))));

            Assert.Equal(12, results.Count(r => r.Ok));
            Assert.All(results.Where(r => !r.Ok), r => Assert.Equal(ErrorCodes.SlowDown, r.Error!.Code));
            Assert.Equal(12, await server.ScalarAsync($"SELECT COUNT(*) FROM questions WHERE session_id = {e.Keynote}"));
        }
        finally
        {
            foreach (var phone in phones)
            {
                await phone.DisposeAsync();
            }
        }
    }

}
