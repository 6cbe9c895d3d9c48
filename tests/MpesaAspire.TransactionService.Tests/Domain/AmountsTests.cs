using MpesaAspire.TransactionService.Domain;

namespace MpesaAspire.TransactionService.Tests.Domain;

public sealed class AmountsTests
{
    [Theory]
    [InlineData("1", "1.00")]
    [InlineData("1.0", "1.00")]
    [InlineData("1.00", "1.00")]
    [InlineData("10500.00", "10500.00")]
    [InlineData("99999999.99", "99999999.99")]
    [InlineData("1e3", "1000.00")]
    public void DarajaAmountsInEverySpellingAreKeptExactly(string text, string stored)
    {
        Assert.True(Amounts.TryParse(text, out var amount, out _));
        Assert.Equal(stored, Amounts.Format(amount));
    }

    [Theory]
    [InlineData("abc", "is not a decimal number")]
    [InlineData("1,000", "is not a decimal number")]
    [InlineData("100000000", "does not fit DECIMAL(10,2)")]
    [InlineData("1.005", "does not fit DECIMAL(10,2)")]
    [InlineData("-5", "is negative")]
    public void AmountsTheColumnCannotHoldAreRefusedWithTheReason(string text, string reason)
    {
        Assert.False(Amounts.TryParse(text, out _, out var error));
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
    }
}
