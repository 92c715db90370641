using LiveHub.Data.Moderation;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Reactions;

public static class ReactionsSetup
{
    /// <summary>Emoji reactions: counted in memory, stored and pushed in batches.</summary>
    public static IServiceCollection AddReactions(this IServiceCollection services)
    {
        services.AddSingleton<ReactionStore>();
        services.AddSingleton<ReactionService>();
        services.AddHostedService(sp => sp.GetRequiredService<ReactionService>());
        return services;
    }
}
