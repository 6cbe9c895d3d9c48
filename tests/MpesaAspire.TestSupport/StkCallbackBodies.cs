using System.Text.Json;

namespace MpesaAspire.TestSupport;

/// <summary>STK Push callback bodies as Safaricom posts them, for the benchmarks' and fault suite's load.</summary>
public static class StkCallbackBodies
{
    /// <summary>A successful payment's callback (with the Balance item Daraja sends without a value).</summary>
    public static string Success(string checkoutRequestId, long phone, decimal amount, string receipt) =>
        JsonSerializer.Serialize(new
        {
            Body = new
            {
                stkCallback = new
                {
                    MerchantRequestID = "29115-34620561-1",
                    CheckoutRequestID = checkoutRequestId,
                    ResultCode = 0,
                    ResultDesc = "The service request is processed successfully.",
                    CallbackMetadata = new
                    {
                        Item = new object[]
                        {
                            new { Name = "Amount", Value = amount },
                            new { Name = "MpesaReceiptNumber", Value = receipt },
                            new { Name = "Balance" },
                            new { Name = "TransactionDate", Value = 20240115103015 },
                            new { Name = "PhoneNumber", Value = phone },
                        },
                    },
                },
            },
        });
}
