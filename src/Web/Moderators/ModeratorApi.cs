using System.Threading.RateLimiting;
using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Limits;
using LiveHub.Realtime;
using LiveHub.Web.Api;
using LiveHub.Web.Pages;
using LiveHub.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LiveHub.Web.Moderators;

/// <summary>Moderator sign-in: the event's passcode, and the moderator's name for the audit log.</summary>
public sealed record SignInRequest(string? Passcode, string? Name = null);

public sealed record ModeratorStatus(bool IsModerator, long? EventId);

/// <summary>Moderators sign in per event with its passcode and get an auth cookie; every moderator action is checked against it on the server.</summary>
public static class ModeratorApi
{
    public const string SignInLimit = "moderator-sign-in";

    public static IServiceCollection AddModeratorSignIn(this IServiceCollection services)
    {
        services.AddAuthentication(ModeratorClaims.Scheme).AddCookie(ModeratorClaims.Scheme, o =>
        {
            ApiCookies.Configure(o, CookieNames.Moderator, TimeSpan.FromDays(4));
            o.Events.OnValidatePrincipal = PasscodeStampCheck.ValidateAsync;
        });
        services.AddAuthorization();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Against passcode guessing: a few tries a minute per address.
            o.AddPolicy(SignInLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = context.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.SignInAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            o.OnRejected = async (context, ct) =>
            {
                await context.HttpContext.Response.WriteAsJsonAsync(ErrorCodes.SlowDownError(60), ct);
            };
        });
        return services;
    }

    public static IEndpointRouteBuilder MapModeratorApi(this IEndpointRouteBuilder app)
    {
        // Signing in, out, and asking whether one is: open to anyone, as a sign-in form is.
        var group = app.MapGroup("/api/events/{code}/moderator").AllowAnyone();

        group.MapPost("/session", async (string code, SignInRequest? body, HttpContext http, EventService events, CancellationToken ct) =>
        {
            var e = await events.FindByCodeAsync(code, ct);
            if (e is null)
            {
                return ApiErrors.ToHttp(ErrorCodes.NotFoundError("event"));
            }
            var passcode = body?.Passcode?.Trim();
            if (passcode is not { Length: > 0 and <= 200 } || !PasscodeHasher.Verify(e.ModeratorPasscodeHash, passcode))
            {
                return ApiErrors.ToHttp(new HubError("wrong_passcode", "error.wrong_passcode", "The passcode is not right for this event."));
            }
            var name = body!.Name?.Trim() is { Length: > 0 } n && !TextLength.Exceeds(n, 60) ? n : null;
            if (InputText.Check(name, multiline: false) is { } nameError)
            {
                // The name goes into the audit log with every action: refused here, not at the first write.
                return ApiErrors.ToHttp(nameError);
            }
            await http.SignInAsync(ModeratorClaims.Scheme, ModeratorClaims.Create(e.Id, e.PasscodeStamp, name));
            return Results.Ok(new ModeratorStatus(true, e.Id));
        }).RequireRateLimiting(SignInLimit);

        group.MapGet("/session", async (string code, HttpContext http, EventService events, ModeratorAccess access, CancellationToken ct) =>
        {
            var e = await events.FindByCodeAsync(code, ct);
            if (e is null)
            {
                return ApiErrors.ToHttp(ErrorCodes.NotFoundError("event"));
            }
            var isModerator = await access.IsModeratorOfAsync(http.User, e.Id, ct);
            return Results.Ok(new ModeratorStatus(isModerator, isModerator ? e.Id : null));
        });

        group.MapDelete("/session", async (HttpContext http) =>
        {
            await http.SignOutAsync(ModeratorClaims.Scheme);
            return Results.Ok(new ModeratorStatus(false, null));
        });
        return app;
    }
}
