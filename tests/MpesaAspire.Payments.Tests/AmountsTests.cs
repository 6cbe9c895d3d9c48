namespace MpesaAspire.Payments.Tests;

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

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1.0", "1.0")]
    [InlineData("10500.00", "10500.00")]
    [InlineData(" 2500.50 ", "2500.50")]
    public void AnAmountKeepsTheDecimalsItWasWrittenWith(string text, string expected)
    {
        Assert.True(Amounts.TryParse(text, out var amount, out _));
        Assert.Equal(expected, amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("1", "1.00")]
    [InlineData("1000", "1,000.00")]
    [InlineData("10500.5", "10,500.50")]
    [InlineData("99999999.99", "99,999,999.99")]
    public void PeopleReadAmountsWithThousandsSeparatorsAndTwoDecimals(string text, string shown)
    {
        Assert.True(Amounts.TryParse(text, out var amount, out _));
        Assert.Equal(shown, Amounts.Display(amount));
    }

    [Theory]
    [InlineData("1234567.891", "1,234,567.89")]
    [InlineData("999.995", "1,000.00")]
    public void AnAmountOnlyShownIsReadWhateverItsPrecision(string text, string shown)
    {
        Assert.True(Amounts.TryParse(text, out var amount));
        Assert.Equal(shown, Amounts.Display(amount));
    }

    [Fact]
    public void AMissingAmountIsWrittenAsNothing() => Assert.Equal("", Amounts.Format((decimal?)null));
}
