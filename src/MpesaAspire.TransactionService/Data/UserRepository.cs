using System.Data;
using Dapper;
using MpesaAspire.TransactionService.Diagnostics;
using MpesaAspire.TransactionService.Domain;

namespace MpesaAspire.TransactionService.Data;

/// <summary>The Telegram users of the product document's <c>users</c> table, keyed by chat id.</summary>
public sealed class UserRepository(
    MySqlConnector.MySqlDataSource dataSource,
    TransactionRetry retry,
    TimeProvider timeProvider,
    ILogger<UserRepository> logger)
{
    private const string LockByChatSql = "SELECT id FROM users WHERE telegram_chat_id = @TelegramChatId FOR UPDATE";

    private const string InsertSql = """
        INSERT INTO users (telegram_chat_id, phone_number, telegram_username, first_name, last_name, is_active, created_at)
        VALUES (@TelegramChatId, @PhoneNumber, @TelegramUsername, @FirstName, @LastName, @IsActive, @CreatedAt);
        SELECT LAST_INSERT_ID();
        """;

    // Fields the caller left empty keep what is stored.
    private const string UpdateSql = """
        UPDATE users
        SET phone_number = COALESCE(@PhoneNumber, phone_number),
            telegram_username = COALESCE(@TelegramUsername, telegram_username),
            first_name = COALESCE(@FirstName, first_name),
            last_name = COALESCE(@LastName, last_name),
            is_active = @IsActive
        WHERE id = @Id
        """;

    /// <summary>Creates the user, or updates the one with the same chat id. Two racing creations: the loser retries as an update.</summary>
    public Task<UserRegistrationResult> RegisterAsync(UserRegistration user, CancellationToken cancellationToken) =>
        retry.ExecuteAsync("RegisterUser", async token =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
            var existing = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                LockByChatSql, new { user.TelegramChatId }, transaction, cancellationToken: token));
            UserRegistrationResult result;
            if (existing is { } id)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    UpdateSql,
                    new { Id = id, user.PhoneNumber, user.TelegramUsername, user.FirstName, user.LastName, user.IsActive },
                    transaction,
                    cancellationToken: token));
                result = new UserRegistrationResult(id, Created: false);
            }
            else
            {
                var newId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    InsertSql,
                    new
                    {
                        user.TelegramChatId,
                        user.PhoneNumber,
                        user.TelegramUsername,
                        user.FirstName,
                        user.LastName,
                        user.IsActive,
                        CreatedAt = DbTime.UtcSeconds(timeProvider.GetUtcNow()),
                    },
                    transaction,
                    cancellationToken: token));
                result = new UserRegistrationResult(newId, Created: true);
            }

            await transaction.CommitAsync(token);
            TransactionServiceLog.UserRegistered(
                logger, result.UserId, result.Created ? "registered" : "updated", PhoneNumbers.Mask(user.PhoneNumber), user.IsActive);
            return result;
        }, cancellationToken);
}
