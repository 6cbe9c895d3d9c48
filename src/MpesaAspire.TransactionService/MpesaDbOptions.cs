namespace MpesaAspire.TransactionService;

/// <summary>
/// The MySQL database this service owns, from <c>ConnectionStrings:mpesadb</c> (the AppHost sets it
/// through its reference to the <c>mpesadb</c> resource).
/// </summary>
public sealed class MpesaDbOptions
{
    public const string SectionName = "ConnectionStrings";
    public const string ConnectionStringKey = SectionName + ":" + ConnectionName;
    public const string ConnectionName = "mpesadb";

    [ConfigurationKeyName(ConnectionName)]
    public string? ConnectionString { get; set; }
}
