namespace MpesaAspire.Payments.Tests;

public sealed class BackoffTests
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(4, 40)]
    [InlineData(5, 60)]
    [InlineData(1000, 60)]
    public void TheWaitDoublesWithEachTryUpToTheCap(int tries, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Backoff.Exponential(tries, First, Max));

    [Fact]
    public void AHugeTryCountDoesNotOverflow() =>
        Assert.Equal(TimeSpan.FromDays(1), Backoff.Exponential(int.MaxValue, TimeSpan.FromHours(1), TimeSpan.FromDays(1)));
}
