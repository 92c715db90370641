using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using LiveHub.Admin;
using LiveHub.Data.Events;
using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Realtime;
using LiveHub.Web.Api;
using LiveHub.Web.Moderators;
using LiveHub.Web.Pages;
using LiveHub.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace LiveHub.Web.Admin;

/// <summary>The organizer's sign-in: one cookie scheme and one role, granted by the admin key.</summary>
public static class AdminClaims
{
    public const string Scheme = "LiveHubAdmin";
    public const string Policy = "livehub-admin";
    public const string Role = "admin";
    public const string KeyStamp = "livehub:admin-key";

    public static ClaimsPrincipal Create(string keyStamp) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Role, Role), new Claim(KeyStamp, keyStamp)], Scheme));

    public static bool IsAdmin(ClaimsPrincipal? user) => user?.IsInRole(Role) == true;
}

public sealed record AdminSignInRequest(string? Key);

public sealed record AdminStatus(bool IsAdmin);

/// <summary>The event code and passcode that come with a scenario when the organizer imports it.</summary>
public sealed record ImportHeader(string? Code, string? ModeratorPasscode);

/// <summary>
/// The organizer's HTTP API under <c>/api/admin</c>: every route but sign-in needs the admin cookie, which the admin key buys.
/// Import and export speak the scenario format, so an exported event is a valid import.
/// </summary>
public static class AdminApi
{
    public const string SignInLimit = "admin-sign-in";
    private const int MaxImportBytes = 2 * 1024 * 1024;

    private static readonly JsonSerializerOptions ScenarioJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static IServiceCollection AddAdmin(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AdminKeys>();
        services.AddSingleton<KioskLinks>();
        services.AddLiveHubOrganizer();
        services.AddAuthentication().AddCookie(AdminClaims.Scheme, o =>
        {
            ApiCookies.Configure(o, CookieNames.Admin, TimeSpan.FromHours(12));
            // A new admin key ends every sign-in made with the old one.
            o.Events.OnValidatePrincipal = async c =>
            {
                var keys = c.HttpContext.RequestServices.GetRequiredService<AdminKeys>();
                if (c.Principal?.FindFirst(AdminClaims.KeyStamp)?.Value != keys.Stamp)
                {
                    c.RejectPrincipal();
                    await c.HttpContext.SignOutAsync(AdminClaims.Scheme);
                }
            };
        });
        services.AddAuthorization(o => o.AddPolicy(AdminClaims.Policy, p => p.AddAuthenticationSchemes(AdminClaims.Scheme).RequireRole(AdminClaims.Role)));
        services.AddRateLimiter(o => o.AddPolicy(SignInLimit, context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = context.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.SignInAttemptsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            })));
        return services;
    }

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/admin/session").AllowAnyone();
        session.MapPost("", async (AdminSignInRequest? body, HttpContext http, AdminKeys keys) =>
        {
            if (!keys.Verify(body?.Key?.Trim()))
            {
                return ApiErrors.ToHttp(new HubError("wrong_admin_key", "error.wrong_admin_key", "The admin key is not right."));
            }
            await http.SignInAsync(AdminClaims.Scheme, AdminClaims.Create(keys.Stamp));
            return Results.Ok(new AdminStatus(true));
        }).RequireRateLimiting(SignInLimit);
        session.MapGet("", async Task<IResult> (HttpContext http) =>
            Results.Ok(new AdminStatus(AdminClaims.IsAdmin((await http.AuthenticateAsync(AdminClaims.Scheme)).Principal))));
        session.MapDelete("", async (HttpContext http) =>
        {
            await http.SignOutAsync(AdminClaims.Scheme);
            return Results.Ok(new AdminStatus(false));
        });

        app.MapGet("/k/{token}", async (string token, KioskLinks links, EventService events, EventStore store, CancellationToken ct) =>
        {
            var target = links.Read(token);
            var e = target is null ? null : await events.FindByCodeAsync(target.EventCode, ct);
            if (e is null || !(await store.ListRoomsAsync(e.Id, ct)).Any(r => r.RoomKey == target!.RoomKey))
            {
                return Results.NotFound();
            }
            return Results.Redirect($"/e/{e.Code}/projector?room={Uri.EscapeDataString(target!.RoomKey)}");
        }).AllowAnyone();

        var admin = app.MapGroup("/api/admin").RequireOrganizer();

        admin.MapGet("/events", async (AdminService service, CancellationToken ct) => Results.Ok(await service.ListAsync(ct)));

        admin.MapPost("/events", async (HttpRequest request, AdminService service, CancellationToken ct) =>
        {
            var (scenario, header, error) = await ReadImportAsync(request, ct);
            if (error is not null)
            {
                return ApiErrors.ToHttp(error);
            }
            var result = await service.ImportAsync(scenario, header?.Code, header?.ModeratorPasscode, ct);
            return result.Ok
                ? Results.Created($"/api/admin/events/{result.Value!.Code}", result.Value)
                : ApiErrors.ToHttp(result.Error!);
        });

        admin.MapGet("/events/{code}", async (string code, AdminService service, CancellationToken ct) =>
            await service.DetailAsync(code, ct) is { } detail ? Results.Ok(detail) : ApiErrors.ToHttp(ErrorCodes.NotFoundError("event")));

        admin.MapPut("/events/{code}", async (string code, EventEditRequest? body, AdminService service, CancellationToken ct) =>
            ApiErrors.ToHttp(await service.UpdateEventAsync(code, body, ct)));

        // Deletes the event and everything in it; the body repeats the code ({"confirm":"KUPANG"}), so a stray request deletes nothing.
        admin.MapDelete("/events/{code}", async (string code, HttpRequest request, AdminService service, CancellationToken ct) =>
        {
            var (body, error) = await ReadConfirmationAsync(request, ct);
            return error is not null ? ApiErrors.ToHttp(error) : ApiErrors.ToHttp(await service.DeleteEventAsync(code, body, ct));
        });

        admin.MapGet("/events/{code}/scenario.json", async (string code, AdminService service, CancellationToken ct) =>
            await service.ExportAsync(code, ct) is { } scenario
                ? Results.File(JsonSerializer.SerializeToUtf8Bytes(scenario, ScenarioJson), "application/json; charset=utf-8", $"{JoinCode.Normalize(code)}-event.json")
                : ApiErrors.ToHttp(ErrorCodes.NotFoundError("event")));

        admin.MapPost("/events/{code}/rooms", async (string code, RoomRequest? body, AdminService service, CancellationToken ct) =>
            Created(await service.AddRoomAsync(code, body, ct), r => $"/api/admin/events/{code}/rooms/{r.Key}"));

        admin.MapPut("/events/{code}/rooms/{roomKey}", async (string code, string roomKey, RoomRequest? body, AdminService service, CancellationToken ct) =>
            ApiErrors.ToHttp(await service.UpdateRoomAsync(code, roomKey, body, ct)));

        admin.MapDelete("/events/{code}/rooms/{roomKey}", async (string code, string roomKey, AdminService service, CancellationToken ct) =>
            ApiErrors.ToHttp(await service.DeleteRoomAsync(code, roomKey, ct)));

        admin.MapGet("/events/{code}/rooms/{roomKey}/kiosk-link", async (string code, string roomKey, HttpRequest request,
            EventService events, EventStore store, KioskLinks links, PublicUrls urls, CancellationToken ct) =>
        {
            var e = await events.FindByCodeAsync(code, ct);
            if (e is null || !(await store.ListRoomsAsync(e.Id, ct)).Any(r => r.RoomKey == roomKey))
            {
                return ApiErrors.ToHttp(ErrorCodes.NotFoundError(e is null ? "event" : "room"));
            }
            var path = $"/k/{links.Token(e.Code, roomKey)}";
            return Results.Ok(new KioskLink(urls.Base(request) + path, path));
        });

        admin.MapPost("/events/{code}/sessions", async (string code, SessionRequest? body, AdminService service, CancellationToken ct) =>
            Created(await service.AddSessionAsync(code, body, ct), s => $"/api/admin/events/{code}/sessions/{s.Key}"));

        admin.MapPut("/events/{code}/sessions/{sessionKey}", async (string code, string sessionKey, SessionRequest? body, AdminService service, CancellationToken ct) =>
            ApiErrors.ToHttp(await service.UpdateSessionAsync(code, sessionKey, body, ct)));

        admin.MapDelete("/events/{code}/sessions/{sessionKey}", async (string code, string sessionKey, AdminService service, CancellationToken ct) =>
            ApiErrors.ToHttp(await service.DeleteSessionAsync(code, sessionKey, ct)));

        admin.MapPost("/events/{code}/passcode", async (string code, PasscodeRequest? body, AdminService service, CancellationToken ct) =>
            ApiErrors.ToHttp(await service.RotatePasscodeAsync(code, body, ct)));

        // The organizer opens an event's moderator screens (or its report) without knowing the passcode.
        admin.MapPost("/events/{code}/moderator-session", async (string code, HttpContext http, EventService events, CancellationToken ct) =>
        {
            var e = await events.FindByCodeAsync(code, ct);
            if (e is null)
            {
                return ApiErrors.ToHttp(ErrorCodes.NotFoundError("event"));
            }
            await http.SignInAsync(ModeratorClaims.Scheme, ModeratorClaims.Create(e.Id, e.PasscodeStamp, AdminService.Actor));
            return Results.Ok(new ModeratorStatus(true, e.Id));
        });
        return app;
    }

    /// <summary>Reads the scenario and its code and passcode from one JSON body, turning any parse failure into a typed error.</summary>
    private static async Task<(Scenario? Scenario, ImportHeader? Header, HubError? Error)> ReadImportAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxImportBytes)
        {
            return (null, null, HubError.Invalid("scenario", $"The scenario is larger than {MaxImportBytes / 1024} KiB."));
        }
        using var reader = new StreamReader(request.Body);
        var buffer = new char[MaxImportBytes + 1];
        var length = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
        if (length > MaxImportBytes)
        {
            return (null, null, HubError.Invalid("scenario", $"The scenario is larger than {MaxImportBytes / 1024} KiB."));
        }
        var json = new string(buffer, 0, length);
        try
        {
            var header = JsonSerializer.Deserialize<ImportHeader>(json, ScenarioJson);
            return (Scenario.Parse(json), header, null);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or NotSupportedException)
        {
            return (null, null, HubError.Invalid("scenario", $"The scenario is not valid JSON in the expected shape: {ex.Message}"));
        }
    }

    /// <summary>The confirmation of a deletion, read by hand so that a missing or broken body is a typed error too.</summary>
    private static async Task<(DeleteEventRequest? Body, HubError? Error)> ReadConfirmationAsync(HttpRequest request, CancellationToken ct)
    {
        const int MaxBytes = 1024;
        if (request.ContentLength > MaxBytes)
        {
            return (null, HubError.Invalid("confirm", "The confirmation is a small JSON body: {\"confirm\":\"CODE\"}."));
        }
        using var reader = new StreamReader(request.Body);
        var buffer = new char[MaxBytes + 1];
        var length = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
        if (length > MaxBytes)
        {
            return (null, HubError.Invalid("confirm", "The confirmation is a small JSON body: {\"confirm\":\"CODE\"}."));
        }
        if (string.IsNullOrWhiteSpace(new string(buffer, 0, length)))
        {
            return (null, null);
        }
        try
        {
            return (JsonSerializer.Deserialize<DeleteEventRequest>(buffer.AsSpan(0, length), ScenarioJson), null);
        }
        catch (JsonException)
        {
            return (null, HubError.Invalid("confirm", "The confirmation is not valid JSON: send {\"confirm\":\"CODE\"}."));
        }
    }

    private static IResult Created<T>(HubResult<T> result, Func<T, string> location) =>
        result.Ok ? Results.Created(location(result.Value!), result.Value) : ApiErrors.ToHttp(result.Error!);
}
