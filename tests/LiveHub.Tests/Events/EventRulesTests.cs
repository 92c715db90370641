using LiveHub.Data.Events;
using LiveHub.Events;
using LiveHub.Web.Demo;
using Microsoft.Extensions.Time.Testing;

namespace LiveHub.Tests.Events;

public sealed class EventRulesTests
{
    [Fact]
    public void JoinCodesAvoidLookAlikeCharacters()
    {
        var codes = Enumerable.Range(0, 500).Select(_ => JoinCode.New()).ToList();
        Assert.All(codes, c => Assert.Equal(JoinCode.Length, c.Length));
        Assert.DoesNotContain(codes.SelectMany(c => c), ch => "O0I1L".Contains(ch));
        Assert.True(codes.Distinct().Count() > 490);
    }

    [Theory]
    [InlineData("kupang", "KUPANG")]
    [InlineData(" KUP-ANG ", "KUPANG")]
    [InlineData("KUP ANG", "KUPANG")]
    [InlineData("KUPAN0", null)]
    [InlineData("KUPA", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void TypedCodesAreNormalised(string? typed, string? expected) => Assert.Equal(expected, JoinCode.Normalize(typed));

    [Fact]
    public void ScenarioTimesAreInTheEventsTimeZone()
    {
        var scenario = DemoLoader.LoadScenario();
        var keynote = scenario.Sessions.Single(s => s.Key == "keynote");

        var start = scenario.At(keynote.Day, keynote.Start);

        // 09:15 in Kupang (WITA, UTC+8) is 01:15 UTC on 16 October 2019.
        Assert.Equal(new DateTimeOffset(2019, 10, 16, 1, 15, 0, TimeSpan.Zero), start.ToUniversalTime());
        var closing = scenario.Sessions.Single(s => s.Key == "closing");
        Assert.Equal(new DateTimeOffset(2019, 10, 18, 1, 0, 0, TimeSpan.Zero), scenario.At(closing.Day, closing.Start).ToUniversalTime());
    }

    [Fact]
    public void MovingTheScenarioKeepsItsLength()
    {
        var moved = DemoLoader.LoadScenario().StartingOn(new DateOnly(2026, 11, 29));
        Assert.Equal("2026-11-29", moved.Event.StartDate);
        Assert.Equal("2026-12-01", moved.Event.EndDate);
    }

    [Theory]
    [InlineData(-60, null, SessionStatus.Upcoming)]
    [InlineData(10, null, SessionStatus.Live)]
    [InlineData(200, null, SessionStatus.Ended)]
    [InlineData(200, SessionStatus.Live, SessionStatus.Live)]
    [InlineData(10, SessionStatus.Ended, SessionStatus.Ended)]
    public void StatusFollowsTheScheduleUnlessAModeratorOverridesIt(int minutesAfterStart, string? overrideStatus, string expected)
    {
        var start = new DateTimeOffset(2019, 10, 16, 1, 15, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start.AddMinutes(minutesAfterStart));
        var service = new EventService(null!, clock, Microsoft.Extensions.Options.Options.Create(new LiveHub.Questions.QuestionOptions()));
        var session = new SessionRow
        {
            StartsAt = start.ToUnixTimeMilliseconds(),
            EndsAt = start.AddMinutes(75).ToUnixTimeMilliseconds(),
            StatusOverride = overrideStatus,
        };
        Assert.Equal(expected, service.StatusOf(session));
    }
}
