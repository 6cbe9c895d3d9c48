using MpesaAspire.CallbackGateway.Callbacks;
using MpesaAspire.TestSupport;

namespace MpesaAspire.CallbackGateway.Tests;

public sealed class RecordRequestTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2024, 1, 15, 7, 30, 15, 123, TimeSpan.Zero);

    [Fact]
    public void ASuccessIsRecordedWithTheRawPayloadAndEveryValueAsSent()
    {
        var payload = DarajaFixtures.ReadStk("success-v3-docs");
        Assert.True(StkCallbackParser.TryParse(payload, out var callback, out _));

        var request = StkCallbackIntake.ToRecordRequest(callback, payload, ReceivedAt);

        Assert.Equal(payload, request.RawPayload);
        Assert.Equal("ws_CO_191220191020363925", request.CheckoutRequestId);
        Assert.Equal("29115-34620561-1", request.MerchantRequestId);
        Assert.Equal("0", request.ResultCode);
        Assert.Equal("The service request is processed successfully.", request.ResultDesc);
        Assert.Equal("1.00", request.Amount);
        Assert.Equal("NLJ7RT61SV", request.MpesaReceiptNumber);
        Assert.Equal("20191219102115", request.TransactionDate);
        Assert.Equal("254708374149", request.PhoneNumber);
        Assert.Equal(ReceivedAt, request.ReceivedAt.ToDateTimeOffset());
    }

    [Fact]
    public void AFailureIsRecordedWithoutPaymentDetails()
    {
        var payload = DarajaFixtures.ReadStk("cancelled-1032-prefixed-desc");
        Assert.True(StkCallbackParser.TryParse(payload, out var callback, out _));

        var request = StkCallbackIntake.ToRecordRequest(callback, payload, ReceivedAt);

        Assert.Equal("1032", request.ResultCode);
        Assert.Equal("[STK_CB - ]Request cancelled by user", request.ResultDesc);
        Assert.False(request.HasAmount);
        Assert.False(request.HasMpesaReceiptNumber);
        Assert.False(request.HasTransactionDate);
        Assert.False(request.HasPhoneNumber);
    }

    [Fact]
    public void AStringResultCodeWithoutDescriptionIsRecordedAsSent()
    {
        const string Payload = """{"Body":{"stkCallback":{"CheckoutRequestID":"ws_CO_sfc","ResultCode":"SFC_IC0003"}}}""";
        Assert.True(StkCallbackParser.TryParse(Payload, out var callback, out _));

        var request = StkCallbackIntake.ToRecordRequest(callback, Payload, ReceivedAt);

        Assert.Equal("SFC_IC0003", request.ResultCode);
        Assert.False(request.HasResultDesc);
        Assert.Equal("", request.MerchantRequestId);
    }
}
