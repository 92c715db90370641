using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using LiveHub.Admin;
using LiveHub.Data;
using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Reactions;
using LiveHub.Realtime;
using LiveHub.Tests.Admin;
using LiveHub.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace LiveHub.Tests.Faults;

/// <summary>
/// An operator reads the logs, ships them, pastes them into tickets: at the most verbose level, with every category on,
/// they must hold no secret a person or the server keeps: cookies, passcodes, the admin key, participant ids, key material.
/// </summary>
public sealed class LogHygieneTests(ITestOutputHelper output)
{
    private const string AdminKey = "log-hygiene-admin-key-7f3a9c1e";

    [Fact]
    public async Task AWholeEventAtTraceLevelLogsNoCookiePasscodeAdminKeyParticipantIdOrKeyMaterial()
    {
        var logs = new EveryLog();
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?>
        {
            ["LiveHub:Admin:Key"] = AdminKey,
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:LiveHub"] = "Trace",
            ["Logging:LogLevel:System"] = "Trace",
        }, services: s => s.AddSingleton<ILoggerProvider>(logs));
        var firstPasscode = $"first-{Guid.NewGuid():N}"[..20];
        var secondPasscode = $"second-{Guid.NewGuid():N}"[..20];
        var wrongAdminKey = AdminKey + "-guess";
        var clients = new List<TestClient>();

        // The organizer: signs in (after a wrong key), creates the event, rotates its passcode, opens the moderator page.
        using var wrongAdmin = AdminHttp.Anonymous(server);
        using (var refused = await wrongAdmin.Http.PostAsJsonAsync("/api/admin/session", new { key = wrongAdminKey }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        using var admin = await AdminHttp.SignInAsync(server, AdminKey);
        var code = Scenarios.NewCode();
        using (var created = await admin.Http.PostAsJsonAsync("/api/admin/events", Scenarios.DemoImport(code, firstPasscode)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var detail = (await admin.Http.GetFromJsonAsync<AdminEventDetail>($"/api/admin/events/{code}"))!;
        var keynote = detail.Sessions.Single(s => s.Key == "keynote").Id;
        using (var rotated = await admin.Http.PostAsJsonAsync($"/api/admin/events/{code}/passcode", new PasscodeRequest(secondPasscode)))
        {
            rotated.EnsureSuccessStatusCode();
        }
        (await admin.Http.PostAsJsonAsync($"/api/admin/events/{code}/moderator-session", new { })).EnsureSuccessStatusCode();

        // The moderator: a failed sign-in with the old passcode, a bad request carrying the new one, then signed in.
        var moderator = await TestClient.ConnectAsync(server);
        clients.Add(moderator);
        using (var old = await moderator.Http.PostAsJsonAsync($"/api/events/{code}/moderator/session", new { passcode = firstPasscode }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        }
        using (var broken = await moderator.Http.PostAsync($"/api/events/{code}/moderator/session",
            new StringContent($$"""{"passcode":"{{secondPasscode}}","name":""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        }
        using (var form = await moderator.Http.PostAsync($"/api/events/{code}/moderator/session",
            new FormUrlEncodedContent([new("passcode", secondPasscode)])))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        }
        using (var signIn = await moderator.Http.PostAsJsonAsync($"/api/events/{code}/moderator/session", new { passcode = secondPasscode, name = "Yuliana" }))
        {
            signIn.EnsureSuccessStatusCode();
        }
        await moderator.ReconnectAsync();
        await moderator.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), code);
        await moderator.OkAsync<SessionView>(nameof(EventHub.SetSessionStatus), new SetSessionStatusRequest(keynote, SessionStatus.Live));
        await moderator.JoinAsync(keynote, SessionViews.Moderator);
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), new PollDraftRequest(keynote, PollKinds.Single,
            "Masalah mana?", ["Air", "Jalan"], null, null, null, null, PollVisibility.Live));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));

        // The audience: asks (named and anonymous), upvotes, votes, reacts; and makes every kind of mistake.
        for (var i = 0; i < 2; i++)
        {
            var phone = await TestClient.ConnectAsync(server);
            clients.Add(phone);
            await phone.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), code);
            await phone.JoinAsync(keynote);
            var question = await phone.AskAsync(keynote, $"Pertanyaan {i}?", i == 0 ? "Maria" : null);
            await moderator.ModerateAsync(keynote, question.Id, ModerationActions.Approve);
            await phone.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(question.Id, true));
            await phone.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(poll.Id, $"vote-{i}", [i], null, null, null, null));
            await phone.OkAsync<bool>(nameof(EventHub.SendReaction), new SendReactionRequest(keynote, "clap"));

            var forbidden = await phone.InvokeAsync<QuestionView>(nameof(EventHub.ModerateQuestion), new ModerateQuestionRequest(keynote, question.Id, "dismiss"));
            Assert.Equal(ErrorCodes.Forbidden, forbidden.Error?.Code);
            var control = await phone.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), new AskQuestionRequest(keynote, $"bad-{i}", "Tanya\u0007?", null));
            Assert.Equal(ErrorCodes.TextInvalid, control.Error?.Code);
            var unknown = await phone.InvokeAsync<SessionSnapshot>(nameof(EventHub.JoinSession), -1L, "Moderator");
            Assert.Equal(ErrorCodes.Invalid, unknown.Error?.Code);
            await Assert.ThrowsAnyAsync<Exception>(() => phone.Connection.InvokeCoreAsync(nameof(EventHub.JoinSession), typeof(object), ["not-a-number", "audience"]));
            using var report = await phone.Http.GetAsync($"/api/sessions/{keynote}?view=moderator");
            Assert.Equal(HttpStatusCode.Forbidden, report.StatusCode);
        }
        (await moderator.Http.GetAsync($"/api/events/{code}/export/questions.csv")).EnsureSuccessStatusCode();
        (await admin.Http.GetAsync($"/api/sessions/{keynote}/export/polls.json")).EnsureSuccessStatusCode();
        await TestClient.EventuallyAsync(() => moderator.ResultFrames.Any(r => r.PollId == poll.Id && r.Voters == 2), "the votes are counted");
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        // Every secret of the scenario.
        var secrets = new Dictionary<string, string>
        {
            ["the admin key"] = AdminKey,
            ["a wrong admin key"] = wrongAdminKey,
            ["the first passcode"] = firstPasscode,
            ["the rotated passcode"] = secondPasscode,
        };
        foreach (var (who, jar) in clients.Select((c, i) => ($"client {i}", c.Cookies)).Append(("organizer", admin.Cookies)).Append(("wrong organizer", wrongAdmin.Cookies)))
        {
            foreach (Cookie cookie in jar.GetAllCookies())
            {
                if (cookie.Name is CookieNames.Participant or CookieNames.Moderator or CookieNames.Admin)
                {
                    secrets[$"{who}'s {cookie.Name} cookie"] = cookie.Value;
                }
            }
        }
        await using (var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None))
        {
            foreach (var id in await connection.QueryAsync<string>("SELECT id FROM participants"))
            {
                secrets[$"participant id {id[..4]}…"] = id;
            }
        }
        var keyRepository = server.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository!;
        foreach (var value in keyRepository.GetAllElements().SelectMany(k => k.Descendants()).Where(e => e.Name.LocalName == "value" && !e.HasElements))
        {
            secrets[$"Data Protection key material {value.Value[..4]}…"] = value.Value;
        }
        Assert.Contains(secrets.Keys, k => k.Contains(CookieNames.Moderator, StringComparison.Ordinal));
        Assert.Contains(secrets.Keys, k => k.Contains(CookieNames.Admin, StringComparison.Ordinal));
        Assert.Contains(secrets.Keys, k => k.StartsWith("Data Protection", StringComparison.Ordinal));
        Assert.Contains(secrets.Keys, k => k.StartsWith("participant id", StringComparison.Ordinal));

        var entries = logs.Entries.ToList();
        output.WriteLine($"{entries.Count} log entries from {entries.Select(e => e.Category).Distinct().Count()} categories, {secrets.Count} secrets");
        Assert.Contains(entries, e => e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && e.Level == LogLevel.Trace);
        Assert.Contains(entries, e => e.Category.StartsWith("LiveHub", StringComparison.Ordinal));
        var leaks = (from entry in entries
                     from secret in secrets
                     // A secret cut short is still a secret: its first 16 characters are enough to count.
                     where entry.Text.Contains(secret.Value, StringComparison.Ordinal) ||
                         secret.Value.Length > 24 && entry.Text.Contains(secret.Value[..16], StringComparison.Ordinal)
                     select $"{secret.Key} in [{entry.Level} {entry.Category}] {Shorten(entry.Text)}").Distinct().ToList();
        FaultLedger.Record("Logs free of cookies, passcodes and keys", 0, 0, 0, output);
        Assert.True(leaks.Count == 0, $"{leaks.Count} secrets in the logs:\n" + string.Join("\n", leaks.Take(30)));
    }

    private static string Shorten(string text) => text.Length > 400 ? text[..400] + "…" : text;

    /// <summary>Every log entry at every level, with its scopes, structured values and exception, as text.</summary>
    private sealed class EveryLog : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<(LogLevel Level, string Category, string Text)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private static void Append(StringBuilder text, object? value)
        {
            if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, item) in pairs)
                {
                    text.Append(" | ").Append(key).Append('=').Append(item);
                }
            }
            text.Append(" | ").Append(value);
        }

        private sealed class Logger(EveryLog provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var text = new StringBuilder(formatter(state, exception));
                Append(text, state);
                provider._scopes.ForEachScope((scope, sb) => Append(sb, scope), text);
                if (exception is not null)
                {
                    text.Append(" | ").Append(exception);
                }
                provider.Entries.Enqueue((logLevel, category, text.ToString()));
            }
        }
    }
}
