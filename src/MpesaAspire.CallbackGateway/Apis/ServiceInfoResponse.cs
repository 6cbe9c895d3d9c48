namespace MpesaAspire.CallbackGateway.Apis;

/// <summary>The product's welcome document.</summary>
/// <param name="Service">Always "M-Pesa Callback Server".</param>
/// <param name="Version">The API version, "1.0.0".</param>
/// <param name="Status">Always "running".</param>
/// <param name="Endpoints">Where the endpoints are.</param>
public sealed record ServiceInfoResponse(string Service, string Version, string Status, ServiceEndpoints Endpoints);
