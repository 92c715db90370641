using LiveHub.Data.Events;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Events;

public static class EventsSetup
{
    /// <summary>Events, their rooms and sessions, agendas, languages, and scenario imports.</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services)
    {
        services.AddSingleton<EventStore>();
        services.AddSingleton<EventService>();
        services.AddSingleton<EventLanguages>();
        services.AddSingleton<AgendaService>();
        services.AddSingleton<ScenarioImporter>();
        return services;
    }
}
