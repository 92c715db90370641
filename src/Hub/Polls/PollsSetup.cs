using LiveHub.Data;
using LiveHub.Data.Polls;
using LiveHub.Realtime;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Polls;

public static class PollsSetup
{
    /// <summary>Polls and quizzes: their store, lifecycle and votes, coalesced results, and the quiz timer.</summary>
    public static IServiceCollection AddPolls(this IServiceCollection services)
    {
        services.AddOptions<PollOptions>().BindConfiguration(PollOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var store = new PollStore(sp.GetRequiredService<Database>());
            var metrics = sp.GetRequiredService<LiveHubMetrics>();
            store.VotesCommitted += (count, elapsed) => metrics.BatchCommitted("vote", count, elapsed);
            return store;
        });
        services.AddSingleton<OpenPolls>();
        services.AddSingleton<PollService>();
        services.AddSingleton<PollResultsCoalescer>();
        services.AddHostedService(sp => sp.GetRequiredService<PollResultsCoalescer>());
        services.AddHostedService<QuizTimer>();
        return services;
    }
}
