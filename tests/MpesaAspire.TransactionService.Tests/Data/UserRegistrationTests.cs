using MpesaAspire.TransactionService.Domain;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Data;

[Collection(MariaDbCollection.Name)]
public sealed class UserRegistrationTests(MariaDbFixture fixture) : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await fixture.StoreForClassAsync(GetType());

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ANewChatIsRegisteredAndTheSameChatLaterUpdatesIt()
    {
        var created = await _store.Users.RegisterAsync(
            new UserRegistration
            {
                TelegramChatId = 5_000_000_001, PhoneNumber = "254708374149", TelegramUsername = "wanjiru", FirstName = "Wanjiru", LastName = "Kamau",
            },
            CancellationToken.None);
        var updated = await _store.Users.RegisterAsync(
            new UserRegistration { TelegramChatId = 5_000_000_001, PhoneNumber = "254711000999", IsActive = false },
            CancellationToken.None);

        Assert.True(created.Created);
        Assert.False(updated.Created);
        Assert.Equal(created.UserId, updated.UserId);
        var rows = await _store.QueryAsync<(string, string, string, string, bool)>(
            "SELECT phone_number, telegram_username, first_name, last_name, is_active FROM users WHERE telegram_chat_id = 5000000001");
        Assert.Equal([("254711000999", "wanjiru", "Wanjiru", "Kamau", false)], rows);
    }

    [Fact]
    public async Task TheSameChatRegisteringManyTimesAtOnceIsOneUser()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => _store.Users.RegisterAsync(
            new UserRegistration { TelegramChatId = 5_000_000_002, FirstName = "Otieno" }, CancellationToken.None))));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.UserId).Distinct());
        Assert.Equal(1, await _store.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE telegram_chat_id = 5000000002"));
    }
}
