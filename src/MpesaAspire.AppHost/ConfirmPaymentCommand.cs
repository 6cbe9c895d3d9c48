using System.Globalization;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using MpesaAspire.Transactions.V1;
using TransactionsClient = MpesaAspire.Transactions.V1.Transactions.TransactionsClient;

namespace MpesaAspire.AppHost;

/// <summary>
/// The operator's dashboard commands on transaction-service for successes that failed verification
/// (<c>Payments:Verification</c>): list the Unverified payments, and confirm one once M-Pesa shows the
/// money arrived (it becomes Success; the admin's success message and the payer's receipt go out once).
/// </summary>
internal static class ConfirmPaymentCommand
{
    public const string ListName = "list-unverified-payments";
    public const string ConfirmName = "confirm-payment";
    public const string CheckoutRequestIdArgument = "checkoutRequestId";

    private const int PageSize = 200;

    public static IResourceBuilder<ProjectResource> WithConfirmPaymentCommands(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource> internalApiToken)
    {
        var contract = new TransactionServiceContract(service.GetEndpoint("grpc"), internalApiToken.Resource);
        return service
            .WithCommand(
                ListName,
                "List unverified payments",
                context => CallAsync(contract, ListAsync, context.CancellationToken),
                new CommandOptions
                {
                    Description = "Successes that failed verification: not counted as paid, no receipt sent.",
                    IconName = "ShieldError",
                })
            .WithCommand(
                ConfirmName,
                "Confirm payment",
                context =>
                {
                    var checkoutRequestId = context.Arguments[CheckoutRequestIdArgument].Value?.Trim();
                    return string.IsNullOrEmpty(checkoutRequestId)
                        ? Task.FromResult(CommandResults.Failure("Give the CheckoutRequestID of the payment to confirm."))
                        : CallAsync(contract, (client, ct) => ConfirmAsync(client, checkoutRequestId, ct), context.CancellationToken);
                },
                new CommandOptions
                {
                    Description = "Promotes an Unverified payment to Success: the admin's success message and the payer's receipt are sent.",
                    ConfirmationMessage = "Confirm only once M-Pesa (the till or paybill statement) shows this money arrived. Confirm the payment?",
                    IconName = "ShieldCheckmark",
                    Arguments =
                    [
                        new InteractionInput
                        {
                            Name = CheckoutRequestIdArgument,
                            Label = "CheckoutRequestID",
                            InputType = InputType.Text,
                            Required = true,
                            Placeholder = "ws_CO_…",
                        },
                    ],
                });
    }

    private static async Task<ExecuteCommandResult> ListAsync(TransactionsClient client, CancellationToken cancellationToken)
    {
        var listed = await client.ListTransactionsAsync(
            new ListTransactionsRequest { Status = TransactionStatus.Unverified, PageSize = PageSize }, cancellationToken: cancellationToken);
        var text = new StringBuilder();
        foreach (var t in listed.Transactions)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{t.CheckoutRequestId}\t{t.Amount}\t{t.MpesaReceiptNumber}\t{t.VerificationReason}");
        }

        return CommandResults.Success(
            $"Unverified payments: {listed.Transactions.Count}{(listed.NextPageToken.Length > 0 ? "+" : "")}",
            text.Length == 0 ? "none" : text.ToString(),
            CommandResultFormat.Text,
            displayImmediately: true);
    }

    private static async Task<ExecuteCommandResult> ConfirmAsync(TransactionsClient client, string checkoutRequestId, CancellationToken cancellationToken)
    {
        var confirmed = await client.ConfirmPaymentAsync(
            new ConfirmPaymentRequest { CheckoutRequestId = checkoutRequestId }, cancellationToken: cancellationToken);
        return CommandResults.Success(
            $"{checkoutRequestId} is {confirmed.Transaction.Status}: {confirmed.QueuedNotifications.Count} notification(s) queued.");
    }

    private static async Task<ExecuteCommandResult> CallAsync(
        TransactionServiceContract contract,
        Func<TransactionsClient, CancellationToken, Task<ExecuteCommandResult>> call,
        CancellationToken cancellationToken)
    {
        try
        {
            using var channel = GrpcChannel.ForAddress(contract.Endpoint.Url);
            return await call(await contract.ClientAsync(channel, cancellationToken), cancellationToken);
        }
        catch (RpcException exception)
        {
            return CommandResults.Failure($"transaction-service refused ({exception.StatusCode}): {exception.Status.Detail}");
        }
    }
}
