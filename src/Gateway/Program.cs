using Gateway.Configuration;
using Gateway.Execution;
using Gateway.Health;

var builder = WebApplication.CreateBuilder(args);

builder.AddGatewayOptions();
builder.AddGatewayDatabase();
builder.AddGatewayHealth();

var app = builder.Build();

app.MapGatewayHealth();

app.Run();

/// <summary>The entry point, public so integration tests can host it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
