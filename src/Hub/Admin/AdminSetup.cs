using LiveHub.Data.Admin;
using LiveHub.Data.Export;
using LiveHub.Export;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Admin;

public static class AdminSetup
{
    /// <summary>The organizer's features: editing events, rotating passcodes, exporting questions and poll results.</summary>
    public static IServiceCollection AddLiveHubOrganizer(this IServiceCollection services)
    {
        services.AddSingleton<AdminStore>();
        services.AddSingleton<ExportStore>();
        services.AddSingleton<AdminService>();
        services.AddSingleton<ExportService>();
        // What a node keeps of events in memory, forgotten when one is deleted (see EventDeletions).
        services.AddSingleton<IEventCache, KnownParticipants>();
        services.AddSingleton<IEventCache>(sp => sp.GetRequiredService<Events.EventLanguages>());
        services.AddSingleton<IEventCache>(sp => sp.GetRequiredService<Identity.PasscodeStamps>());
        services.AddSingleton<IEventCache>(sp => sp.GetRequiredService<Polls.OpenPolls>());
        services.AddSingleton<IEventCache>(sp => sp.GetRequiredService<Reactions.ReactionService>());
        services.AddSingleton<IEventCache>(sp => sp.GetRequiredService<Questions.UpvoteCoalescer>());
        return services;
    }
}
