using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.AppHost;

/// <summary>
/// transaction-service's gRPC endpoint and the internal credential every call carries: what the
/// dashboard commands use to act through its contract.
/// </summary>
internal sealed record TransactionServiceContract(EndpointReference Endpoint, ParameterResource InternalApiToken)
{
    public async Task<TransactionsClient> ClientAsync(GrpcChannel channel, CancellationToken cancellationToken)
    {
        var authorization = $"Bearer {await InternalApiToken.GetValueAsync(cancellationToken)}";
        return new TransactionsClient(channel.Intercept(metadata =>
        {
            metadata.Add("authorization", authorization);
            return metadata;
        }));
    }
}
