using LiveHub.Data.Moderation;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Announcements;

public static class AnnouncementsSetup
{
    /// <summary>Announcements to an event or one of its rooms.</summary>
    public static IServiceCollection AddAnnouncements(this IServiceCollection services)
    {
        services.AddSingleton<AnnouncementStore>();
        services.AddSingleton<AnnouncementService>();
        return services;
    }
}
