namespace MpesaAspire.TransactionService.Daraja;

/// <summary>Daraja accepted a push: the customer's phone is being prompted.</summary>
public sealed record StkPushAccepted(string MerchantRequestId, string CheckoutRequestId, string CustomerMessage);
