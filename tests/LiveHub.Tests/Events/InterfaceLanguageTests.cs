using LiveHub.Events;
using LiveHub.Web.Demo;

namespace LiveHub.Tests.Events;

public sealed class InterfaceLanguageTests
{
    private const string NoEvent = "-";

    /// <summary>
    /// ?lang=, the person's cookie, the event's default and whether it follows the browser ("-": a page without an event),
    /// Accept-Language, the page, and the language the page speaks.
    /// </summary>
    public static TheoryData<string?, string?, string, bool, string?, PageKind, string> Pages => new()
    {
        // ?lang= wins over everything, on every page, for this visit.
        { "en", "id", "id", false, "id", PageKind.Audience, "en" },
        { "id", "en", "en", true, "en-US", PageKind.Audience, "id" },
        { "EN", null, "id", false, null, PageKind.Moderator, "en" },
        { "en", null, "id", false, "id", PageKind.Projector, "en" },
        { "en", null, NoEvent, false, "id", PageKind.Start, "en" },
        { "id", "en", NoEvent, false, "en", PageKind.Admin, "id" },
        // A ?lang= the interface does not have is ignored.
        { "fr", null, "en", false, "id", PageKind.Audience, "en" },
        { "", "en", "id", false, null, PageKind.Audience, "en" },
        { "in", null, "en", false, null, PageKind.Audience, "en" },
        // Then the person's own remembered choice, over the event and the browser.
        { null, "en", "id", false, "id", PageKind.Audience, "en" },
        { null, "id", "en", true, "en-US,en;q=0.9", PageKind.Audience, "id" },
        { null, "en", "id", false, null, PageKind.Moderator, "en" },
        { null, "en", "id", false, null, PageKind.Report, "en" },
        { null, "en", NoEvent, false, "id", PageKind.Start, "en" },
        { null, "en", NoEvent, false, "id", PageKind.Admin, "en" },
        { null, " EN ", "id", false, null, PageKind.Audience, "en" },
        { null, "xx", "id", true, "en", PageKind.Audience, "en" },
        { null, "xx", "en", false, "id", PageKind.Audience, "en" },
        // The projector speaks the event's language: no cookie, and no browser even when the event follows browsers.
        { null, "en", "id", false, "en", PageKind.Projector, "id" },
        { null, "en", "id", true, "en", PageKind.Projector, "id" },
        { null, "id", "en", false, "id", PageKind.Projector, "en" },
        { null, "en", NoEvent, false, "id-ID", PageKind.Projector, "id" },
        { null, null, NoEvent, false, "en", PageKind.Projector, "en" },
        // An event that follows the browser: the best of id and en, else the event's default.
        { null, null, "id", true, "en-US,en;q=0.9", PageKind.Audience, "en" },
        { null, null, "en", true, "id-ID,id;q=0.9,en;q=0.8", PageKind.Audience, "id" },
        { null, null, "en", true, "in-ID", PageKind.Audience, "id" },
        { null, null, "en", true, "fr-FR, de;q=0.8", PageKind.Audience, "en" },
        { null, null, "id", true, "fr-FR, de;q=0.8", PageKind.Audience, "id" },
        { null, null, "en", true, null, PageKind.Audience, "en" },
        { null, null, "en", true, "", PageKind.Audience, "en" },
        { null, null, "id", true, "en", PageKind.Moderator, "en" },
        { null, null, "id", true, "en", PageKind.Report, "en" },
        // An event that does not: its default language, whatever the phone is set to.
        { null, null, "id", false, "en-US,en;q=0.9", PageKind.Audience, "id" },
        { null, null, "id", false, "en", PageKind.Moderator, "id" },
        { null, null, "en", false, "id", PageKind.Audience, "en" },
        { null, null, "en", false, null, PageKind.Report, "en" },
        // No event (the start page, the organizer's page): the browser, else Indonesian.
        { null, null, NoEvent, false, "en-US", PageKind.Start, "en" },
        { null, null, NoEvent, false, "id", PageKind.Admin, "id" },
        { null, null, NoEvent, false, null, PageKind.Start, "id" },
        { null, null, NoEvent, false, "fr", PageKind.Admin, "id" },
        // A stored default the interface does not have counts as Indonesian.
        { null, null, "fr", false, "en", PageKind.Audience, "id" },
        { null, null, "fr", true, "de", PageKind.Audience, "id" },
        { null, null, "fr", false, "en", PageKind.Projector, "id" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public void APageSpeaksTheLanguageTheRuleChooses(string? query, string? cookie, string eventDefault, bool followBrowser,
        string? acceptLanguage, PageKind page, string expected)
    {
        var settings = eventDefault == NoEvent ? null : new EventLanguageSettings(eventDefault, followBrowser);

        Assert.Equal(expected, InterfaceLanguage.Resolve(query, cookie, settings, acceptLanguage, page));
    }

    [Theory]
    [InlineData("en;q=0.5, id;q=0.8", "en", "id")]
    [InlineData("id;q=0.5, en;q=0.8", "id", "en")]
    [InlineData("en, id", "id", "en")]
    [InlineData("id, en", "en", "id")]
    [InlineData("en-US,en;q=0.9,id;q=0.8", "id", "en")]
    [InlineData("en-GB;q=0.9, in;q=0.95", "en", "id")]
    [InlineData("ms-MY, id-Latn-ID;q=0.7, en;q=0.6", "en", "id")]
    [InlineData("EN-us", "id", "en")]
    [InlineData("en_US", "id", "en")]
    [InlineData("id;q=0.2, id-ID;q=0.9, en;q=0.5", "en", "id")]
    [InlineData("*", "en", "en")]
    [InlineData("*", "id", "id")]
    [InlineData("fr, *;q=0.5", "en", "en")]
    [InlineData("en;q=0.5, *;q=0.9", "en", "id")]
    [InlineData("id, *;q=0.9", "en", "id")]
    [InlineData("id;q=0, *", "id", "en")]
    [InlineData("en;q=0", "id", "id")]
    [InlineData("en;q=0", "en", "en")]
    [InlineData("id;q=0, en;q=0", "en", "en")]
    [InlineData("fr-FR, de", "en", "en")]
    [InlineData("not a language;;, id", "en", "id")]
    [InlineData("id;q=2, en;q=0.3", "id", "en")]
    [InlineData("", "en", "en")]
    [InlineData("   ", "id", "id")]
    [InlineData(null, "en", "en")]
    public void TheBrowsersPreferenceIsReadFromAcceptLanguageWithItsQualities(string? header, string fallback, string expected) =>
        Assert.Equal(expected, InterfaceLanguage.FromAcceptLanguage(header, fallback));

    [Fact]
    public void TheDemoEventSpeaksBahasaIndonesiaToPhonesSetToEnglish()
    {
        var demo = DemoLoader.LoadScenario().Event;
        var settings = new EventLanguageSettings(demo.DefaultLanguage, demo.FollowBrowserLanguage);

        Assert.Equal(("id", false), (demo.DefaultLanguage, demo.FollowBrowserLanguage));
        Assert.Equal("id", InterfaceLanguage.Resolve(null, null, settings, "en-US,en;q=0.9", PageKind.Audience));
    }
}
