using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using MpesaAspire.TransactionService.Daraja;
using MpesaAspire.TransactionService.Data;
using MpesaAspire.TransactionService.Domain;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.TransactionService.Grpc;

/// <summary>
/// The <c>Transactions</c> gRPC service: maps each request to a domain call and the result back.
/// Validation lives in <see cref="GrpcRequests"/>; database failures become statuses in
/// <see cref="TransactionStoreInterceptor"/>.
/// </summary>
public sealed class TransactionsGrpcService(
    StkCallbackRecorder recorder,
    TransactionRepository transactions,
    UserRepository users,
    NotificationOutbox outbox,
    SenderLeases senderLeases,
    DatabaseProbe probe,
    RejectedCallbackInbox rejectedCallbacks,
    StkPushService pushes,
    IOptions<DarajaOptions> daraja,
    IOptions<PaymentsOptions> payments) : Transactions.V1.Transactions.TransactionsBase
{
    public override async Task<RecordStkCallbackResponse> RecordStkCallback(RecordStkCallbackRequest request, ServerCallContext context)
    {
        var recording = await recorder.RecordAsync(GrpcRequests.ToCallback(request), context.CancellationToken);
        return GrpcResponses.ToResponse(recording);
    }

    public override async Task<RegisterPendingTransactionResponse> RegisterPendingTransaction(
        RegisterPendingTransactionRequest request, ServerCallContext context)
    {
        var registration = GrpcRequests.ToRegistration(request);
        var result = await transactions.RegisterPendingAsync(registration, context.CancellationToken);

        // Registered mode: a success that came first was unverified for want of this registration.
        if (result.Transaction.Status == PaymentStatus.Unverified
            && await recorder.RecheckAfterRegistrationAsync(registration, context.CancellationToken) is { } promoted)
        {
            result = result with { Transaction = promoted.Transaction };
        }

        return new RegisterPendingTransactionResponse { Transaction = GrpcResponses.ToMessage(result.Transaction), Created = result.Created };
    }

    public override async Task<GetTransactionResponse> GetTransaction(GetTransactionRequest request, ServerCallContext context)
    {
        var checkoutRequestId = GrpcRequests.ToCheckoutRequestId(request);
        var transaction = await transactions.GetAsync(checkoutRequestId, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Transaction '{checkoutRequestId}' was not found."));
        return new GetTransactionResponse { Transaction = GrpcResponses.ToMessage(transaction) };
    }

    public override async Task<ListTransactionsResponse> ListTransactions(ListTransactionsRequest request, ServerCallContext context)
    {
        var page = await transactions.ListAsync(GrpcRequests.ToQuery(request), context.CancellationToken);
        return new ListTransactionsResponse
        {
            Transactions = { page.Transactions.Select(GrpcResponses.ToMessage) },
            NextPageToken = page.Next?.Encode() ?? "",
        };
    }

    public override async Task<RegisterUserResponse> RegisterUser(RegisterUserRequest request, ServerCallContext context)
    {
        var result = await users.RegisterAsync(GrpcRequests.ToUser(request), context.CancellationToken);
        return new RegisterUserResponse { UserId = result.UserId, Created = result.Created };
    }

    public override async Task<LeasePendingNotificationsResponse> LeasePendingNotifications(
        LeasePendingNotificationsRequest request, ServerCallContext context)
    {
        var (limit, lease) = GrpcRequests.ToLease(request);
        var poll = QuietPolls.Begin();
        OutboxLease leased;
        try
        {
            leased = await outbox.LeaseAsync(limit, lease, context.CancellationToken);
        }
        catch
        {
            poll?.FoundWork();
            throw;
        }

        if (leased.Notifications.Count > 0 || leased.BecameUncertain.Count > 0)
        {
            poll?.FoundWork();
        }

        return new LeasePendingNotificationsResponse
        {
            Notifications = { leased.Notifications.Select(n => GrpcResponses.ToLeasedMessage(n, leased.Token)) },
            LeaseToken = leased.Token,
            BecameUncertain = { leased.BecameUncertain.Select(GrpcResponses.ToMessage) },
        };
    }

    public override async Task<MarkNotificationSendingResponse> MarkNotificationSending(MarkNotificationSendingRequest request, ServerCallContext context)
    {
        var (id, leaseToken, lease) = GrpcRequests.ToSending(request);
        var result = await outbox.MarkSendingAsync(id, leaseToken, lease, context.CancellationToken);
        return result == CompletionResult.NotFound
            ? throw NotificationNotFound(id)
            : new MarkNotificationSendingResponse { Applied = result == CompletionResult.Applied };
    }

    public override async Task<CompleteNotificationResponse> CompleteNotification(CompleteNotificationRequest request, ServerCallContext context)
    {
        var result = await outbox.CompleteAsync(GrpcRequests.ToReport(request), context.CancellationToken);
        return result == CompletionResult.NotFound
            ? throw NotificationNotFound(request.NotificationId)
            : new CompleteNotificationResponse { Applied = result == CompletionResult.Applied };
    }

    public override async Task<AcquireSenderLeaseResponse> AcquireSenderLease(AcquireSenderLeaseRequest request, ServerCallContext context)
    {
        var (name, holder, lease) = GrpcRequests.ToSenderLease(request);
        QuietPolls.Begin();
        var current = await senderLeases.AcquireAsync(name, holder, lease, context.CancellationToken);
        return new AcquireSenderLeaseResponse
        {
            Held = current.Holder == holder,
            Holder = current.Holder,
            LeaseUntil = Timestamp.FromDateTime(current.LeaseUntil),
        };
    }

    public override async Task<ReleaseSenderLeaseResponse> ReleaseSenderLease(ReleaseSenderLeaseRequest request, ServerCallContext context)
    {
        var (name, holder) = GrpcRequests.ToSenderRelease(request);
        return new ReleaseSenderLeaseResponse { Released = await senderLeases.ReleaseAsync(name, holder, context.CancellationToken) };
    }

    public override async Task<ResendUncertainNotificationResponse> ResendUncertainNotification(
        ResendUncertainNotificationRequest request, ServerCallContext context)
    {
        var id = GrpcRequests.ToNotificationId(request.NotificationId);
        var (result, notification) = await outbox.ResendUncertainAsync(id, context.CancellationToken);
        return result switch
        {
            OperatorChangeResult.Applied => new ResendUncertainNotificationResponse { Notification = GrpcResponses.ToMessage(notification!) },
            OperatorChangeResult.NotFound => throw NotificationNotFound(id),
            _ => throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Notification {id} is not an uncertain receipt.")),
        };
    }

    public override async Task<RearmNotificationResponse> RearmNotification(RearmNotificationRequest request, ServerCallContext context)
    {
        var id = GrpcRequests.ToNotificationId(request.NotificationId);
        var (result, notification) = await outbox.RearmAsync(id, context.CancellationToken);
        return result switch
        {
            OperatorChangeResult.Applied => new RearmNotificationResponse { Notification = GrpcResponses.ToMessage(notification!) },
            OperatorChangeResult.NotFound => throw NotificationNotFound(id),
            _ => throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Notification {id} is neither a dead letter nor failed.")),
        };
    }

    public override async Task<ListNotificationsResponse> ListNotifications(ListNotificationsRequest request, ServerCallContext context)
    {
        var (status, limit) = GrpcRequests.ToListing(request);
        var (notifications, total) = await outbox.ListAsync(status, limit, context.CancellationToken);
        return new ListNotificationsResponse { Notifications = { notifications.Select(GrpcResponses.ToMessage) }, Total = total };
    }

    public override async Task<CheckDatabaseResponse> CheckDatabase(CheckDatabaseRequest request, ServerCallContext context)
    {
        var status = await probe.CheckAsync(context.CancellationToken);
        return new CheckDatabaseResponse
        {
            Connected = status.Connected,
            Detail = status.Detail,
            Daraja = daraja.Value.Describe(),
            Verification = payments.Value.Mode.ToString().ToLowerInvariant(),
        };
    }

    public override async Task<InitiateStkPushResponse> InitiateStkPush(InitiateStkPushRequest request, ServerCallContext context)
    {
        var order = StkPushRequests.ToOrder(request);
        if (!daraja.Value.IsConfigured)
        {
            throw new RpcException(new Status(
                StatusCode.FailedPrecondition,
                "Daraja is not configured: set the AppHost parameters daraja-consumer-key, daraja-consumer-secret and daraja-passkey."));
        }

        try
        {
            var started = await pushes.StartAsync(order, context.CancellationToken);
            return new InitiateStkPushResponse
            {
                CheckoutRequestId = started.CheckoutRequestId,
                MerchantRequestId = started.MerchantRequestId,
                CustomerMessage = started.CustomerMessage,
                Created = started.Created,
            };
        }
        catch (DarajaException exception)
        {
            throw DarajaStatus.ToRpcException(exception);
        }
        catch (StkPushException exception)
        {
            var code = exception.Refusal == StkPushRefusal.KeyUsedForAnotherPayment ? StatusCode.InvalidArgument : StatusCode.FailedPrecondition;
            throw new RpcException(new Status(code, exception.Message));
        }
    }

    public override async Task<KeepRejectedCallbackResponse> KeepRejectedCallback(KeepRejectedCallbackRequest request, ServerCallContext context)
    {
        var id = await rejectedCallbacks.KeepAsync(GrpcRequests.ToRejectedCallback(request), context.CancellationToken);
        return new KeepRejectedCallbackResponse { InboxId = id };
    }

    public override async Task<ConfirmPaymentResponse> ConfirmPayment(ConfirmPaymentRequest request, ServerCallContext context)
    {
        var checkoutRequestId = GrpcRequests.ToCheckoutRequestId(request);
        var (result, recording) = await recorder.ConfirmAsync(checkoutRequestId, context.CancellationToken);
        return result switch
        {
            OperatorChangeResult.Applied => new ConfirmPaymentResponse
            {
                Transaction = GrpcResponses.ToMessage(recording!.Transaction),
                QueuedNotifications = { recording.QueuedNotifications.Select(GrpcResponses.ToMessage) },
            },
            OperatorChangeResult.NotFound => throw new RpcException(new Status(StatusCode.NotFound, $"Transaction '{checkoutRequestId}' was not found.")),
            _ => throw new RpcException(new Status(
                StatusCode.FailedPrecondition,
                $"Transaction '{checkoutRequestId}' is {recording!.Transaction.Status}: only an Unverified success (or one held for STK Push Query) can be confirmed.")),
        };
    }

    private static RpcException NotificationNotFound(long id) => new(new Status(StatusCode.NotFound, $"Notification {id} was not found."));
}
