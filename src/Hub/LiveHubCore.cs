using LiveHub.Announcements;
using LiveHub.Events;
using LiveHub.Moderation;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Reactions;
using LiveHub.Realtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub;

public static class LiveHubCore
{
    /// <summary>The real-time core: store, features, the hub and its limits.</summary>
    public static IServiceCollection AddLiveHubCore(this IServiceCollection services, IConfiguration configuration) => services
        .AddStore(configuration)
        .AddEvents()
        .AddModeration()
        .AddPolls()
        .AddReactions()
        .AddAnnouncements()
        .AddQuestions()
        // Hosted services start in the order registered and stop in reverse: the scale-out links start after the features'
        // coalescers and stop before them.
        .AddRealtime(configuration);
}
