using System.Collections.Concurrent;
using Grpc.Core;
using MpesaAspire.Transactions.V1;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.CallbackGateway.Tests;

/// <summary>
/// The transaction service as the gateway sees it, in memory: it keeps every callback recorded
/// (what would be a row in MySQL) and answers the database check as the test says.
/// </summary>
public sealed class FakeTransactionService : TransactionsClient
{
    private readonly ConcurrentDictionary<string, RecordStkCallbackRequest> _recorded = new();

    /// <summary>The CheckoutRequestIDs recorded so far.</summary>
    public ICollection<string> Recorded => _recorded.Keys;

    /// <summary>What <c>CheckDatabase</c> answers.</summary>
    public CheckDatabaseResponse DatabaseAnswer { get; set; } = new() { Connected = true, Detail = "10.11.6-MariaDB" };

    public override AsyncUnaryCall<RecordStkCallbackResponse> RecordStkCallbackAsync(RecordStkCallbackRequest request, CallOptions options)
    {
        var outcome = _recorded.TryAdd(request.CheckoutRequestId, request) ? RecordOutcome.Applied : RecordOutcome.Duplicate;
        return Answer(new RecordStkCallbackResponse { Outcome = outcome });
    }

    public override AsyncUnaryCall<CheckDatabaseResponse> CheckDatabaseAsync(CheckDatabaseRequest request, CallOptions options) =>
        Answer(DatabaseAnswer);

    public override AsyncUnaryCall<LeasePendingNotificationsResponse> LeasePendingNotificationsAsync(LeasePendingNotificationsRequest request, CallOptions options) =>
        Answer(new LeasePendingNotificationsResponse());

    public override AsyncUnaryCall<CompleteNotificationResponse> CompleteNotificationAsync(CompleteNotificationRequest request, CallOptions options) =>
        Answer(new CompleteNotificationResponse());

    private static AsyncUnaryCall<T> Answer<T>(T response) =>
        new(Task.FromResult(response), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
}
