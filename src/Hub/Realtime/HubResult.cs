using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiveHub.Realtime;

/// <summary>
/// Every hub method answers with this: either <see cref="Ok"/> with a value, or a typed error whose <c>value</c> is
/// <c>null</c> on the wire, whatever <typeparamref name="T"/> is. Errors never close the connection.
/// </summary>
[JsonConverter(typeof(HubResultJsonConverter))]
public sealed record HubResult<T>(bool Ok, T? Value, HubError? Error)
{
    public static HubResult<T> Success(T value) => new(true, value, null);

    public static implicit operator HubResult<T>(HubError error) => new(false, default, error);
}

/// <summary>
/// Writes <c>{ ok, value, error }</c> with <c>value: null</c> on every error: a failed <c>HubResult&lt;bool&gt;</c> would
/// otherwise say <c>false</c>, which a client could read as an answer. Reads a null value back as the type's default.
/// </summary>
public sealed class HubResultJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(HubResult<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class Converter<T> : JsonConverter<HubResult<T>>
    {
        public override HubResult<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("A hub result is a JSON object.");
            }
            var ok = false;
            T? value = default;
            HubError? error = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                if (string.Equals(name, "ok", StringComparison.OrdinalIgnoreCase))
                {
                    ok = reader.GetBoolean();
                }
                else if (string.Equals(name, "value", StringComparison.OrdinalIgnoreCase))
                {
                    value = reader.TokenType == JsonTokenType.Null ? default : JsonSerializer.Deserialize<T>(ref reader, options);
                }
                else if (string.Equals(name, "error", StringComparison.OrdinalIgnoreCase))
                {
                    error = JsonSerializer.Deserialize<HubError>(ref reader, options);
                }
                else
                {
                    reader.Skip();
                }
            }
            return new HubResult<T>(ok, value, error);
        }

        public override void Write(Utf8JsonWriter writer, HubResult<T> result, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteBoolean(Name(nameof(HubResult<T>.Ok), options), result.Ok);
            writer.WritePropertyName(Name(nameof(HubResult<T>.Value), options));
            if (result.Ok)
            {
                JsonSerializer.Serialize(writer, result.Value, options);
            }
            else
            {
                writer.WriteNullValue();
            }
            writer.WritePropertyName(Name(nameof(HubResult<T>.Error), options));
            JsonSerializer.Serialize(writer, result.Error, options);
            writer.WriteEndObject();
        }

        private static string Name(string property, JsonSerializerOptions options) =>
            options.PropertyNamingPolicy?.ConvertName(property) ?? property;
    }
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
