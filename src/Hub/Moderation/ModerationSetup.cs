using LiveHub.Data.Moderation;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Moderation;

public static class ModerationSetup
{
    /// <summary>The audit log of moderators' actions and the profanity filter.</summary>
    public static IServiceCollection AddModeration(this IServiceCollection services)
    {
        services.AddSingleton<ModerationLogStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ProfanityFilter>();
        return services;
    }
}
