namespace MpesaAspire.TransactionService.Daraja;

/// <summary>What STK Push Query said about a payment: a final result, or still pending.</summary>
/// <param name="ResultCode">The result code as a string ("0", "1032"); null while still pending.</param>
/// <param name="ResultDesc">Daraja's description of the result or of why it is still pending.</param>
/// <param name="MerchantRequestId">Empty when the answer carried none.</param>
/// <param name="RawBody">The answer exactly as received, kept in the inbox like a callback.</param>
public sealed record StkQueryAnswer(string? ResultCode, string? ResultDesc, string MerchantRequestId, string RawBody)
{
    /// <summary>
    /// "The transaction is still under processing": some Daraja versions answer it as ResultCode 4999
    /// in a 200 instead of the 500.001.1001 error.
    /// </summary>
    public const string StillUnderProcessingCode = "4999";

    public bool IsFinal => ResultCode is not null && ResultCode != StillUnderProcessingCode;
}
