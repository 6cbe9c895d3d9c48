using MpesaAspire.CallbackGateway.Callbacks;
using MpesaAspire.TestSupport;

namespace MpesaAspire.CallbackGateway.Tests;

public sealed class PhoneNumberMaskerTests
{
    [Theory]
    [InlineData("254708374149", "2547****4149")]
    [InlineData("254719748260", "2547****8260")]
    [InlineData("0708374149", "0708****4149")]
    [InlineData(" 254708374149 ", "2547****4149")]
    [InlineData("12345", "****")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void APhoneNumberKeepsOnlyItsFirstAndLastFourDigits(string? phone, string expected)
    {
        Assert.Equal(expected, PhoneNumberMasker.MaskPhone(phone));
    }

    [Fact]
    public void ANumericPhoneNumberIsMaskedLikeItsText()
    {
        Assert.Equal("2547****4149", PhoneNumberMasker.MaskPhone(254708374149L));
    }

    [Fact]
    public void TheLoggedCallbackShowsTheMaskedPhoneAndEverythingElseAsSent()
    {
        var masked = PhoneNumberMasker.MaskJson(DarajaFixtures.ReadStk("seed-doc-success-1000"));

        Assert.DoesNotContain("254708374149", masked, StringComparison.Ordinal);
        Assert.Contains("""{"Name":"PhoneNumber","Value":"2547****4149"}""", masked, StringComparison.Ordinal);
        Assert.Contains("""{"Name":"Amount","Value":1000}""", masked, StringComparison.Ordinal);
        Assert.Contains("""{"Name":"TransactionDate","Value":20191219102115}""", masked, StringComparison.Ordinal);
        Assert.Contains("\"CheckoutRequestID\":\"ws_CO_191220191020363925\"", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void DigitsInsideACheckoutRequestIdAreNotMistakenForAPhone()
    {
        var masked = PhoneNumberMasker.MaskJson(DarajaFixtures.ReadStk("expired-1019"));

        Assert.Contains("ws_CO_23052022122137653708374149", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void PhonesInOtherPayloadsAreMaskedToo()
    {
        var masked = PhoneNumberMasker.MaskJson(DarajaFixtures.Read("c2b/confirmation-2020-plain-msisdn.json"));

        Assert.Contains("\"MSISDN\":\"2547****5626\"", masked, StringComparison.Ordinal);
        Assert.Contains("\"BillRefNumber\":\"0712****5626\"", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("555626", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void APhoneSentAsAStringIsMasked()
    {
        var masked = PhoneNumberMasker.MaskJson("""{"Body":{"stkCallback":{"CallbackMetadata":{"Item":[{"name":"phoneNumber","value":"+254708374149"}]}}}}""");

        Assert.DoesNotContain("708374149", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void TextThatIsNotJsonIsNotLoggedAtAll()
    {
        Assert.Equal("(not JSON)", PhoneNumberMasker.MaskJson("phone=254708374149"));
    }
}
