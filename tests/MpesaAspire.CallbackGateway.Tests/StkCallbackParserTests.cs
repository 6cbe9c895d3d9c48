using System.Globalization;
using MpesaAspire.CallbackGateway.Callbacks;
using MpesaAspire.TestSupport;

namespace MpesaAspire.CallbackGateway.Tests;

public sealed class StkCallbackParserTests
{
    /// <summary>What each Daraja sample under tests/Fixtures/daraja/stk must read as.</summary>
    private static readonly Dictionary<string, Expected> Samples = new()
    {
        ["cancelled-1032-prefixed-desc"] = new(
            "ws_CO_DMZ_401294732_11032019121308821", "19919-3025233-1", "1032", "[STK_CB - ]Request cancelled by user",
            PaymentStatus.Cancelled),
        ["cancelled-1032-v3-docs"] = new(
            "ws_CO_21072024125243250722943992", "f1e2-4b95-a71d-b30d3cdbb7a7942864", "1032", "Request cancelled by user",
            PaymentStatus.Cancelled),
        ["expired-1019"] = new(
            "ws_CO_23052022122137653708374149", "53785-65856915-1", "1019", "Transaction has expired",
            PaymentStatus.Failed),
        ["seed-doc-success-1000"] = new(
            "ws_CO_191220191020363925", "29115-34620561-1", "0", "The service request is processed successfully.",
            PaymentStatus.Success, "1000", "NLJ7RT61SV", 20191219102115, 254708374149),
        ["success-balance-without-value-2019"] = new(
            "ws_CO_DMZ_264695293_11032019122104433", "19918-3028728-2", "0", "The service request is processed successfully.",
            PaymentStatus.Success, "1.00", "NCB9FJNAIT", 20190311122121, 254719748260),
        ["success-integer-amount-2017"] = new(
            "ws_CO_27072017154747416", "19465-780693-1", "0", "The service request is processed successfully.",
            PaymentStatus.Success, "1", "LGR7OWQX0R", 20170727154800, 254721566839),
        ["success-v3-docs"] = new(
            "ws_CO_191220191020363925", "29115-34620561-1", "0", "The service request is processed successfully.",
            PaymentStatus.Success, "1.00", "NLJ7RT61SV", 20191219102115, 254708374149),
        ["timeout-1036-smsc"] = new(
            "ws_CO_DMZ_262987371_09032019203456095", "19924-2088990-1", "1036", "[STK_CB - ]SMSC ACK timeout.",
            PaymentStatus.Failed),
        ["wrong-pin-2001-prefixed-desc"] = new(
            "ws_CO_DMZ_264800546_11032019141837240", "14683-2472331-1", "2001", "[MpesaCB - ]The initiator information is invalid.",
            PaymentStatus.Failed),
    };

    public static TheoryData<string> SampleNames => [.. DarajaFixtures.StkCallbackNames];

    [Fact]
    public void EveryStkSampleHasItsExpectedValuesWrittenDown()
    {
        Assert.Equal(DarajaFixtures.StkCallbackNames.Order(), Samples.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void EveryDarajaSampleIsReadWithItsExactValues(string sample)
    {
        var expected = Samples[sample];

        var callback = Parse(DarajaFixtures.ReadStk(sample));

        Assert.Equal(expected.CheckoutRequestId, callback.CheckoutRequestId);
        Assert.Equal(expected.MerchantRequestId, callback.MerchantRequestId);
        Assert.Equal(expected.ResultCode, callback.ResultCode);
        Assert.Equal(expected.ResultDesc, callback.ResultDesc);
        Assert.Equal(expected.Status, callback.Status);
        Assert.Equal(expected.Amount, callback.Amount?.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(expected.Receipt, callback.MpesaReceiptNumber);
        Assert.Equal(expected.TransactionDate, callback.TransactionDate);
        Assert.Equal(expected.PhoneNumber, callback.PhoneNumber);
        Assert.Empty(callback.Anomalies);
    }

    [Theory]
    [InlineData("expired-1019")]
    [InlineData("cancelled-1032-v3-docs")]
    [InlineData("wrong-pin-2001-prefixed-desc")]
    public void AFailedPaymentCarriesNoPaymentDetails(string sample)
    {
        var callback = Parse(DarajaFixtures.ReadStk(sample));

        Assert.Null(callback.Amount);
        Assert.Null(callback.MpesaReceiptNumber);
        Assert.Null(callback.TransactionDate);
        Assert.Null(callback.PhoneNumber);
    }

    [Fact]
    public void PhoneNumbersAndDatesBeyondThirtyTwoBitsAreReadWhole()
    {
        var callback = Parse(DarajaFixtures.ReadStk("seed-doc-success-1000"));

        Assert.True(callback.PhoneNumber > int.MaxValue);
        Assert.True(callback.TransactionDate > int.MaxValue);
        Assert.Equal(254708374149L, callback.PhoneNumber);
        Assert.Equal(20191219102115L, callback.TransactionDate);
    }

    [Theory]
    [InlineData("\"SFC_IC0003\"", "SFC_IC0003", PaymentStatus.Failed)]
    [InlineData("\"BW-HTTP-100300\"", "BW-HTTP-100300", PaymentStatus.Failed)]
    [InlineData("\"0\"", "0", PaymentStatus.Success)]
    [InlineData("\" 1032 \"", "1032", PaymentStatus.Cancelled)]
    [InlineData("1037", "1037", PaymentStatus.Failed)]
    [InlineData("0", "0", PaymentStatus.Success)]
    public void ResultCodesAreReadAsSentWhetherNumbersOrStrings(string json, string expectedCode, PaymentStatus expectedStatus)
    {
        var callback = Parse("{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":\"ws_CO_1\",\"ResultCode\":" + json + ",\"ResultDesc\":\"x\"}}}");

        Assert.Equal(expectedCode, callback.ResultCode);
        Assert.Equal(expectedStatus, callback.Status);
    }

    [Fact]
    public void ResultDescAndMerchantRequestIdMayBeMissing()
    {
        var callback = Parse("""{"Body":{"stkCallback":{"CheckoutRequestID":"ws_CO_1","ResultCode":"SFC_IC0003"}}}""");

        Assert.Equal("ws_CO_1", callback.CheckoutRequestId);
        Assert.Null(callback.ResultDesc);
        Assert.Null(callback.MerchantRequestId);
    }

    [Theory]
    [InlineData("""{"Name":"Balance"}""")]
    [InlineData("""{"Name":"Balance","Value":"{Amount={BasicAmount=123.45, MinLimit=0.00, MaxLimit=0.00}}"}""")]
    [InlineData("""{"Name":"Balance","Value":null}""")]
    [InlineData("""{"Name":"Balance","Value":{"BasicAmount":123.45}}""")]
    [InlineData("")]
    public void TheBalanceItemIsIgnoredWhateverItHolds(string balanceItem)
    {
        List<string> items = ["""{"Name":"Amount","Value":10500.00}""", """{"Name":"MpesaReceiptNumber","Value":"NLJ7RT61SV"}"""];
        if (balanceItem.Length > 0)
        {
            items.Add(balanceItem);
        }

        items.Add("""{"Name":"TransactionDate","Value":20191219102115}""");
        items.Add("""{"Name":"PhoneNumber","Value":254708374149}""");

        var callback = Parse(Success(string.Join(",", items)));

        Assert.Equal("10500.00", callback.Amount?.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("NLJ7RT61SV", callback.MpesaReceiptNumber);
        Assert.Equal(20191219102115L, callback.TransactionDate);
        Assert.Equal(254708374149L, callback.PhoneNumber);
        Assert.Empty(callback.Anomalies);
    }

    [Fact]
    public void MetadataItemsAreFoundByNameInAnyOrder()
    {
        var callback = Parse(Success("""
            {"Name":"PhoneNumber","Value":254708374149},
            {"Name":"TransactionDate","Value":20191219102115},
            {"Name":"Balance"},
            {"Name":"MpesaReceiptNumber","Value":"NLJ7RT61SV"},
            {"Name":"Amount","Value":1.00}
            """));

        Assert.Equal("1.00", callback.Amount?.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("NLJ7RT61SV", callback.MpesaReceiptNumber);
        Assert.Equal(20191219102115L, callback.TransactionDate);
        Assert.Equal(254708374149L, callback.PhoneNumber);
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1.0", "1.0")]
    [InlineData("1.00", "1.00")]
    [InlineData("10500.00", "10500.00")]
    [InlineData("\"100\"", "100")]
    [InlineData("\" 2500.50 \"", "2500.50")]
    public void AmountsKeepTheirDecimalsWhetherNumbersOrStrings(string json, string expected)
    {
        var callback = Parse(Success($$"""{"Name":"Amount","Value":{{json}}}"""));

        Assert.Equal(expected, callback.Amount?.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("1.005")]
    [InlineData("100000000")]
    [InlineData("\"1,000\"")]
    public void AnAmountTheTransactionServiceCouldNotStoreIsNotedAndIgnored(string json)
    {
        var callback = Parse(Success($$"""{"Name":"Amount","Value":{{json}}},{"Name":"MpesaReceiptNumber","Value":"R1"}"""));

        Assert.Null(callback.Amount);
        Assert.Contains(callback.Anomalies, a => a.Contains("Amount", StringComparison.Ordinal));
        Assert.Equal("R1", callback.MpesaReceiptNumber);
    }

    [Fact]
    public void PhoneNumberAndTransactionDateMayArriveAsStrings()
    {
        var callback = Parse(Success("""
            {"Name":"TransactionDate","Value":"20191219102115"},
            {"Name":"PhoneNumber","Value":"254708374149"},
            {"Name":"MpesaReceiptNumber","Value":"NLJ7RT61SV"}
            """));

        Assert.Equal(20191219102115L, callback.TransactionDate);
        Assert.Equal(254708374149L, callback.PhoneNumber);
    }

    [Fact]
    public void FieldNamesAreMatchedWhateverTheirCase()
    {
        var callback = Parse("""
            {"body":{"STKCALLBACK":{"merchantRequestId":"m-1","checkoutRequestId":"ws_CO_case","resultCode":0,"resultDesc":"ok",
             "callbackMetadata":{"item":[{"name":"amount","value":5},{"NAME":"PHONENUMBER","VALUE":254708374149},
             {"name":"mpesaReceiptNumber","value":"R1"},{"name":"transactiondate","value":20240115103000}]}}}}
            """);

        Assert.Equal("ws_CO_case", callback.CheckoutRequestId);
        Assert.Equal("m-1", callback.MerchantRequestId);
        Assert.Equal("0", callback.ResultCode);
        Assert.Equal("ok", callback.ResultDesc);
        Assert.Equal(5m, callback.Amount);
        Assert.Equal("R1", callback.MpesaReceiptNumber);
        Assert.Equal(20240115103000L, callback.TransactionDate);
        Assert.Equal(254708374149L, callback.PhoneNumber);
    }

    [Fact]
    public void UnknownFieldsAndItemsAreIgnored()
    {
        var callback = Parse("""
            {"Signature":"none","Body":{"Extra":[1,2],"stkCallback":{"CheckoutRequestID":"ws_CO_x","ResultCode":0,
             "NewField":{"a":true},"CallbackMetadata":{"Version":3,"Item":[{"Name":"Amount","Value":1},
             {"Name":"LoyaltyPoints","Value":{"deep":[1]}},"not-an-item",{"Value":9},{"Name":"PhoneNumber","Value":254708374149}]}}}}
            """);

        Assert.Equal("ws_CO_x", callback.CheckoutRequestId);
        Assert.Equal(1m, callback.Amount);
        Assert.Equal(254708374149L, callback.PhoneNumber);
        Assert.Empty(callback.Anomalies);
    }

    [Fact]
    public void AnUnreadableValueIsIgnoredAndNotedWithoutItsContent()
    {
        var callback = Parse(Success("""
            {"Name":"Amount","Value":"one thousand"},
            {"Name":"PhoneNumber","Value":"0708-CALL-ME"}
            """));

        Assert.Null(callback.Amount);
        Assert.Null(callback.PhoneNumber);
        Assert.Equal(2, callback.Anomalies.Count);
        Assert.Contains(callback.Anomalies, a => a.Contains("Amount", StringComparison.Ordinal));
        Assert.DoesNotContain(callback.Anomalies, a => a.Contains("CALL-ME", StringComparison.Ordinal));
    }

    [Fact]
    public void ANullCallbackMetadataOnAFailureIsAccepted()
    {
        var callback = Parse("""{"Body":{"stkCallback":{"CheckoutRequestID":"ws_CO_n","ResultCode":1,"ResultDesc":"Insufficient","CallbackMetadata":null}}}""");

        Assert.Equal("1", callback.ResultCode);
        Assert.Null(callback.Amount);
    }

    [Theory]
    [InlineData("", CallbackRejectionReason.EmptyBody, "The request body is empty")]
    [InlineData("   ", CallbackRejectionReason.EmptyBody, "The request body is empty")]
    [InlineData("{\"Body\":", CallbackRejectionReason.MalformedJson, "The request body is not valid JSON")]
    [InlineData("not json", CallbackRejectionReason.MalformedJson, "The request body is not valid JSON")]
    [InlineData("[1,2]", CallbackRejectionReason.NotAnObject, "The request body must be a JSON object {\"Body\":{\"stkCallback\":{...}}}, not an array.")]
    [InlineData("\"text\"", CallbackRejectionReason.NotAnObject, "The request body must be a JSON object {\"Body\":{\"stkCallback\":{...}}}, not a string.")]
    [InlineData("{}", CallbackRejectionReason.MissingBody, "Body is missing: expected an STK Push callback {\"Body\":{\"stkCallback\":{...}}}.")]
    [InlineData("{\"Body\":null}", CallbackRejectionReason.MissingBody, "Body is missing: expected an STK Push callback {\"Body\":{\"stkCallback\":{...}}}.")]
    [InlineData("{\"Body\":\"x\"}", CallbackRejectionReason.MissingBody, "Body must be a JSON object, not a string.")]
    [InlineData("{\"stkCallback\":{\"CheckoutRequestID\":\"ws_CO_1\",\"ResultCode\":0}}", CallbackRejectionReason.MissingBody,
        "Body is missing: stkCallback must be wrapped in Body, as in {\"Body\":{\"stkCallback\":{...}}}.")]
    [InlineData("{\"Body\":{}}", CallbackRejectionReason.MissingStkCallback, "Body.stkCallback is missing: this is not an STK Push callback.")]
    [InlineData("{\"Body\":{\"stkCallback\":[]}}", CallbackRejectionReason.MissingStkCallback, "Body.stkCallback must be a JSON object, not an array.")]
    [InlineData("{\"Body\":{\"stkCallback\":{\"ResultCode\":0}}}", CallbackRejectionReason.MissingCheckoutRequestId, "Body.stkCallback.CheckoutRequestID is missing.")]
    [InlineData("{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":null,\"ResultCode\":0}}}", CallbackRejectionReason.MissingCheckoutRequestId, "Body.stkCallback.CheckoutRequestID is missing.")]
    [InlineData("{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":\"\",\"ResultCode\":0}}}", CallbackRejectionReason.MissingCheckoutRequestId, "Body.stkCallback.CheckoutRequestID is empty.")]
    [InlineData("{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":\"  \",\"ResultCode\":0}}}", CallbackRejectionReason.MissingCheckoutRequestId, "Body.stkCallback.CheckoutRequestID is empty.")]
    [InlineData("{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":{},\"ResultCode\":0}}}", CallbackRejectionReason.InvalidCheckoutRequestId, "Body.stkCallback.CheckoutRequestID must be a string, not an object.")]
    [InlineData("{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":\"ws_CO_1\"}}}", CallbackRejectionReason.MissingResultCode, "Body.stkCallback.ResultCode is missing.")]
    [InlineData("{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":\"ws_CO_1\",\"ResultCode\":null}}}", CallbackRejectionReason.MissingResultCode, "Body.stkCallback.ResultCode is missing.")]
    [InlineData("{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":\"ws_CO_1\",\"ResultCode\":\"\"}}}", CallbackRejectionReason.MissingResultCode, "Body.stkCallback.ResultCode is empty.")]
    [InlineData("{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":\"ws_CO_1\",\"ResultCode\":true}}}", CallbackRejectionReason.InvalidResultCode, "Body.stkCallback.ResultCode must be a number or a string, not a boolean.")]
    public void ABodyThatIsNotAnStkCallbackIsRefusedWithAMessageNamingTheProblem(string json, CallbackRejectionReason reason, string detail)
    {
        var rejection = Reject(json);

        Assert.Equal(reason, rejection.Reason);
        Assert.StartsWith(detail, rejection.Detail, StringComparison.Ordinal);
        Assert.Equal(400, rejection.StatusCode);
    }

    /// <summary>Every other Daraja sample under tests/Fixtures/daraja, with the refusal it must get.</summary>
    private static readonly Dictionary<string, string> OtherPayloads = new()
    {
        ["c2b/confirmation-2020-plain-msisdn.json"] = "Body is missing: this is a C2B validation or confirmation request, not an STK Push callback.",
        ["c2b/confirmation-v2-masked-msisdn.json"] = "Body is missing: this is a C2B validation or confirmation request, not an STK Push callback.",
        ["c2b/validation-2017-empty-type.json"] = "Body is missing: this is a C2B validation or confirmation request, not an STK Push callback.",
        ["result/account-balance-string-codes.json"] = "Body is missing: this is a B2C, reversal, status or balance result, not an STK Push callback.",
        ["result/b2c-success.json"] = "Body is missing: this is a B2C, reversal, status or balance result, not an STK Push callback.",
        ["result/reversal-failure-string-code.json"] = "Body is missing: this is a B2C, reversal, status or balance result, not an STK Push callback.",
        ["result/stk-query-response-string-codes.json"] = "Body is missing: this is an STK Push query response, not a callback.",
        ["result/stk-query-still-processing-error.json"] = "Body is missing: this is an STK Push query response, not a callback.",
    };

    public static TheoryData<string> OtherPayloadNames => [.. OtherPayloadFiles()];

    [Fact]
    public void EveryOtherDarajaSampleHasItsExpectedRefusalWrittenDown()
    {
        Assert.Equal(OtherPayloadFiles().Order(), OtherPayloads.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(OtherPayloadNames))]
    public void OtherDarajaPayloadsAreRefusedAsNotStkCallbacks(string sample)
    {
        var rejection = Reject(DarajaFixtures.Read(sample));

        Assert.Equal(CallbackRejectionReason.MissingBody, rejection.Reason);
        Assert.Equal(OtherPayloads[sample], rejection.Detail);
        Assert.Equal(400, rejection.StatusCode);
    }

    private static IEnumerable<string> OtherPayloadFiles() =>
        new[] { "c2b", "result" }.SelectMany(folder => Directory
            .GetFiles(Path.Combine(DarajaFixtures.Directory, folder), "*.json")
            .Select(file => folder + "/" + Path.GetFileName(file)));

    private static StkCallback Parse(string json)
    {
        var parsed = StkCallbackParser.TryParse(json, out var callback, out var rejection);
        Assert.True(parsed, rejection?.Detail);
        return callback!;
    }

    private static CallbackRejection Reject(string json)
    {
        var parsed = StkCallbackParser.TryParse(json, out _, out var rejection);
        Assert.False(parsed);
        return rejection!;
    }

    /// <summary>A success callback around the given metadata items.</summary>
    private static string Success(string items) =>
        "{\"Body\":{\"stkCallback\":{\"MerchantRequestID\":\"29115-34620561-1\",\"CheckoutRequestID\":\"ws_CO_191220191020363925\","
        + "\"ResultCode\":0,\"ResultDesc\":\"The service request is processed successfully.\",\"CallbackMetadata\":{\"Item\":["
        + items
        + "]}}}}";

    private sealed record Expected(
        string CheckoutRequestId,
        string MerchantRequestId,
        string ResultCode,
        string ResultDesc,
        PaymentStatus Status,
        string? Amount = null,
        string? Receipt = null,
        long? TransactionDate = null,
        long? PhoneNumber = null);
}
