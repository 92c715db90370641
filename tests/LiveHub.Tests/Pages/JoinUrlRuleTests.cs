using System.Net;
using System.Net.Sockets;
using LiveHub.Events;
using LiveHub.Web.Pages;
using Microsoft.AspNetCore.Http;

namespace LiveHub.Tests.Pages;

public sealed class JoinUrlRuleTests
{
    private static readonly IPAddress Lan = IPAddress.Parse("192.168.1.20");

    [Fact]
    public void AConfiguredPublicUrlIsWhereEveryoneJoins()
    {
        var join = PublicUrls.DecideJoinBase("https://live.example.org/", Request("localhost:5000"), ["http://localhost:5000"], () => [Lan]);

        Assert.Equal(new JoinUrl("https://live.example.org", null), join);
    }

    [Theory]
    [InlineData("192.168.1.20:5000", "http://192.168.1.20:5000")]
    [InlineData("livehub.lan:8080", "http://livehub.lan:8080")]
    [InlineData("live.example.org", "http://live.example.org")]
    public void ARequestThatCameByANameOthersCanReachJoinsThere(string host, string expected)
    {
        var join = PublicUrls.DecideJoinBase(null, Request(host), ["http://0.0.0.0:5000"], () => [Lan]);

        Assert.Equal(new JoinUrl(expected, null), join);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5000")]
    [InlineData("http://[::]:5000")]
    [InlineData("http://+:5000")]
    [InlineData("http://192.168.1.20:5000")]
    public void ALocalhostRequestJoinsAtTheLanAddressTheServerListensOn(string listening)
    {
        var join = PublicUrls.DecideJoinBase(null, Request("localhost:5000"), ["http://localhost:5001", listening], () => [IPAddress.Parse("10.0.0.7"), Lan]);

        var expected = listening.Contains("192.168.1.20", StringComparison.Ordinal) ? "http://192.168.1.20:5000" : "http://10.0.0.7:5000";
        Assert.Equal(new JoinUrl(expected, null), join);
    }

    [Fact]
    public void TheLanAddressOnTheRequestsOwnPortIsPreferred()
    {
        var join = PublicUrls.DecideJoinBase(null, Request("127.0.0.1:6000"), ["http://0.0.0.0:5000", "http://0.0.0.0:6000"], () => [Lan]);

        Assert.Equal(new JoinUrl("http://192.168.1.20:6000", null), join);
    }

    [Fact]
    public void AServerThatListensOnTheLoopbackOnlyFlagsItsLocalhostUrl()
    {
        var join = PublicUrls.DecideJoinBase(null, Request("localhost:5000"), ["http://localhost:5000"], () => [Lan]);

        Assert.Equal(new JoinUrl("http://localhost:5000", JoinUrlWarnings.LoopbackOnly), join);
    }

    [Fact]
    public void AServerWithoutANetworkAddressFlagsItsLocalhostUrl()
    {
        var join = PublicUrls.DecideJoinBase(null, Request("localhost:5000"), ["http://0.0.0.0:5000"], () => []);

        Assert.Equal(new JoinUrl("http://localhost:5000", JoinUrlWarnings.LoopbackOnly), join);
    }

    [Theory]
    [InlineData("localhost:5000")]
    [InlineData("LOCALHOST:5000")]
    [InlineData("livehub.localhost:5000")]
    [InlineData("127.0.0.1:5000")]
    [InlineData("127.0.1.1:5000")]
    [InlineData("[::1]:5000")]
    [InlineData("0.0.0.0:5000")]
    [InlineData("[::]:5000")]
    public void EveryNameOfThisMachineAloneCountsAsLocal(string host)
    {
        var join = PublicUrls.DecideJoinBase(null, Request(host), ["http://0.0.0.0:5000"], () => [Lan]);

        Assert.Equal(new JoinUrl("http://192.168.1.20:5000", null), join);
    }

    [Fact]
    public void WithoutARequestTheLanAddressTheServerListensOnIsChosen()
    {
        Assert.Equal(new JoinUrl("http://192.168.1.20:5000", null),
            PublicUrls.DecideJoinBase(null, null, ["http://[::]:5000"], () => [Lan]));
        Assert.Equal(new JoinUrl("http://127.0.0.1:5000", JoinUrlWarnings.LoopbackOnly),
            PublicUrls.DecideJoinBase(null, null, ["http://127.0.0.1:5000"], () => [Lan]));
    }

    [Fact]
    public void TheMachinesAddressesAreReadOnlyWhenNeitherConfigurationNorTheRequestDecides()
    {
        IReadOnlyList<IPAddress> Unreadable() => throw new InvalidOperationException("the network interfaces were read");

        Assert.Equal("https://live.example.org", PublicUrls.DecideJoinBase("https://live.example.org", Request("localhost:5000"), ["http://0.0.0.0:5000"], Unreadable).Url);
        Assert.Equal("http://192.168.1.20:5000", PublicUrls.DecideJoinBase(null, Request("192.168.1.20:5000"), ["http://0.0.0.0:5000"], Unreadable).Url);
    }

    [Fact]
    public void ThisMachinesLanAddressesAreIpv4AndNeitherLoopbackNorLinkLocal()
    {
        var addresses = LanAddresses.ThisMachine().List();

        Assert.All(addresses, a =>
        {
            Assert.Equal(AddressFamily.InterNetwork, a.AddressFamily);
            Assert.False(IPAddress.IsLoopback(a));
            Assert.False(a.GetAddressBytes() is [169, 254, ..], $"{a} is link-local");
        });
    }

    private static HttpRequest Request(string host) =>
        new DefaultHttpContext { Request = { Scheme = "http", Host = new HostString(host) } }.Request;
}
