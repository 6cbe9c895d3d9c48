using System.Globalization;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using MpesaAspire.Transactions.V1;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.AppHost;

/// <summary>
/// The operator's dashboard commands on notification-service for notifications that left the queue
/// without a known delivery: list or resend the uncertain receipts, list or re-arm the dead letters.
/// They act through transaction-service's contract, the owner of the outbox.
/// </summary>
internal static class OutboxCommands
{
    private const int PageSize = 200;

    public static IResourceBuilder<ProjectResource> WithOutboxCommands(
        this IResourceBuilder<ProjectResource> notificationService,
        IResourceBuilder<ProjectResource> transactionService,
        IResourceBuilder<ParameterResource> internalApiToken)
    {
        var outbox = new TransactionServiceContract(transactionService.GetEndpoint("grpc"), internalApiToken.Resource);
        return notificationService
            .WithCommand(
                "list-uncertain-receipts",
                "List uncertain receipts",
                context => ListAsync(outbox, "Uncertain receipts", [NotificationStatus.Uncertain], context.CancellationToken),
                new CommandOptions
                {
                    Description = "Receipts whose send outcome is unknown: they are not resent automatically.",
                    IconName = "QuestionCircle",
                })
            .WithCommand(
                "resend-uncertain-receipts",
                "Resend uncertain receipts",
                context => RequeueAsync(outbox, [NotificationStatus.Uncertain], ResendAsync, context.CancellationToken),
                new CommandOptions
                {
                    Description = "Queues every uncertain receipt again.",
                    ConfirmationMessage = "An uncertain receipt may already have reached its payer: resending it can give them a second one. "
                        + "Resend every uncertain receipt now?",
                    IconName = "SendClock",
                })
            .WithCommand(
                "list-dead-letters",
                "List dead letters",
                context => ListAsync(outbox, "Dead letters and failed notifications", [NotificationStatus.DeadLetter, NotificationStatus.Failed], context.CancellationToken),
                new CommandOptions
                {
                    Description = "Notifications that kept failing past the retry age, or that Telegram refused for good.",
                    IconName = "MailError",
                })
            .WithCommand(
                "rearm-dead-letters",
                "Re-arm dead letters",
                context => RequeueAsync(outbox, [NotificationStatus.DeadLetter, NotificationStatus.Failed], RearmAsync, context.CancellationToken),
                new CommandOptions
                {
                    Description = "Puts every dead-lettered or failed notification back in the queue with a fresh retry budget.",
                    ConfirmationMessage = "Put every dead-lettered and failed notification back in the queue now?",
                    IconName = "ArrowRepeatAll",
                });
    }

    private static async Task<ExecuteCommandResult> ListAsync(
        TransactionServiceContract outbox, string title, NotificationStatus[] statuses, CancellationToken cancellationToken)
    {
        try
        {
            using var channel = GrpcChannel.ForAddress(outbox.Endpoint.Url);
            var client = await outbox.ClientAsync(channel, cancellationToken);
            var text = new StringBuilder();
            long total = 0;
            foreach (var status in statuses)
            {
                var listed = await client.ListNotificationsAsync(
                    new ListNotificationsRequest { Status = status, Limit = PageSize }, cancellationToken: cancellationToken);
                total += listed.Total;
                foreach (var n in listed.Notifications)
                {
                    text.AppendLine(CultureInfo.InvariantCulture,
                        $"{n.NotificationId}\t{n.Status}\t{n.Kind}\t{n.CheckoutRequestId}\tattempts {n.Attempts}\t{n.LastError}");
                }
            }

            return CommandResults.Success($"{title}: {total}", text.Length == 0 ? "none" : text.ToString(), CommandResultFormat.Text, displayImmediately: true);
        }
        catch (RpcException exception)
        {
            return CommandResults.Failure($"transaction-service did not answer ({exception.StatusCode}): {exception.Status.Detail}");
        }
    }

    private static async Task<ExecuteCommandResult> RequeueAsync(
        TransactionServiceContract outbox,
        NotificationStatus[] statuses,
        Func<TransactionsClient, long, CancellationToken, Task> requeue,
        CancellationToken cancellationToken)
    {
        try
        {
            using var channel = GrpcChannel.ForAddress(outbox.Endpoint.Url);
            var client = await outbox.ClientAsync(channel, cancellationToken);
            var done = 0;
            foreach (var status in statuses)
            {
                var listed = await client.ListNotificationsAsync(
                    new ListNotificationsRequest { Status = status, Limit = PageSize }, cancellationToken: cancellationToken);
                foreach (var n in listed.Notifications)
                {
                    try
                    {
                        await requeue(client, n.NotificationId, cancellationToken);
                        done++;
                    }
                    catch (RpcException exception) when (exception.StatusCode is StatusCode.FailedPrecondition or StatusCode.NotFound)
                    {
                        // Settled meanwhile (a late report arrived): nothing to do.
                    }
                }
            }

            return CommandResults.Success($"{done} notification(s) queued again.");
        }
        catch (RpcException exception)
        {
            return CommandResults.Failure($"transaction-service did not answer ({exception.StatusCode}): {exception.Status.Detail}");
        }
    }

    private static Task ResendAsync(TransactionsClient client, long id, CancellationToken cancellationToken) =>
        client.ResendUncertainNotificationAsync(new ResendUncertainNotificationRequest { NotificationId = id }, cancellationToken: cancellationToken).ResponseAsync;

    private static Task RearmAsync(TransactionsClient client, long id, CancellationToken cancellationToken) =>
        client.RearmNotificationAsync(new RearmNotificationRequest { NotificationId = id }, cancellationToken: cancellationToken).ResponseAsync;
}
