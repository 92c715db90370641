using LiveHub.Data.Polls;
using LiveHub.Data.Questions;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Browser;

/// <summary>
/// The journeys of someone who uses only a keyboard: Tab, Shift+Tab, Enter, Space and arrows, no pointer and no filled-in
/// fields. Every stop of the focus must show where it is.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class KeyboardJourneyTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    private string BaseUrl => Server.BaseUri.GetLeftPart(UriPartial.Authority);

    [SkippableFact]
    public async Task OnAPhoneAPersonAsksAQuestionAndUpvotesAnotherWithTheKeyboardAlone()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var ani = await TestClient.ConnectAsync(Server);
        var other = await ani.AskAsync(e.Keynote, "Apakah data lalu lintas akan dibuka untuk umum?", "Ani");
        await moderator.ModerateAsync(e.Keynote, other.Id, ModerationActions.Approve);
        const string text = "Bagaimana kota kecil bisa memulai smart city?";

        var phone = await session.OpenAsync("phone", 360, 740);
        await phone.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}");
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(phone.GetByTestId("question-list")).ToContainTextAsync(other.Text);
        await session.StepAsync("page open");

        // The first Tab offers the skip link; it leads straight to the question box.
        await phone.Keyboard.PressAsync("Tab");
        await AssertFocusVisibleAsync(phone);
        await Expect(phone.Locator(".skip-link")).ToBeFocusedAsync();
        await phone.Keyboard.PressAsync("Enter");
        await Expect(phone.GetByTestId("ask-text")).ToBeFocusedAsync();
        await AssertFocusVisibleAsync(phone);
        await phone.Keyboard.TypeAsync(text);
        await TabToAsync(phone, phone.GetByTestId("ask-send"));
        await phone.Keyboard.PressAsync("Enter");
        await Expect(phone.GetByTestId("my-questions")).ToContainTextAsync(text);
        await Expect(phone.GetByTestId("my-questions")).ToContainTextAsync("Menunggu persetujuan moderator");
        await AssertFocusVisibleAsync(phone);
        var questions = Server.Services.GetRequiredService<QuestionStore>();
        var mine = await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        Assert.Contains(mine.Questions, q => q.Text == text && q.Status == QuestionStatus.Pending);
        await session.StepAsync("asked");

        var upvote = phone.GetByTestId("question").Filter(new() { HasText = other.Text }).GetByTestId("upvote");
        await TabToAsync(phone, upvote);
        await phone.Keyboard.PressAsync("Space");
        await Expect(upvote).ToHaveAttributeAsync("aria-pressed", "true");
        await AssertFocusVisibleAsync(phone);
        await TestClient.EventuallyAsync(() => questions.FindAsync(other.Id, CancellationToken.None).GetAwaiter().GetResult()!.Upvotes == 1,
            "the upvote is stored");
        await Infrastructure.Browser.ScreenshotAsync(phone, "keyboard-audience");
        await session.StepAsync("upvoted");
    }

    [SkippableFact]
    public async Task APersonVotesInASingleChoicePollAndSubmitsAMultipleChoicePollWithTheKeyboardAlone()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        string[] cities = ["Kupang", "Ende", "Maumere", "Labuan Bajo"];
        var single = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Single, "Dari kota mana Anda datang?", cities, null, null, null, null, null));
        var multiple = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Multiple, "Layanan digital mana yang sudah ada?", cities, 2, null, null, null, null));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(single.Id));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(multiple.Id));

        var phone = await session.OpenAsync("phone", 360, 740);
        await phone.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}");
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        var singleCard = phone.Locator($"[data-testid='poll'][data-poll-id='{single.Id}']");
        var multipleCard = phone.Locator($"[data-testid='poll'][data-poll-id='{multiple.Id}']");
        await Expect(multipleCard).ToBeVisibleAsync();
        await session.StepAsync("page open");

        // One choice: Space on the option is the vote.
        var ende = singleCard.Locator("[data-testid='poll-option'][data-index='1']");
        await TabToAsync(phone, ende);
        await phone.Keyboard.PressAsync("Space");
        await Expect(ende).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(singleCard.GetByTestId("poll-vote-state")).ToHaveAttributeAsync("data-state", "delivered");
        await AssertFocusVisibleAsync(phone);
        await session.StepAsync("voted");

        // Several choices: pick two with Space and Enter, then send them.
        var kupang = multipleCard.Locator("[data-testid='poll-option'][data-index='0']");
        var maumere = multipleCard.Locator("[data-testid='poll-option'][data-index='2']");
        await TabToAsync(phone, kupang);
        await phone.Keyboard.PressAsync("Space");
        await Expect(kupang).ToHaveAttributeAsync("aria-pressed", "true");
        await TabToAsync(phone, maumere);
        await phone.Keyboard.PressAsync("Enter");
        await Expect(maumere).ToHaveAttributeAsync("aria-pressed", "true");
        await TabToAsync(phone, multipleCard.GetByTestId("poll-submit"));
        await phone.Keyboard.PressAsync("Enter");
        await Expect(multipleCard.GetByTestId("poll-vote-state")).ToHaveAttributeAsync("data-state", "delivered");
        await AssertFocusVisibleAsync(phone);

        var polls = Server.Services.GetRequiredService<PollStore>();
        var singleTally = (await polls.TallyAsync(single.Id, false, CancellationToken.None))!;
        var multipleTally = (await polls.TallyAsync(multiple.Id, false, CancellationToken.None))!;
        Assert.Equal(1, singleTally.Voters);
        Assert.Equal([1L], singleTally.Options.Where(o => o.Votes > 0).Select(o => o.OptionIndex));
        Assert.Equal(1, multipleTally.Voters);
        Assert.Equal([0L, 2L], multipleTally.Options.Where(o => o.Votes > 0).Select(o => o.OptionIndex).Order());
        await Infrastructure.Browser.ScreenshotAsync(phone, "keyboard-polls");
        await session.StepAsync("sent two picks");
    }

    [SkippableFact]
    public async Task TheModeratorSignsInApprovesAndPutsAQuestionOnScreenWithTheKeyboardAlone()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        await using var ani = await TestClient.ConnectAsync(Server);
        var first = await ani.AskAsync(e.Keynote, "Bagaimana kota kecil dengan anggaran terbatas bisa memulai smart city?", "Ani");
        var second = await ani.AskAsync(e.Keynote, "Apakah data lalu lintas akan dibuka untuk umum?");

        var projector = await session.OpenAsync("projector", 1280, 720);
        await projector.GotoAsync($"{BaseUrl}/e/{e.Code}/projector?session={e.Keynote}");
        await Expect(projector.GetByTestId("join-code")).ToContainTextAsync(e.Code);
        await session.StepAsync("projector open");

        var page = await session.OpenAsync("moderator", 1280, 800);
        await page.GotoAsync($"{BaseUrl}/e/{e.Code}/moderator?session={e.Keynote}");
        await Expect(page.GetByTestId("passcode")).ToBeVisibleAsync();
        await TabToAsync(page, page.GetByTestId("passcode"));
        await page.Keyboard.TypeAsync(LiveHubServer.Passcode);
        await page.Keyboard.PressAsync("Enter");
        var pending = page.GetByTestId("mod-question");
        await Expect(pending).ToHaveCountAsync(2);
        await AssertFocusVisibleAsync(page);
        await session.StepAsync("signed in");

        // Approve the oldest: the card leaves the queue, and the focus stays in the queue for the next one.
        var firstCard = pending.Filter(new() { HasText = first.Text });
        await TabToAsync(page, firstCard.GetByTestId("action-approve"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(firstCard).ToHaveCountAsync(0);
        var questions = Server.Services.GetRequiredService<QuestionStore>();
        Assert.Equal(QuestionStatus.Approved, (await questions.FindAsync(first.Id, CancellationToken.None))!.Status);
        await Expect(pending.Filter(new() { HasText = second.Text }).GetByTestId("action-approve")).ToBeFocusedAsync();
        await AssertFocusVisibleAsync(page);
        await session.StepAsync("approved");

        // To the approved queue by its tab and the arrow key, then on screen.
        await TabToAsync(page, page.GetByTestId("queue-pending"));
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(page.GetByTestId("queue-approved")).ToBeFocusedAsync();
        await Expect(page.GetByTestId("queue-approved")).ToHaveAttributeAsync("aria-selected", "true");
        await AssertFocusVisibleAsync(page);
        var approved = page.GetByTestId("mod-question").Filter(new() { HasText = first.Text });
        await TabToAsync(page, approved.GetByTestId("action-show"));
        await page.Keyboard.PressAsync("Enter");

        await Expect(projector.GetByTestId("on-screen-question")).ToContainTextAsync(first.Text);
        await Expect(page.GetByTestId("on-screen")).ToContainTextAsync(first.Text);
        await AssertFocusVisibleAsync(page);
        await Infrastructure.Browser.ScreenshotAsync(page, "keyboard-moderator");
        await Infrastructure.Browser.ScreenshotAsync(projector, "keyboard-projector");
        await session.StepAsync("on screen");
    }

    /// <summary>
    /// Presses Tab, or Shift+Tab when the target comes earlier in the page, until the target has the focus; at most
    /// <paramref name="max"/> presses, each stop checked for a visible focus.
    /// </summary>
    private static async Task TabToAsync(IPage page, ILocator target, int max = 80)
    {
        var backwards = await target.EvaluateAsync<bool>("""
            el => {
              const now = document.activeElement;
              return !!now && now !== document.body && !!(el.compareDocumentPosition(now) & Node.DOCUMENT_POSITION_FOLLOWING);
            }
            """);
        var stops = new List<string>();
        for (var i = 0; i < max; i++)
        {
            if (await target.EvaluateAsync<bool>("el => el === document.activeElement"))
            {
                return;
            }
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            stops.Add(await AssertFocusVisibleAsync(page));
        }
        Assert.Fail($"{max} presses of {(backwards ? "Shift+Tab" : "Tab")} never reached {target}; the focus went:\n  {string.Join("\n  ", stops)}");
    }

    /// <summary>The focused element is shown, with a focus ring (an outline or a box shadow), and not wholly covered; returns what it is.</summary>
    private static async Task<string> AssertFocusVisibleAsync(IPage page)
    {
        var focus = await page.EvaluateAsync<FocusState>("""
            () => {
              const el = document.activeElement;
              if (!el || el === document.body || el === document.documentElement) return { where: 'body', problem: 'nothing has the focus' };
              const name = `${el.tagName.toLowerCase()}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : el.id ? '#' + el.id : ''} "${(el.textContent || el.value || '').trim().slice(0, 40)}"`;
              const style = getComputedStyle(el);
              const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
              const shadow = style.boxShadow !== 'none';
              const box = el.getBoundingClientRect();
              if (!outline && !shadow) return { where: name, problem: `${name} shows no focus ring` };
              if (box.width < 2 || box.height < 2) return { where: name, problem: `${name} has the focus but is not shown` };
              // Hidden means wholly covered (WCAG 2.4.11): its middle and each corner under something else, a toast say.
              const points = [[0.5, 0.5], [0, 0], [1, 0], [0, 1], [1, 1]].map(([fx, fy]) => [
                Math.min(Math.max(box.left + 3 + fx * (box.width - 6), 0), innerWidth - 1),
                Math.min(Math.max(box.top + 3 + fy * (box.height - 6), 0), innerHeight - 1)]);
              const tops = points.map(([x, y]) => document.elementFromPoint(x, y));
              if (tops.every(top => top && top !== el && !el.contains(top))) {
                return { where: name, problem: `${name} is covered by ${tops[0].tagName.toLowerCase()}.${tops[0].className}` };
              }
              return { where: name, problem: '' };
            }
            """);
        if (focus.Problem.Length > 0)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Repo.Artifacts, "keyboard-focus-problem.png") });
        }
        Assert.True(focus.Problem.Length == 0, $"{focus.Problem} ({page.Url})");
        return focus.Where;
    }

    private sealed class FocusState
    {
        public string Where { get; set; } = "";
        public string Problem { get; set; } = "";
    }
}
