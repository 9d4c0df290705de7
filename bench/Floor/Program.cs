// The bench's floor endpoint (bench/README.md): the gateway's bench requests answered by hand, so bench/run.sh can
// show the gateway as a ratio of what the same stack costs without it.
//   ConnectionStrings__Floor  authenticator's connection string (run.sh adds Max Auto Prepare)
//   Floor__JwtSecret          the gateway's HS256 secret
//   Floor__Shapes             the request shapes bench/capture.py wrote from the gateway's statements
using Floor;
using Npgsql;

var builder = WebApplication.CreateBuilder(args);

var connectionString = builder.Configuration.GetConnectionString("Floor");
var secret = builder.Configuration["Floor:JwtSecret"];
var shapesPath = builder.Configuration["Floor:Shapes"];
if (string.IsNullOrEmpty(connectionString) || string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(shapesPath))
{
    await Console.Error.WriteLineAsync("floor: ConnectionStrings__Floor, Floor__JwtSecret and Floor__Shapes must all be set (bench/run.sh sets them).");
    return 2;
}

var shapes = Shape.Load(shapesPath);
builder.AddFloorAuth(secret);
builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));

var app = builder.Build();
app.UseAuthentication();
app.MapGet("/health/ready", async (NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
{
    await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
    return Results.Text("ready");
});
FloorEndpoint.Map(app, shapes);

await app.RunAsync();
return 0;
