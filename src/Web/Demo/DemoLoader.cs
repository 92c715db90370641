using System.Security.Cryptography;
using LiveHub.Data;
using LiveHub.Data.Events;
using LiveHub.Events;
using LiveHub.Identity;
using Microsoft.Extensions.Options;

namespace LiveHub.Web.Demo;

/// <summary>
/// The demo. Section <c>LiveHub:Demo</c>, e.g. <code>{ "LiveHub": { "Demo": { "Load": true, "Code": "KUPANG", "ModeratorPasscode": null } } }</code>
/// </summary>
public sealed class DemoOptions
{
    public const string Section = "LiveHub:Demo";

    /// <summary>Load the Kupang seminar when the database has no event yet.</summary>
    public bool Load { get; set; } = true;

    /// <summary>The demo's join code.</summary>
    public string Code { get; set; } = "KUPANG";

    /// <summary>The demo moderator passcode; when unset, one is generated at first start and kept beside the database.</summary>
    public string? ModeratorPasscode { get; set; }

    /// <summary>Sessions that open live, whatever the (2019) schedule says, so the demo has something to show.</summary>
    public string[] LiveSessions { get; set; } = ["keynote"];

    /// <summary>Move the scenario's three days to start today (in the event's time zone), so its agenda is current.</summary>
    public bool StartToday { get; set; } = true;
}

/// <summary>Whether the start-up log knows the demo's moderator passcode.</summary>
public enum DemoPasscode
{
    /// <summary>The generated or configured passcode, and it still works.</summary>
    Current,

    /// <summary>The organizer rotated it: the generated or configured one no longer works.</summary>
    Changed,

    /// <summary>Neither configured nor kept beside the database.</summary>
    Unknown,
}

/// <summary>The demo event's code, and its moderator passcode when <see cref="Status"/> is <see cref="DemoPasscode.Current"/>.</summary>
public sealed record DemoReady(string Code, string? Passcode, DemoPasscode Status);

/// <summary>Loads the demo event on first start, into a store already migrated.</summary>
public sealed partial class DemoLoader(
    Database db,
    EventStore events,
    ScenarioImporter importer,
    IOptions<DemoOptions> options,
    ILogger<DemoLoader> logger)
{
    public const string ScenarioResource = "LiveHub.Web.Demo.citynet-kupang-2019.json";

    /// <summary>Returns what the start-up log may say about the demo when it is (or was) loaded.</summary>
    public async Task<DemoReady?> PrepareAsync(CancellationToken ct)
    {
        var demo = options.Value;
        if (!demo.Load)
        {
            return null;
        }
        var passcodeFile = Path.Combine(db.DataDirectory, "demo-moderator-passcode.txt");
        if (await events.CountAsync(ct) == 0)
        {
            var passcode = demo.ModeratorPasscode ?? RandomNumberGenerator.GetString(JoinCode.Alphabet, 8);
            var scenario = LoadScenario();
            if (demo.StartToday)
            {
                scenario = scenario.StartingOn(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(db.Clock.GetUtcNow(),
                    TimeZoneInfo.FindSystemTimeZoneById(scenario.Event.TimeZone)).DateTime));
            }
            await importer.ImportAsync(scenario, new ImportSettings(demo.Code, passcode, demo.LiveSessions.ToHashSet(), SeedSampleQuestions: true), ct);
            if (demo.ModeratorPasscode is null)
            {
                await File.WriteAllTextAsync(passcodeFile, passcode, ct);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(passcodeFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }
            LogDemoLoaded(logger, demo.Code);
            return new DemoReady(demo.Code, passcode, DemoPasscode.Current);
        }
        if (await events.FindByCodeAsync(demo.Code, ct) is not { } e)
        {
            return null;
        }
        // The organizer may have rotated the passcode since it was generated or configured: print it only while it works.
        var known = demo.ModeratorPasscode ?? (File.Exists(passcodeFile) ? (await File.ReadAllTextAsync(passcodeFile, ct)).Trim() : null);
        if (string.IsNullOrEmpty(known))
        {
            return new DemoReady(demo.Code, null, DemoPasscode.Unknown);
        }
        return PasscodeHasher.Verify(e.ModeratorPasscodeHash, known)
            ? new DemoReady(demo.Code, known, DemoPasscode.Current)
            : new DemoReady(demo.Code, null, DemoPasscode.Changed);
    }

    public static Scenario LoadScenario()
    {
        using var stream = typeof(DemoLoader).Assembly.GetManifestResourceStream(ScenarioResource)
            ?? throw new InvalidOperationException($"Missing embedded resource {ScenarioResource}");
        using var reader = new StreamReader(stream);
        return Scenario.Parse(reader.ReadToEnd());
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Loaded the demo event with code {Code}")]
    private static partial void LogDemoLoaded(ILogger logger, string code);
}
