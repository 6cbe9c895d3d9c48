using System.Diagnostics;

namespace MpesaAspire.CallbackGateway.Diagnostics;

/// <summary>The gateway's own spans, under the source every MpesaAspire service shares.</summary>
internal static class GatewayTelemetry
{
    public static ActivitySource ActivitySource { get; } = new(ServiceDefaultsExtensions.MpesaTelemetryName);
}
