using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using MpesaAspire.TransactionService.Domain;
using MySqlConnector;

namespace MpesaAspire.TransactionService.Data;

/// <summary>Keeps refused callback bodies in the inbox, outcome <c>Rejected</c>, beside the recorded ones.</summary>
public sealed partial class RejectedCallbackInbox(MySqlDataSource dataSource, TimeProvider timeProvider, ILogger<RejectedCallbackInbox> logger)
{
    // One row per distinct body of a checkout id (empty when it had none): a repeat only counts.
    // result_code_raw is NOT NULL from M0003; a refused body has no trustworthy code.
    private const string KeepSql = """
        INSERT INTO stk_callback_inbox
            (checkout_request_id, payload_sha256, raw_payload, result_code_raw, outcome, rejection_reason,
             delivery_count, first_received_at, last_received_at, trace_id)
        VALUES (@CheckoutRequestId, @PayloadSha256, @RawPayload, '', 'Rejected', @Reason, 1, @ReceivedAt, @ReceivedAt, @TraceId)
        ON DUPLICATE KEY UPDATE
            id = LAST_INSERT_ID(id),
            delivery_count = delivery_count + 1,
            first_received_at = LEAST(first_received_at, @ReceivedAt),
            last_received_at = GREATEST(last_received_at, @ReceivedAt)
        """;

    /// <returns>The inbox row's id.</returns>
    public async Task<long> KeepAsync(RejectedCallback callback, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            KeepSql,
            new
            {
                callback.CheckoutRequestId,
                PayloadSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(callback.RawPayload))),
                callback.RawPayload,
                callback.Reason,
                ReceivedAt = DbTime.Utc(callback.ReceivedAt ?? timeProvider.GetUtcNow()),
                TraceId = Activity.Current?.TraceId.ToHexString(),
            },
            cancellationToken: cancellationToken));
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT LAST_INSERT_ID()", cancellationToken: cancellationToken));
        LogKept(logger, id, callback.Reason);
        return id;
    }

    [LoggerMessage(EventId = 5310, Level = LogLevel.Information, Message = "Refused callback kept in the inbox as row {InboxId}: {Reason}")]
    private static partial void LogKept(ILogger logger, long inboxId, string reason);
}
