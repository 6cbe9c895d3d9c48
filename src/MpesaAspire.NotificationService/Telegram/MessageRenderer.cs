namespace MpesaAspire.NotificationService.Telegram;

/// <summary>
/// The product document's three messages, verbatim (wording, emoji, blank lines, line order), plus
/// the admin's warnings (an unverified success, a conflicting result, an amount that differs from the
/// one requested) and the admin digest. The first line is bold; every dynamic value is HTML-escaped; a message never
/// exceeds Telegram's 4096 characters (a huge reason is cut, before escaping, so no entity is split).
/// </summary>
internal static class MessageRenderer
{
    /// <summary>Telegram's limit on the displayed text of one message.</summary>
    public const int MaxTextLength = 4096;

    private const int MaxFieldLength = 256;
    private const int MaxDigestFieldLength = 64;
    private const int MaxDigestReasonLength = 100;
    private const string Missing = "N/A";
    private const string UnknownReason = "Unknown error";
    private const string Ellipsis = "…";
    private const string Separator = " · ";

    public static RenderedMessage Render(PaymentNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return notification.Kind switch
        {
            NotificationKind.AdminSuccess => Compose(
            [
                Bold("✅ Payment Successful"),
                Blank,
                .. PaymentLines(notification),
                .. AmountWarning(notification),
            ]),
            NotificationKind.AdminFailure => RenderFailure(notification),
            NotificationKind.AdminUnverified => Compose(
            [
                Bold("⚠️ UNVERIFIED PAYMENT: not counted as paid"),
                Blank,
                Plain("A success callback came for this payment but could not be verified. No receipt was sent; do not hand over goods yet."),
                Blank,
                .. PaymentLines(notification),
                Plain("❗ Reason: " + Field(notification.Detail)),
                .. AmountWarning(notification),
                Blank,
                Plain("Once M-Pesa shows the money arrived, use \"Confirm payment\" on transaction-service in the dashboard."),
            ]),
            NotificationKind.AdminConflict => Compose(
            [
                Bold("⚠️ Conflicting payment result"),
                Blank,
                Plain("A second, different result came for a payment already recorded. It was not applied; check it in M-Pesa."),
                Blank,
                Plain("📱 Phone: " + Field(notification.PhoneNumber)),
                Plain("🆔 Request ID: " + Field(notification.CheckoutRequestId)),
                Plain("❗ " + Field(notification.Detail)),
            ]),
            NotificationKind.UserReceipt => Compose(
            [
                Bold("🎉 Payment Receipt"),
                Blank,
                Plain("Thank you for your payment!"),
                Blank,
                Plain("💰 Amount: " + Amount(notification.Amount)),
                Plain("🧾 M-Pesa Receipt: " + Field(notification.MpesaReceiptNumber)),
                Plain("📅 Date: " + Field(notification.Date)),
                Blank,
                Plain("Transaction ID: " + Field(notification.CheckoutRequestId)),
            ]),
            _ => throw new ArgumentOutOfRangeException(nameof(notification), notification.Kind, "Unknown notification kind."),
        };
    }

    /// <summary>
    /// To the admin: a receipt whose send outcome is unknown. It is not resent by itself; the operator
    /// checks with the payer and resends it from the dashboard if needed.
    /// </summary>
    public static RenderedMessage RenderUncertainReceipt(PaymentNotification receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return Compose(
        [
            Bold("⚠️ Receipt not confirmed"),
            Blank,
            Plain("Telegram did not confirm the payer's receipt: it may or may not have arrived."),
            Plain("💰 Amount: " + Amount(receipt.Amount)),
            Plain("📱 Phone: " + Field(receipt.PhoneNumber)),
            Plain("🆔 Request ID: " + Field(receipt.CheckoutRequestId)),
            Blank,
            Plain("It is not sent again by itself. To resend it, use \"Resend uncertain receipts\" on notification-service in the dashboard."),
        ]);
    }

    /// <summary>
    /// One message for several admin notifications: a header with the count and the total received,
    /// then one short line per payment. Use <see cref="DigestCapacity"/> to know how many fit.
    /// </summary>
    public static RenderedMessage RenderDigest(IReadOnlyList<PaymentNotification> notifications)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        var lines = new List<Line>(notifications.Count + 3);
        lines.AddRange(DigestHeader(notifications.Count, TotalReceived(notifications)));
        lines.AddRange(notifications.Select(n => Plain(DigestLine(n))));
        return Compose(lines);
    }

    /// <summary>How many of the first <paramref name="candidates"/> fit in one digest (at least one).</summary>
    public static int DigestCapacity(IReadOnlyList<PaymentNotification> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var linesLength = 0;
        var total = 0m;
        for (var count = 0; count < candidates.Count; count++)
        {
            var candidate = candidates[count];
            if (candidate.Kind == NotificationKind.AdminSuccess && candidate.Amount is { } amount)
            {
                total += amount;
            }

            linesLength += 1 + DigestLine(candidate).Length;
            var headerLength = DigestHeader(count + 1, total).Sum(l => l.Text.Length + 1) - 1;
            if (headerLength + linesLength > MaxTextLength)
            {
                return Math.Max(1, count);
            }
        }

        return candidates.Count;
    }

    private static RenderedMessage RenderFailure(PaymentNotification notification)
    {
        var reason = string.IsNullOrWhiteSpace(notification.Reason) ? UnknownReason : notification.Reason;
        var message = Compose(FailureLines(notification, reason));
        if (message.Text.Length <= MaxTextLength)
        {
            return message;
        }

        var keep = reason.Length - (message.Text.Length - MaxTextLength) - Ellipsis.Length;
        return Compose(FailureLines(notification, Truncate(reason, keep) + Ellipsis));
    }

    private static Line[] FailureLines(PaymentNotification notification, string reason) =>
    [
        Bold("❌ Payment Failed"),
        Blank,
        Plain("📱 Phone: " + Field(notification.PhoneNumber)),
        Plain("🆔 Request ID: " + Field(notification.CheckoutRequestId)),
        Plain("❗ Reason: " + reason),
        Plain("📅 Date: " + Field(notification.Date)),
    ];

    /// <summary>The admin's lines about a paid (or claimed) payment, as the product document's success message shows them.</summary>
    private static Line[] PaymentLines(PaymentNotification notification) =>
    [
        Plain("💰 Amount: " + Amount(notification.Amount)),
        Plain("📱 Phone: " + Field(notification.PhoneNumber)),
        Plain("🧾 Receipt: " + Field(notification.MpesaReceiptNumber)),
        Plain("🆔 Request ID: " + Field(notification.CheckoutRequestId)),
        Plain("📅 Date: " + Field(notification.Date)),
    ];

    /// <summary>The warning line of a payment whose amount differs from the one requested; none otherwise.</summary>
    private static Line[] AmountWarning(PaymentNotification notification) => notification.AmountMismatch
        ? [Blank, Plain("⚠️ Amount differs from the amount requested: " + Amount(notification.RequestedAmount))]
        : [];

    private static Line[] DigestHeader(int count, decimal totalReceived) =>
    [
        Bold($"📊 {count} payment {(count == 1 ? "update" : "updates")}"),
        Plain("💰 Total received: KES " + Amounts.Display(totalReceived)),
        Blank,
    ];

    private static string DigestLine(PaymentNotification notification) => notification.Kind switch
    {
        NotificationKind.AdminSuccess => "✅ " + Amount(notification.Amount)
            + (notification.AmountMismatch ? " (⚠️ requested " + Amount(notification.RequestedAmount) + ")" : "")
            + Separator + Field(notification.PhoneNumber, MaxDigestFieldLength)
            + Separator + Field(notification.MpesaReceiptNumber, MaxDigestFieldLength)
            + Separator + Field(notification.CheckoutRequestId, MaxDigestFieldLength),
        NotificationKind.AdminUnverified => "⚠️ UNVERIFIED, not paid: " + Amount(notification.Amount)
            + Separator + Field(notification.PhoneNumber, MaxDigestFieldLength)
            + Separator + Field(notification.Detail, MaxDigestReasonLength)
            + Separator + Field(notification.CheckoutRequestId, MaxDigestFieldLength),
        NotificationKind.AdminConflict => "⚠️ CONFLICTING RESULT: " + Field(notification.Detail, MaxDigestReasonLength)
            + Separator + Field(notification.CheckoutRequestId, MaxDigestFieldLength),
        _ => "❌ " + Field(notification.PhoneNumber, MaxDigestFieldLength)
            + Separator + Field(string.IsNullOrWhiteSpace(notification.Reason) ? UnknownReason : notification.Reason, MaxDigestReasonLength)
            + Separator + Field(notification.CheckoutRequestId, MaxDigestFieldLength),
    };

    private static decimal TotalReceived(IEnumerable<PaymentNotification> notifications) =>
        notifications.Where(n => n.Kind == NotificationKind.AdminSuccess && n.Amount is not null).Sum(n => n.Amount!.Value);

    private static string Amount(decimal? amount) => amount is { } value ? "KES " + Amounts.Display(value) : Missing;

    private static string Field(string? value, int maxLength = MaxFieldLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Missing;
        }

        return value.Length <= maxLength ? value : Truncate(value, maxLength - Ellipsis.Length) + Ellipsis;
    }

    /// <summary>The first <paramref name="length"/> UTF-16 units, never splitting a surrogate pair.</summary>
    private static string Truncate(string text, int length)
    {
        if (length <= 0)
        {
            return string.Empty;
        }

        if (text.Length <= length)
        {
            return text;
        }

        return char.IsHighSurrogate(text[length - 1]) ? text[..(length - 1)] : text[..length];
    }

    private static RenderedMessage Compose(IReadOnlyList<Line> lines) => new(
        string.Join('\n', lines.Select(l => l.Bold && l.Text.Length > 0 ? "<b>" + HtmlEscaping.Escape(l.Text) + "</b>" : HtmlEscaping.Escape(l.Text))),
        string.Join('\n', lines.Select(l => l.Text)));

    private static Line Bold(string text) => new(text, Bold: true);

    private static Line Plain(string text) => new(text, Bold: false);

    private static Line Blank => new(string.Empty, Bold: false);

    private readonly record struct Line(string Text, bool Bold);
}
