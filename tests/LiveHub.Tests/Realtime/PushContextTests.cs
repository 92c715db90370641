using LiveHub.Questions;
using LiveHub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveHub.Tests.Realtime;

/// <summary>
/// The push context's contract: a push is handed to SignalR at once, in call order, and the caller does not wait for delivery.
/// SignalR's own group send completes only when every recipient's buffer has taken the message; a send that never completes
/// stands for a phone that stopped reading.
/// </summary>
public sealed class PushContextTests
{
    [Fact]
    public void APushToARecipientThatNeverTakesItDoesNotHoldTheCaller()
    {
        var signalR = new RecordingContext(_ => new TaskCompletionSource().Task);
        var push = new PushContext(signalR, NullLogger<PushContext>.Instance);
        var delta = new QuestionDelta(7, 12, null!, null);

        var first = push.Clients.Group("audience:7").QuestionApproved(delta);
        var second = push.Clients.Groups(["audience:7", "projector:7"]).QuestionOnScreenChanged(delta with { Version = 13 });

        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(second.IsCompletedSuccessfully);
        // Handed over at once, in order, with the method's name and its argument.
        Assert.Equal(
        [
            ("group:audience:7", "QuestionApproved", 12L),
            ("groups:audience:7,projector:7", "QuestionOnScreenChanged", 13L),
        ], signalR.Sent.Select(s => (s.Target, s.Method, ((QuestionDelta)s.Argument!).Version)));
    }

    [Fact]
    public async Task AFailedPushIsLoggedNotThrownAtTheCaller()
    {
        var failing = new TaskCompletionSource();
        var signalR = new RecordingContext(method => method == "MyQuestionChanged"
            ? Task.FromException(new InvalidOperationException("backplane down"))
            : failing.Task);
        var log = new ListLogger();
        var push = new PushContext(signalR, log);

        await push.Clients.User("participant-1").MyQuestionChanged(null!);
        await push.Clients.Group("moderators:7").PollResultsChanged(null!);
        // A send that fails later, after the caller has moved on, is logged too.
        failing.SetException(new InvalidOperationException("connection reset"));

        Assert.Equal(["user:participant-1", "group:moderators:7"], signalR.Sent.Select(s => s.Target));
        Assert.Equal(["MyQuestionChanged: backplane down", "PollResultsChanged: connection reset"], log.Warnings);
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger<PushContext>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == Microsoft.Extensions.Logging.LogLevel.Warning && state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                Warnings.Add($"{values.First(v => v.Key == "Method").Value}: {exception?.Message}");
            }
        }
    }

    private sealed class RecordingContext(Func<string, Task> send) : IHubContext<EventHub>
    {
        public List<(string Target, string Method, object? Argument)> Sent { get; } = [];

        public IHubClients Clients => new RecordingClients(this);

        public IGroupManager Groups => throw new NotSupportedException();

        private sealed class RecordingClients(RecordingContext context) : IHubClients
        {
            public IClientProxy All => Proxy("all");
            public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => Proxy("all-except");
            public IClientProxy Client(string connectionId) => Proxy($"client:{connectionId}");
            public IClientProxy Clients(IReadOnlyList<string> connectionIds) => Proxy("clients");
            public IClientProxy Group(string groupName) => Proxy($"group:{groupName}");
            public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => Proxy($"group-except:{groupName}");
            public IClientProxy Groups(IReadOnlyList<string> groupNames) => Proxy($"groups:{string.Join(',', groupNames)}");
            public IClientProxy User(string userId) => Proxy($"user:{userId}");
            public IClientProxy Users(IReadOnlyList<string> userIds) => Proxy("users");

            private IClientProxy Proxy(string target) => new RecordingProxy(context, target);
        }

        private sealed class RecordingProxy(RecordingContext context, string target) : IClientProxy
        {
            public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
            {
                context.Sent.Add((target, method, args.SingleOrDefault()));
                return context._send(method);
            }
        }

        private readonly Func<string, Task> _send = send;
    }
}
