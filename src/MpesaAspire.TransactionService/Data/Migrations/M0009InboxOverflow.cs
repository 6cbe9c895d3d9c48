namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>
/// A payment keeps at most <c>InboxRetention:MaxBodiesPerCheckout</c> distinct bodies in the inbox;
/// the ones beyond are counted on its newest row instead of stored.
/// </summary>
public static class M0009InboxOverflow
{
    public static Migration Migration { get; } = new(9, "count inbox bodies beyond the per-payment cap",
    [
        MigrationStep.AddColumn("stk_callback_inbox", "overflow_count", "INT NOT NULL DEFAULT 0"),
    ]);
}
