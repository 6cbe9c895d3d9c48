using System.Globalization;

namespace MpesaAspire.FaultSuite;

/// <summary>What one fault did to the callbacks posted while it happened.</summary>
/// <param name="Fault">The fault injected.</param>
/// <param name="Sent">Callbacks posted.</param>
/// <param name="Acknowledged">Answered 200 with ResultCode 0: Safaricom considers them delivered.</param>
/// <param name="Recorded">Found in <c>transactions</c> as Success once the system settled.</param>
/// <param name="Lost">Acknowledged but never recorded: payments the shop never hears of.</param>
/// <param name="PayersWithReceipt">Payers of recorded callbacks who got at least one receipt.</param>
/// <param name="UncertainReceipts">
/// Recorded payments whose payer got no receipt and whose receipt the system set aside as uncertain:
/// a send began and the sender died before Telegram's answer, so it is not resent automatically; the
/// admin is told and an operator can resend it. Never silent, unlike a missing receipt.
/// </param>
/// <param name="DuplicateReceipts">Receipts beyond the first, summed over payers.</param>
/// <param name="SettleSeconds">Seconds from the end of the load until everything acknowledged was recorded and receipted (or the settle timeout).</param>
public sealed record FaultReport(
    Fault Fault,
    int Sent,
    int Acknowledged,
    int Recorded,
    int Lost,
    int PayersWithReceipt,
    int UncertainReceipts,
    int DuplicateReceipts,
    double SettleSeconds)
{
    /// <summary>Recorded callbacks whose payer got no receipt, and nobody was told (not uncertain).</summary>
    public int MissingReceipts => Recorded - PayersWithReceipt - UncertainReceipts;

    public const string TableHeader =
        "| fault | sent | acknowledged | recorded | lost | missing receipts | uncertain receipts | duplicate receipts | settled in s |\n"
        + "|---|---|---|---|---|---|---|---|---|";

    public string TableRow() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Fault} | {Sent} | {Acknowledged} | {Recorded} | {Lost} | {MissingReceipts} | {UncertainReceipts} | {DuplicateReceipts} | {SettleSeconds:0.0} |");
}
