namespace MpesaAspire.IntegrationTests;

/// <summary>Every integration test shares one running system; each uses its own CheckoutRequestIDs.</summary>
[CollectionDefinition(Name)]
public sealed class MpesaSystemCollection : ICollectionFixture<MpesaSystemFixture>
{
    public const string Name = "MpesaSystem";
}
