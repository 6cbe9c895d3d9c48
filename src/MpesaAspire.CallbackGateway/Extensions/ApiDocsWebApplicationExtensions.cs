namespace MpesaAspire.CallbackGateway.Extensions;

/// <summary>Serves the OpenAPI document and the pages that render it.</summary>
public static class ApiDocsWebApplicationExtensions
{
    public const string OpenApiDocumentPath = "/openapi/v1.json";

    /// <summary>Maps <c>/openapi/v1.json</c>, Swagger UI at <c>/docs</c> and ReDoc at <c>/redoc</c>.</summary>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi();

        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "docs";
            options.DocumentTitle = "M-Pesa Callback Server - Swagger UI";
            options.SwaggerEndpoint(OpenApiDocumentPath, "M-Pesa Callback Server v1");
        });

        app.UseReDoc(options =>
        {
            options.RoutePrefix = "redoc";
            options.DocumentTitle = "M-Pesa Callback Server - ReDoc";
            options.SpecUrl = OpenApiDocumentPath;
        });

        return app;
    }
}
