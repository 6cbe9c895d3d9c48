using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Data;
using MpesaAspire.TransactionService.Diagnostics;
using MpesaAspire.TransactionService.Domain;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Daraja;

/// <summary>
/// Starts STK Pushes exactly once per idempotency key. The key is claimed with a unique index before
/// Daraja is called, so of two concurrent calls with one key only one pushes; the other waits for its
/// answer. The pending payment is committed before the caller hears of the push, so the callback (which
/// does not carry the account reference) always finds amount, phone, reference and chat.
/// </summary>
public sealed class StkPushService(
    MySqlDataSource dataSource,
    DarajaClient daraja,
    TransactionRepository transactions,
    IOptions<DarajaOptions> options,
    TimeProvider timeProvider,
    ILogger<StkPushService> logger)
{
    private const string ClaimSql = """
        INSERT INTO stk_push_requests (idempotency_key, request_sha256, state, created_at, updated_at)
        VALUES (@Key, @Sha, 'Pushing', @Now, @Now);
        SELECT LAST_INSERT_ID();
        """;

    private const string ReadSql = """
        SELECT id AS Id, request_sha256 AS RequestSha256, state AS State, checkout_request_id AS CheckoutRequestId,
               merchant_request_id AS MerchantRequestId, customer_message AS CustomerMessage, updated_at AS UpdatedAt
        FROM stk_push_requests WHERE idempotency_key = @Key
        """;

    private const string AcceptedSql = """
        UPDATE stk_push_requests
        SET state = 'Accepted', checkout_request_id = @CheckoutRequestId, merchant_request_id = @MerchantRequestId,
            customer_message = @CustomerMessage, updated_at = @Now
        WHERE id = @Id
        """;

    private const string UnknownSql = "UPDATE stk_push_requests SET state = 'Unknown', updated_at = @Now WHERE id = @Id";

    // Daraja refused: nothing reached the phone, so the key is free to try again.
    private const string ReleaseSql = "DELETE FROM stk_push_requests WHERE id = @Id AND state = 'Pushing'";

    private static readonly TimeSpan PollDelay = TimeSpan.FromMilliseconds(200);

    public async Task<StkPushStarted> StartAsync(StkPushOrder order, CancellationToken cancellationToken)
    {
        var sha = RequestSha256(order);
        // A concurrent caller with the same key waits at most as long as the first caller's push can take.
        var waitUntil = timeProvider.GetUtcNow() + options.Value.RequestTimeout + TimeSpan.FromSeconds(5);
        while (true)
        {
            var claimed = await TryClaimAsync(order.IdempotencyKey, sha, cancellationToken);
            if (claimed is { } id)
            {
                return await PushAsync(id, order, cancellationToken);
            }

            var existing = await ReadAsync(order.IdempotencyKey, cancellationToken);
            if (existing is null)
            {
                continue; // the earlier attempt was refused and released the key meanwhile
            }

            if (existing.RequestSha256 != sha)
            {
                throw new StkPushException(
                    StkPushRefusal.KeyUsedForAnotherPayment,
                    $"idempotency_key '{order.IdempotencyKey}' was already used for a different payment: use a new key for a new payment.");
            }

            switch (existing.State)
            {
                case "Accepted":
                    TransactionServiceLog.PushRepeated(logger, existing.CheckoutRequestId!);
                    await RegisterAsync(order, existing.CheckoutRequestId!, existing.MerchantRequestId ?? "", cancellationToken);
                    return new StkPushStarted(existing.CheckoutRequestId!, existing.MerchantRequestId ?? "", existing.CustomerMessage ?? "", Created: false);
                case "Pushing" when timeProvider.GetUtcNow() < waitUntil:
                    await Task.Delay(PollDelay, cancellationToken);
                    continue;
                default:
                    throw new StkPushException(
                        StkPushRefusal.OutcomeUnknown,
                        $"The push under idempotency_key '{order.IdempotencyKey}' got no answer from Daraja, so it may have reached the phone; "
                        + "it is not sent again. Check the payment later (reconciliation queries it) or start a new one with a new key.");
            }
        }
    }

    private async Task<StkPushStarted> PushAsync(long id, StkPushOrder order, CancellationToken cancellationToken)
    {
        StkPushAccepted accepted;
        try
        {
            accepted = await daraja.PushAsync(order, cancellationToken);
        }
        catch (DarajaException exception) when (exception.Answered)
        {
            TransactionServiceLog.PushRefused(logger, PhoneNumbers.Mask(order.PhoneNumber), exception.Message);
            await ExecuteAsync(ReleaseSql, new { Id = id }, CancellationToken.None);
            throw;
        }
        catch (Exception exception) when (exception is DarajaException or OperationCanceledException)
        {
            TransactionServiceLog.PushOutcomeUnknown(logger, PhoneNumbers.Mask(order.PhoneNumber));
            await ExecuteAsync(UnknownSql, new { Id = id, Now = DbTime.Utc(timeProvider.GetUtcNow()) }, CancellationToken.None);
            throw;
        }

        // From here on the push is out: nothing below may lose the checkout id, so the key is marked first.
        await ExecuteAsync(AcceptedSql, new
        {
            Id = id,
            accepted.CheckoutRequestId,
            accepted.MerchantRequestId,
            CustomerMessage = accepted.CustomerMessage.Length > 255 ? accepted.CustomerMessage[..255] : accepted.CustomerMessage,
            Now = DbTime.Utc(timeProvider.GetUtcNow()),
        }, CancellationToken.None);
        await RegisterAsync(order, accepted.CheckoutRequestId, accepted.MerchantRequestId, CancellationToken.None);
        TransactionServiceLog.PushStarted(logger, accepted.CheckoutRequestId, PhoneNumbers.Mask(order.PhoneNumber), order.Amount);
        return new StkPushStarted(accepted.CheckoutRequestId, accepted.MerchantRequestId, accepted.CustomerMessage, Created: true);
    }

    /// <summary>The pending row, through the one registration path (a callback that came first keeps what it wrote).</summary>
    private Task<PendingRegistrationResult> RegisterAsync(StkPushOrder order, string checkoutRequestId, string merchantRequestId, CancellationToken cancellationToken) =>
        transactions.RegisterPendingAsync(new PendingRegistration
        {
            CheckoutRequestId = checkoutRequestId,
            MerchantRequestId = merchantRequestId,
            PhoneNumber = order.PhoneNumber,
            Amount = order.Amount,
            AccountReference = order.AccountReference,
            TelegramChatId = order.TelegramChatId,
        }, cancellationToken);

    private async Task<long?> TryClaimAsync(string key, string sha, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                ClaimSql, new { Key = key, Sha = sha, Now = DbTime.Utc(timeProvider.GetUtcNow()) }, cancellationToken: cancellationToken));
        }
        catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return null;
        }
    }

    private async Task<PushKeyRow?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PushKeyRow>(new CommandDefinition(
            ReadSql, new { Key = key }, cancellationToken: cancellationToken));
    }

    private async Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    private static string RequestSha256(StkPushOrder order) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(
            '\n',
            order.PhoneNumber,
            order.Amount.ToString(CultureInfo.InvariantCulture),
            order.AccountReference,
            order.Description,
            order.TelegramChatId?.ToString(CultureInfo.InvariantCulture) ?? ""))));

    private sealed class PushKeyRow
    {
        public long Id { get; set; }

        public string RequestSha256 { get; set; } = "";

        public string State { get; set; } = "";

        public string? CheckoutRequestId { get; set; }

        public string? MerchantRequestId { get; set; }

        public string? CustomerMessage { get; set; }

        public DateTime UpdatedAt { get; set; }
    }
}
