namespace LiveHub.Realtime;

/// <summary>
/// Every hub method answers with this: either <see cref="Ok"/> with a value, or a typed error.
/// Errors never close the connection.
/// </summary>
public sealed record HubResult<T>(bool Ok, T? Value, HubError? Error)
{
    public static HubResult<T> Success(T value) => new(true, value, null);

    public static implicit operator HubResult<T>(HubError error) => new(false, default, error);
}

/// <summary>A typed error: a stable code for programs, a message key for the page's dictionary, and an English message for logs.</summary>
public sealed record HubError(string Code, string MessageKey, string Message, bool Retryable = false, int? RetryAfterSeconds = null)
{
    public static HubError Invalid(string field, string message) => new(ErrorCodes.Invalid, $"error.invalid.{field}", message);
}

public static class ErrorCodes
{
    public const string Invalid = "invalid";
    public const string TextEmpty = "text_empty";
    public const string TextTooLong = "text_too_long";
    public const string TextInvalid = "text_invalid";
    public const string NameTooLong = "name_too_long";
    public const string NotFound = "not_found";
    public const string Forbidden = "forbidden";
    public const string SlowDown = "slow_down";
    public const string InvalidState = "invalid_state";
    public const string Unavailable = "unavailable";
    public const string NotJoined = "not_joined";

    public static HubError TextEmptyError() => new(TextEmpty, "error.text_empty", "The text is empty after trimming.");
    public static HubError TextInvalidError() =>
        new(TextInvalid, "error.text_invalid", "The text holds control characters (such as U+0000) that are not stored; remove them and send again.");
    public static HubError NotFoundError(string what) => new(NotFound, $"error.not_found.{what}", $"No such {what}.");
    public static HubError ForbiddenError() => new(Forbidden, "error.forbidden", "This needs a moderator of this event.");
    public static HubError SlowDownError(int retryAfterSeconds) =>
        new(SlowDown, "error.slow_down", "Too many requests; try again later.", Retryable: true, RetryAfterSeconds: retryAfterSeconds);
    public static HubError UnavailableError() =>
        new(Unavailable, "error.unavailable", "The store is busy or unreachable; the request can be retried.", Retryable: true);
}
