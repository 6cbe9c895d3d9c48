using MpesaAspire.TransactionService.Domain;

namespace MpesaAspire.TransactionService.Tests.Domain;

public sealed class TransactionCursorTests
{
    [Fact]
    public void APageTokenLeadsBackToWhereThePageStopped()
    {
        var cursor = new TransactionCursor(new DateTime(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc), 42);

        Assert.True(TransactionCursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData("garbage!")]
    [InlineData("dDE6MTo")]
    [InlineData("eDE6MToy")]
    public void TokensThisServiceDidNotIssueAreRefused(string token) => Assert.False(TransactionCursor.TryDecode(token, out _));
}
