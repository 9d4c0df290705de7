using Gateway.Auth;
using Gateway.Catalog;
using Gateway.Configuration;
using Gateway.Endpoints;
using Gateway.Execution;
using Gateway.Health;
using Gateway.Hosting;
using Gateway.Observability;
using Gateway.OpenApi;
using Gateway.Protection;
using Gateway.Responses;
using Gateway.TokenRefresh;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddGatewayOptions();
builder.AddGatewayHosting();
builder.AddGatewayObservability();
builder.AddGatewayDatabase();
builder.AddGatewayAuth();
builder.AddGatewayCatalog();
builder.AddGatewayProtection();
builder.AddGatewayTokenRefresh();
builder.AddGatewayApi();
builder.AddGatewayOpenApi();
builder.AddGatewayHealth();

var app = builder.Build();

app.UseGatewayHosting();
app.UseGatewayObservability();
app.UseGatewayErrors();
app.UseGatewayCors();
app.UseGatewayProtection();
app.UseGatewayTokenRefresh();
app.UseGatewayAuthentication();
app.UseGatewayAuthorization();

app.MapGatewayMetrics();
app.MapGatewayHealth();
app.MapGatewayApi();
app.MapGatewayOpenApi();

await app.RunAsync();
return 0;

/// <summary>The entry point, public so integration tests can host it with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
