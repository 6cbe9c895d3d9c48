namespace MpesaAspire.TransactionService.Tests.Support;

/// <summary>Every test class that needs MySQL joins this collection and so shares one server.</summary>
[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>
{
    public const string Name = "MariaDB";
}
