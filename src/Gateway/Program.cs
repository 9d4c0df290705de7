using Gateway;
using Gateway.Auth;
using Gateway.Catalog;
using Gateway.Configuration;
using Gateway.Execution;
using Gateway.Health;

var builder = WebApplication.CreateBuilder(args);

builder.AddGatewayOptions();
builder.AddGatewayDatabase();
builder.AddGatewayAuth();
builder.AddGatewayCatalog();
builder.AddGatewayApi();
builder.AddGatewayHealth();

var app = builder.Build();

app.MapGatewayHealth();
app.MapGatewayApi();

app.Run();

/// <summary>The entry point, public so integration tests can host it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
