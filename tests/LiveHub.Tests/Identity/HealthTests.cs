using System.Net;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.Identity;

[Collection(ServerCollection.Name)]
public sealed class HealthTests(ServerFixture fixture)
{
    [Fact]
    public async Task LivenessAndReadinessAnswerHealthy()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseUri };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MetricsAreExposedForPrometheus()
    {
        var e = await fixture.Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(fixture.Server);
        await phone.AskAsync(e.Keynote, "Berapa banyak metrik?");
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseUri };

        var text = "";
        await TestClient.EventuallyAsync(() =>
        {
            text = http.GetStringAsync("/metrics").GetAwaiter().GetResult();
            return text.Contains("livehub_questions", StringComparison.Ordinal);
        }, "the question counter is scraped");
        Assert.Contains("livehub_connections", text);
        Assert.Contains("livehub_db_duration", text);
    }
}
