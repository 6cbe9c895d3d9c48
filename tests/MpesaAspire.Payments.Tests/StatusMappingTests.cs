using System.Text.Json.Nodes;
using MpesaAspire.TestSupport;

namespace MpesaAspire.Payments.Tests;

public sealed class StatusMappingTests
{
    public static TheoryData<string> StkSamples() => [.. DarajaFixtures.StkCallbackNames];

    [Theory]
    [MemberData(nameof(StkSamples))]
    public void EverySampleCallbackMapsToTheStatusItsResultCodeMeans(string sample)
    {
        var resultCode = JsonNode.Parse(DarajaFixtures.ReadStk(sample))!["Body"]!["stkCallback"]!["ResultCode"]!.ToJsonString().Trim('"');
        // The sample names say what Safaricom meant: success-…, cancelled-…, everything else failed.
        var expected = sample.StartsWith("success", StringComparison.Ordinal) || sample.StartsWith("seed-doc-success", StringComparison.Ordinal)
            ? PaymentStatus.Success
            : sample.StartsWith("cancelled", StringComparison.Ordinal) ? PaymentStatus.Cancelled : PaymentStatus.Failed;

        Assert.Equal(expected, StatusMapping.FromResultCode(resultCode));
    }

    [Theory]
    [InlineData("0", PaymentStatus.Success)]
    [InlineData("1032", PaymentStatus.Cancelled)]
    [InlineData("1", PaymentStatus.Failed)]
    [InlineData("17", PaymentStatus.Failed)]
    [InlineData("1019", PaymentStatus.Failed)]
    [InlineData("1037", PaymentStatus.Failed)]
    [InlineData("2001", PaymentStatus.Failed)]
    [InlineData("9999", PaymentStatus.Failed)]
    [InlineData("SFC_IC0003", PaymentStatus.Failed)]
    [InlineData("BW-HTTP-100300", PaymentStatus.Failed)]
    public void ResultCodesMapToTheSeedsStatuses(string resultCode, PaymentStatus expected) =>
        Assert.Equal(expected, StatusMapping.FromResultCode(resultCode));

    [Theory]
    [InlineData("1032", 1032)]
    [InlineData("0", 0)]
    [InlineData("SFC_IC0003", null)]
    public void OnlyNumericCodesFitTheSeedsIntegerColumn(string resultCode, int? expected) =>
        Assert.Equal(expected, StatusMapping.NumericCode(resultCode));

    [Theory]
    [InlineData("0", "0", true)]
    [InlineData("0", "00", true)]
    [InlineData("1032", "1", false)]
    [InlineData("SFC_IC0003", "SFC_IC0003", true)]
    [InlineData("SFC_IC0003", "1", false)]
    public void RepeatedCodesAreRecognisedAsTheSameResult(string left, string right, bool same) =>
        Assert.Equal(same, StatusMapping.SameCode(left, right));
}
