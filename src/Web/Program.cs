using LiveHub;
using LiveHub.Web;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddLiveHubCore(builder.Configuration);
builder.Services.AddLiveHubWeb(builder.Configuration);

var app = builder.Build();
await app.PrepareLiveHubAsync();
app.MapLiveHub();
app.Run();

public partial class Program;
