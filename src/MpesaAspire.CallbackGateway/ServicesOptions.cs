namespace MpesaAspire.CallbackGateway;

/// <summary>Where the gateway finds the services it calls over gRPC (section <c>Services</c>).</summary>
public sealed class ServicesOptions
{
    public const string SectionName = "Services";

    /// <summary>
    /// The transaction service's gRPC address. The default is resolved by service discovery to its
    /// named <c>grpc</c> endpoint (HTTP/2 cleartext).
    /// </summary>
    public Uri TransactionService { get; set; } = new("http://_grpc.transaction-service");

    /// <summary>The notification service's gRPC address, resolved like <see cref="TransactionService"/>.</summary>
    public Uri NotificationService { get; set; } = new("http://_grpc.notification-service");

    internal static bool IsGrpcAddress(Uri? address) =>
        address is { IsAbsoluteUri: true } && (address.Scheme == Uri.UriSchemeHttp || address.Scheme == Uri.UriSchemeHttps);
}
