using LiveHub.Realtime;

namespace LiveHub.Web.Api;

/// <summary>HTTP endpoints answer errors with the same typed error as the hub.</summary>
public static class ApiErrors
{
    public static IResult ToHttp(HubError error) => Results.Json(error, statusCode: error.Code switch
    {
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.SlowDown => StatusCodes.Status429TooManyRequests,
        ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    });

    public static IResult ToHttp<T>(HubResult<T> result) => result.Ok ? Results.Ok(result.Value) : ToHttp(result.Error!);
}
