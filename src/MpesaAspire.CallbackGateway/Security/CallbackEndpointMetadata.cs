namespace MpesaAspire.CallbackGateway.Security;

/// <summary>Marks the endpoints that take callbacks, which the rate and concurrency limits apply to.</summary>
public sealed class CallbackEndpointMetadata
{
    public static CallbackEndpointMetadata Instance { get; } = new();

    private CallbackEndpointMetadata()
    {
    }
}
