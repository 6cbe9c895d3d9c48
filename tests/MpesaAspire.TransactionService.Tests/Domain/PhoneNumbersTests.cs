using MpesaAspire.TransactionService.Domain;

namespace MpesaAspire.TransactionService.Tests.Domain;

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
    [InlineData("0708374149", "2547****4149")]
    [InlineData("+254708374149", "2547****4149")]
    [InlineData("12", "****")]
    [InlineData(null, "(none)")]
    public void LogsShowOnlyTheEndsOfAPhoneNumber(string? phone, string expected) => Assert.Equal(expected, PhoneNumbers.Mask(phone));
}
