using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MpesaAspire.ServiceDefaults.InternalApi;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the internal credential every gRPC server checks and every gRPC client sends.</summary>
public static class InternalApiServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>InternalApi:Token</c> (validated on start, never echoed) and registers the server and
    /// client interceptors. A gRPC server adds <see cref="InternalApiServerInterceptor"/> to its
    /// interceptors; a gRPC client calls <see cref="AddInternalApiCredential"/>.
    /// </summary>
    public static IServiceCollection AddInternalApiAuthentication(this IServiceCollection services)
    {
        services.AddOptions<InternalApiOptions>()
            .BindConfiguration(InternalApiOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Token),
                "InternalApi:Token is required: the AppHost passes its 'internal-api-token' parameter to every service.")
            .Validate(o => string.IsNullOrWhiteSpace(o.Token) || o.Token.Trim().Length >= InternalApiOptions.MinimumTokenLength,
                $"InternalApi:Token must be at least {InternalApiOptions.MinimumTokenLength} characters long.")
            .ValidateOnStart();

        services.AddSingleton(provider => new InternalApiCredential(provider.GetRequiredService<IOptions<InternalApiOptions>>().Value.Token.Trim()));
        services.AddSingleton<InternalApiServerInterceptor>();
        services.AddSingleton<InternalApiClientInterceptor>();
        return services;
    }

    /// <summary>Makes every call of this gRPC client carry the internal credential.</summary>
    public static IHttpClientBuilder AddInternalApiCredential(this IHttpClientBuilder builder) =>
        builder.AddInterceptor<InternalApiClientInterceptor>();
}
