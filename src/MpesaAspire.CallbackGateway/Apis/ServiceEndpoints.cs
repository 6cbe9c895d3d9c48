namespace MpesaAspire.CallbackGateway.Apis;

/// <summary>Where the callback server's endpoints are.</summary>
/// <param name="Callback">The M-Pesa STK Push callback URL path.</param>
/// <param name="Health">The health check.</param>
/// <param name="Docs">The interactive API documentation.</param>
public sealed record ServiceEndpoints(string Callback, string Health, string Docs);
