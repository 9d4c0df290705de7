using Gateway.Errors;
using Gateway.Auth;
using Gateway.Catalog;
using Gateway.Pipeline;
using Gateway.Requests;

namespace Gateway.OpenApi;

/// <summary>
/// Serves the OpenAPI 3 description of the exposed schema at <c>/openapi.json</c> and at <c>/</c> (which the API
/// pipeline hands over after content negotiation), for the caller's role, and Swagger UI at <c>/docs</c>. The
/// document is built from the catalog snapshot with Microsoft.OpenApi's object model; Swashbuckle serves the UI.
/// </summary>
internal static class OpenApiEndpoint
{
    public const string DocumentPath = "/openapi.json";
    public const string UiPrefix = "docs";
    private const string UiPath = "/" + UiPrefix;

    // Swagger UI fetches the document before anyone authorizes; with a token kept from an earlier visit
    // (persistAuthorization) it asks for that role's document instead of anon's.
    private const string SendKeptToken = $$"""
        (request) => {
          if (request.loadSpec && !request.headers.Authorization) {
            try {
              const token = JSON.parse(localStorage.getItem('authorized') || '{}')['{{DocumentBuilder.BearerScheme}}']?.value;
              if (token) request.headers.Authorization = 'Bearer ' + token;
            } catch (e) { }
          }
          return request;
        }
        """;

    public static WebApplicationBuilder AddGatewayOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OpenApiDocuments>();
        return builder;
    }

    public static WebApplication MapGatewayOpenApi(this WebApplication app)
    {
        app.MapMethods(DocumentPath, [HttpMethods.Get, HttpMethods.Head], ServeAsync);
        if (app.Services.GetRequiredService<OpenApiDocuments>().Mode != OpenApiMode.Disabled)
        {
            // Only on its own paths: Swagger UI's middleware matches every request's path with a regular expression.
            app.UseWhen(
                context => context.Request.Path.StartsWithSegments(UiPath, StringComparison.OrdinalIgnoreCase),
                docs => docs.UseSwaggerUI(ui =>
                {
                    ui.RoutePrefix = UiPrefix;
                    ui.DocumentTitle = "Gateway API";
                    // Relative, so the UI still finds the document when the gateway is mounted under a path prefix.
                    ui.SwaggerEndpoint(".." + DocumentPath, app.Services.GetRequiredService<CatalogSettings>().Schema);
                    ui.EnablePersistAuthorization();
                    ui.UseRequestInterceptor(SendKeptToken);
                }));
        }

        return app;
    }

    /// <summary>Answers <c>GET /</c> once the pipeline has authenticated the caller and negotiated <c>application/openapi+json</c>.</summary>
    public static Task WriteRootAsync(HttpContext context, CatalogSnapshot catalog, AuthContext auth) =>
        WriteAsync(context, context.RequestServices.GetRequiredService<OpenApiDocuments>(), catalog, auth);

    private static async Task ServeAsync(HttpContext context, ApiPipeline pipeline, OpenApiDocuments documents)
    {
        var admitted = await pipeline.AdmitAsync(context);
        if (!admitted.IsOk)
        {
            await ErrorResponses.WriteAsync(context, admitted.Error);
            return;
        }

        await WriteAsync(context, documents, admitted.Value.Catalog, admitted.Value.Caller);
    }

    private static async Task WriteAsync(HttpContext context, OpenApiDocuments documents, CatalogSnapshot catalog, AuthContext auth)
    {
        if (documents.Mode == OpenApiMode.Disabled)
        {
            await ErrorResponses.WriteAsync(context, RequestErrors.InvalidPath());
            return;
        }

        var body = documents.Get(catalog, auth.Role);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = OpenApiDocuments.ContentType;
        response.ContentLength = body.Length;
        // The document differs by role, and the role comes from the token.
        response.Headers.Vary = "Authorization";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }
}
