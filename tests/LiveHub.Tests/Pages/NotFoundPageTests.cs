using System.Net;
using System.Text.RegularExpressions;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.Pages;

[Collection(ServerCollection.Name)]
public sealed partial class NotFoundPageTests(ServerFixture fixture)
{
    [Theory]
    [InlineData("/tidak-ada")]
    [InlineData("/e/KUPANG/tidak-ada")]
    [InlineData("/r/ZZZZZZ")]
    [InlineData("/acara-lama.html")]
    public async Task ABrowserThatFollowsADeadLinkGetsTheBilingualNotFoundPage(string path)
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseUri };

        using var response = await http.SendAsync(Navigate(path));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Halaman tidak ditemukan", html);
        Assert.Contains("Page not found", html);
        Assert.Contains("<a href=\"/\"", html);
        Assert.Contains("Kembali ke awal", html);
        Assert.Contains("Back to the start", html);
        // The policy forbids inline styles and scripts: the page is styled by its own file, which is served.
        Assert.DoesNotContain("<style", html);
        Assert.DoesNotContain("style=", html);
        Assert.DoesNotContain("<script", html);
        var stylesheet = Stylesheet().Match(html);
        Assert.True(stylesheet.Success, "the page links a stylesheet");
        using var css = await http.GetAsync(stylesheet.Groups[1].Value);
        Assert.Equal((HttpStatusCode.OK, "text/css"), (css.StatusCode, css.Content.Headers.ContentType?.MediaType));
    }

    [Theory]
    [InlineData("/api/unknown")]
    [InlineData("/api/events/NOPE99")]
    [InlineData("/hub/unknown")]
    [InlineData("/health/unknown")]
    [InlineData("/metrics/unknown")]
    public async Task MachinePathsKeepTheirOwnNotFoundEvenWhenHtmlIsAccepted(string path)
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseUri };

        using var response = await http.SendAsync(Navigate(path));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("Page not found", body);
    }

    /// <summary>What a browser sends when a person opens a link.</summary>
    private static HttpRequestMessage Navigate(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return request;
    }

    [GeneratedRegex("""<link rel="stylesheet" href="(/css/[a-z-]+\.css)">""")]
    private static partial Regex Stylesheet();
}
