namespace MpesaAspire.CallbackGateway.Tests;

/// <summary>A gateway whose spool cannot be written: its folder would have to be inside a file.</summary>
public sealed class UnwritableSpoolGatewayFactory : GatewayFactory
{
    public UnwritableSpoolGatewayFactory()
        : base(Path.Combine(Path.GetTempFileName(), "spool.db"))
    {
    }
}
