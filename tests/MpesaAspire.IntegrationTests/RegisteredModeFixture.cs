namespace MpesaAspire.IntegrationTests;

/// <summary>
/// A second, small run of the whole system with <c>Payments:Verification</c> = registered: a success
/// counts only when it matches the payment registered for it. Only the registered-mode tests use it.
/// </summary>
public sealed class RegisteredModeFixture : MpesaSystemFixture
{
    protected override IEnumerable<string> ExtraSettings => ["--Payments:Verification=registered"];
}

/// <summary>The tests that need the system in registered mode.</summary>
[CollectionDefinition(Name)]
public sealed class RegisteredModeCollection : ICollectionFixture<RegisteredModeFixture>
{
    public const string Name = "RegisteredMode";
}
