using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace MpesaAspire.ServiceDefaults.InternalApi;

/// <summary>
/// Refuses every gRPC call that does not carry the internal credential with UNAUTHENTICATED, before
/// any service code runs. The standard gRPC health service stays open so orchestrators can probe it.
/// </summary>
public sealed partial class InternalApiServerInterceptor(InternalApiCredential credential, ILogger<InternalApiServerInterceptor> logger)
    : Interceptor
{
    private const string HealthServicePrefix = "/grpc.health.v1.Health/";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        if (context.Method.StartsWith(HealthServicePrefix, StringComparison.Ordinal))
        {
            return;
        }

        var presented = context.RequestHeaders.GetValue(InternalApiCredential.HeaderName);
        if (credential.Matches(presented))
        {
            return;
        }

        LogRefused(logger, context.Method, presented is null ? "no credential" : "a wrong credential", context.Peer);
        throw new RpcException(new Status(
            StatusCode.Unauthenticated,
            "This service only answers MpesaAspire services: send the internal API token as 'authorization: Bearer <token>'."));
    }

    [LoggerMessage(EventId = 9200, Level = LogLevel.Warning, Message = "Refused gRPC call {Method} with {Credential} from {Peer}")]
    private static partial void LogRefused(ILogger logger, string method, string credential, string peer);
}
