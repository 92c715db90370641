using LiveHub.Data;
using LiveHub.Data.Admin;
using LiveHub.Data.Events;
using LiveHub.Events;
using Microsoft.Extensions.Time.Testing;

namespace LiveHub.Tests.Events;

public sealed class EventLanguagesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "livehub-languages", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly SqliteDatabase _db;

    public EventLanguagesTests()
    {
        _db = new SqliteDatabase(Path.Combine(_dir, "livehub.db"));
        _db.Migrate();
    }

    [Fact]
    public async Task AnEventsSettingsAreFoundByItsCodeInAnyCase()
    {
        var (_, code) = await CreateAsync("en", followBrowser: true);
        var languages = new EventLanguages(new EventStore(_db), _clock);

        Assert.Equal(new EventLanguageSettings("en", true), await languages.FindAsync(code.ToLowerInvariant(), CancellationToken.None));
        Assert.Null(await languages.FindAsync(JoinCode.New(), CancellationToken.None));
        Assert.Null(await languages.FindAsync("not a code", CancellationToken.None));
        Assert.Null(await languages.FindAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task AnEditOnAnotherNodeIsSeenOnceTheCachedSettingsExpire()
    {
        var (id, code) = await CreateAsync("id", followBrowser: false);
        var languages = new EventLanguages(new EventStore(_db), _clock);
        await languages.FindAsync(code, CancellationToken.None);

        await EditAsync(id, "en", followBrowser: true);
        var cached = await languages.FindAsync(code, CancellationToken.None);
        _clock.Advance(EventLanguages.CacheFor);
        var fresh = await languages.FindAsync(code, CancellationToken.None);

        Assert.Equal(new EventLanguageSettings("id", false), cached);
        Assert.Equal(new EventLanguageSettings("en", true), fresh);
    }

    [Fact]
    public async Task AForgottenCodeIsReadAfreshAtOnce()
    {
        var (id, code) = await CreateAsync("id", followBrowser: false);
        var languages = new EventLanguages(new EventStore(_db), _clock);
        await languages.FindAsync(code, CancellationToken.None);

        await EditAsync(id, "en", followBrowser: false);
        languages.Forget(code.ToLowerInvariant());

        Assert.Equal(new EventLanguageSettings("en", false), await languages.FindAsync(code, CancellationToken.None));
    }

    private async Task<(long Id, string Code)> CreateAsync(string language, bool followBrowser)
    {
        var code = JoinCode.New();
        var id = await new EventStore(_db).CreateAsync(new NewEvent(code, "Uji", null, null, null, "Asia/Makassar", language, ["id", "en"], null, null, "hash",
            [new NewRoom("hall", "Aula", 10, JoinCode.New())], [], followBrowser), CancellationToken.None);
        return (id, code);
    }

    private Task EditAsync(long eventId, string language, bool followBrowser) =>
        new AdminStore(_db).UpdateEventAsync(eventId, new EventEdit("Uji", null, null, null, "Asia/Makassar", language, followBrowser), [], CancellationToken.None);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
