namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>
/// The trace each stored callback arrived under, so an operator can go from an inbox row straight
/// to the callback's trace in the dashboard (gateway, gRPC hop, MySQL, Telegram).
/// </summary>
public static class M0005CallbackTrace
{
    public static Migration Migration { get; } = new(5, "callback trace id",
    [
        // W3C trace id (32 hex digits) of the delivery that first stored this payload.
        MigrationStep.AddColumn("stk_callback_inbox", "trace_id", "CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL"),
    ]);
}
