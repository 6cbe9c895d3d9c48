using MpesaAspire.TestSupport;

namespace MpesaAspire.Payments.Tests;

public sealed class PhoneNumbersTests
{
    [Theory]
    [InlineData("254708374149", "254708374149")]
    [InlineData("+254708374149", "254708374149")]
    [InlineData("0708374149", "254708374149")]
    [InlineData("708374149", "254708374149")]
    [InlineData("+254 708 374 149", "254708374149")]
    [InlineData("00254708374149", "254708374149")]
    [InlineData("254110374149", "254110374149")]
    [InlineData("0110374149", "254110374149")]
    public void EveryUsualSpellingOfAKenyanMobileNumberNormalisesToMpesasForm(string phone, string expected) =>
        Assert.Equal(expected, PhoneNumbers.Normalize(phone));

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("25470837414")]
    [InlineData("2547083741490")]
    [InlineData("0208374149")]
    [InlineData("+0708374149")]
    [InlineData("14155550100")]
    public void NumbersThatAreNotKenyanMobilesAreRejected(string phone) => Assert.Null(PhoneNumbers.Normalize(phone));

    [Fact]
    public void SpellingsCoverEveryFormatUsersAreStoredWith() =>
        Assert.Equal(["254708374149", "+254708374149", "0708374149", "708374149"], PhoneNumbers.Spellings("254708374149"));

    [Theory]
    [InlineData("254708374149", "2547****4149")]
    [InlineData("254719748260", "2547****8260")]
    [InlineData("0708374149", "2547****4149")]
    [InlineData("+254708374149", "2547****4149")]
    [InlineData(" 254708374149 ", "2547****4149")]
    [InlineData("ABCDEFGHIJKL", "ABCD****IJKL")]
    [InlineData(null, "(none)")]
    [InlineData("", "(none)")]
    public void LogsShowOnlyTheEndsOfAPhoneNumberInItsCanonicalForm(string? phone, string expected) => Assert.Equal(expected, PhoneNumbers.Mask(phone));

    [Theory]
    [InlineData("12")]
    [InlineData("12345")]
    [InlineData("12345678")]
    [InlineData("987654321")]
    public void AShortValueIsNeverShownInFull(string phone) => Assert.Equal("****", PhoneNumbers.Mask(phone));

    [Theory]
    [InlineData("Phone: 254708374149.", "254708374149", "Phone: 2547****4149.")]
    [InlineData("Phone: 0708374149.", "0708374149", "Phone: 0708****4149.")]
    [InlineData("Phone: 12345678.", "12345678", "Phone: ****.")]
    [InlineData("No phone here.", null, "No phone here.")]
    public void APhoneInsideTextIsMaskedWhereItStands(string text, string? phone, string expected) =>
        Assert.Equal(expected, PhoneNumbers.MaskIn(text, phone));

    [Fact]
    public void TheLoggedCallbackShowsTheMaskedPhoneAndEverythingElseAsSent()
    {
        var masked = PhoneNumbers.MaskJson(DarajaFixtures.ReadStk("seed-doc-success-1000"));

        Assert.DoesNotContain("254708374149", masked, StringComparison.Ordinal);
        Assert.Contains("""{"Name":"PhoneNumber","Value":"2547****4149"}""", masked, StringComparison.Ordinal);
        Assert.Contains("""{"Name":"Amount","Value":1000}""", masked, StringComparison.Ordinal);
        Assert.Contains("""{"Name":"TransactionDate","Value":20191219102115}""", masked, StringComparison.Ordinal);
        Assert.Contains("\"CheckoutRequestID\":\"ws_CO_191220191020363925\"", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void ANumericPhoneNumberIsMaskedLikeItsText() =>
        Assert.Equal("""{"PhoneNumber":"2547****4149"}""", PhoneNumbers.MaskJson("""{"PhoneNumber":254708374149}"""));

    [Fact]
    public void DigitsInsideACheckoutRequestIdAreNotMistakenForAPhone()
    {
        var masked = PhoneNumbers.MaskJson(DarajaFixtures.ReadStk("expired-1019"));

        Assert.Contains("ws_CO_23052022122137653708374149", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void PhonesInOtherPayloadsAreMaskedToo()
    {
        var masked = PhoneNumbers.MaskJson(DarajaFixtures.Read("c2b/confirmation-2020-plain-msisdn.json"));

        Assert.Contains("\"MSISDN\":\"2547****5626\"", masked, StringComparison.Ordinal);
        Assert.Contains("\"BillRefNumber\":\"0712****5626\"", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("555626", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void APhoneSentAsAStringIsMasked()
    {
        var masked = PhoneNumbers.MaskJson("""{"Body":{"stkCallback":{"CallbackMetadata":{"Item":[{"name":"phoneNumber","value":"+254708374149"}]}}}}""");

        Assert.DoesNotContain("708374149", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void ShortValuesInPhoneFieldsAreNeverShownInFull() =>
        Assert.Equal("""{"Phone":"****","MSISDN":""}""", PhoneNumbers.MaskJson("""{"Phone":"12345678","MSISDN":""}"""));

    [Fact]
    public void TextThatIsNotJsonIsNotLoggedAtAll() =>
        Assert.Equal("(not JSON)", PhoneNumbers.MaskJson("phone=254708374149"));
}
