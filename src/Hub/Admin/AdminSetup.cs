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
        return services;
    }
}
