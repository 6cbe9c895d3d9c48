using MpesaAspire.TransactionService.Domain;

namespace MpesaAspire.TransactionService.Tests.Domain;

public sealed class KenyanTimeTests
{
    [Fact]
    public void MpesaTransactionDatesAreReadAsKenyanWallClockTime()
    {
        Assert.True(KenyanTime.TryParseMpesaTimestamp("20191219102115", out var date));
        Assert.Equal("2019-12-19 10:21:15", KenyanTime.Format(date));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2019-12-19")]
    [InlineData("20191319102115")]
    [InlineData("not a date")]
    public void UnreadableTransactionDatesAreNotGuessed(string text) => Assert.False(KenyanTime.TryParseMpesaTimestamp(text, out _));

    [Fact]
    public void AReceivedTimeInUtcIsShownThreeHoursLaterAllYearRound()
    {
        Assert.Equal("2024-01-15 10:30:15", KenyanTime.NotificationDate(null, new DateTime(2024, 1, 15, 7, 30, 15, DateTimeKind.Utc)));
        Assert.Equal("2024-07-15 10:30:15", KenyanTime.NotificationDate(null, new DateTime(2024, 7, 15, 7, 30, 15, DateTimeKind.Utc)));
        Assert.Equal("2025-01-01 02:00:00", KenyanTime.NotificationDate(null, new DateTime(2024, 12, 31, 23, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void TheMpesaDateWinsOverTheReceivedTime() =>
        Assert.Equal(
            "2019-12-19 10:21:15",
            KenyanTime.NotificationDate(new DateTime(2019, 12, 19, 10, 21, 15), new DateTime(2024, 1, 15, 7, 30, 15, DateTimeKind.Utc)));

    [Fact]
    public void WithNeitherDateTheNotificationShowsNone() => Assert.Equal("", KenyanTime.NotificationDate(null, null));
}
