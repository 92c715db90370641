using System.Net.Http.Json;
using LiveHub.Admin;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveHub.Tests.Faults;

/// <summary>
/// The start-up log tells the operator the demo's moderator passcode only while it is the one that works: after the
/// organizer rotated it, a restart says that it was changed and where it is managed, and prints no dead passcode.
/// </summary>
public sealed class DemoPasscodeLogTests
{
    private const string Rotated = "rotated-demo-passcode-7";

    [Theory]
    [InlineData(null)]
    [InlineData("configured-demo-passcode")]
    public async Task AfterTheOrganizerRotatesTheDemoPasscodeARestartNoLongerPrintsTheOldOne(string? configured)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "livehub-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var settings = new Dictionary<string, string?>
        {
            ["LiveHub:Store:SqlitePath"] = Path.Combine(dataDir, "livehub.db"),
            ["LiveHub:Demo:Load"] = "true",
            ["Logging:LogLevel:Default"] = "Information",
        };
        if (configured is not null)
        {
            settings["LiveHub:Demo:ModeratorPasscode"] = configured;
        }
        try
        {
            var first = new LogCapture();
            string passcode;
            await using (var server = await LiveHubServer.StartAsync(settings, services: s => s.AddSingleton<ILoggerProvider>(first)))
            {
                passcode = configured ?? (await File.ReadAllTextAsync(Path.Combine(dataDir, "demo-moderator-passcode.txt"))).Trim();
                Assert.Contains(first.Messages, m => m.Message.Contains($"Moderator passcode: {passcode}", StringComparison.Ordinal));
                await SignInAsync(server, passcode, expectSuccess: true);

                var rotated = await server.Services.GetRequiredService<AdminService>().RotatePasscodeAsync("KUPANG", new PasscodeRequest(Rotated), CancellationToken.None);
                Assert.True(rotated.Ok);
            }

            var second = new LogCapture();
            await using (var server = await LiveHubServer.StartAsync(settings, services: s => s.AddSingleton<ILoggerProvider>(second)))
            {
                await SignInAsync(server, passcode, expectSuccess: false);
                var printed = string.Join("\n", second.Messages.Select(m => m.Message));
                Assert.DoesNotContain(passcode, printed);
                var demo = Assert.Single(second.Messages, m => m.Message.Contains("Demo event ready", StringComparison.Ordinal)).Message;
                Assert.Contains("Moderator passcode: changed", demo);
                Assert.Contains($"{server.BaseUri.GetLeftPart(UriPartial.Authority)}/admin", demo);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task SignInAsync(LiveHubServer server, string passcode, bool expectSuccess)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        using var response = await http.PostAsJsonAsync("/api/events/KUPANG/moderator/session", new { passcode });
        Assert.Equal(expectSuccess, response.IsSuccessStatusCode);
    }
}
