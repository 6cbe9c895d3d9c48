namespace MpesaAspire.TransactionService.Daraja;

/// <summary>A push started (or started before under the same idempotency key, when <paramref name="Created"/> is false).</summary>
public sealed record StkPushStarted(string CheckoutRequestId, string MerchantRequestId, string CustomerMessage, bool Created);
