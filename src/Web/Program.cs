using LiveHub;
using LiveHub.Web;

var builder = WebApplication.CreateBuilder(args);
// Run from a build (not a publish), wwwroot's compressed copies live beside the build output: find them in any environment.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddLiveHubCore(builder.Configuration);
builder.Services.AddLiveHubWeb(builder.Configuration);

var app = builder.Build();
await app.PrepareLiveHubAsync();
app.MapLiveHub();
app.Run();

public partial class Program;
