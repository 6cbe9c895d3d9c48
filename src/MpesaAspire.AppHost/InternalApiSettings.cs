namespace MpesaAspire.AppHost;

/// <summary>
/// The secret the services authenticate each other's gRPC calls with: the AppHost parameter
/// <c>internal-api-token</c>, generated for the run when the operator sets none, and handed to every
/// service as <c>InternalApi__Token</c>.
/// </summary>
internal static class InternalApiSettings
{
    public const string TokenParameter = "internal-api-token";

    /// <summary>Adds the parameter: the configured value, else 32 random letters and digits (over 128 bits).</summary>
    public static IResourceBuilder<ParameterResource> AddInternalApiToken(this IDistributedApplicationBuilder builder) =>
        builder.AddParameter(TokenParameter, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

    /// <summary>Gives <paramref name="service"/> the token, which its gRPC server requires and its gRPC clients send.</summary>
    public static IResourceBuilder<ProjectResource> WithInternalApiToken(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource> token) =>
        service.WithEnvironment("InternalApi__Token", token);
}
