using System.Globalization;

namespace MpesaAspire.Payments;

/// <summary>
/// Maps an STK Push ResultCode to the product's status: 0 → Success, 1032 → Cancelled, every other
/// code (numeric or string, e.g. "SFC_IC0003") → Failed. Only the code decides, never ResultDesc.
/// The one mapping: the gateway (logs, metrics) and the transaction service (what is stored) both use it.
/// </summary>
public static class StatusMapping
{
    public const int SuccessCode = 0;
    public const int CancelledByUserCode = 1032;

    public static PaymentStatus FromResultCode(string resultCode) => NumericCode(resultCode) switch
    {
        SuccessCode => PaymentStatus.Success,
        CancelledByUserCode => PaymentStatus.Cancelled,
        _ => PaymentStatus.Failed,
    };

    /// <summary>The code as a number when it is one (what the seed's <c>result_code INT</c> keeps), else null.</summary>
    public static int? NumericCode(string? resultCode) =>
        int.TryParse(resultCode?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code) ? code : null;

    /// <summary>Whether two raw codes mean the same result ("0" and "00" do; "SFC_IC0003" matches itself only).</summary>
    public static bool SameCode(string? left, string? right)
    {
        var leftNumber = NumericCode(left);
        var rightNumber = NumericCode(right);
        if (leftNumber is not null || rightNumber is not null)
        {
            return leftNumber == rightNumber;
        }

        return string.Equals(left?.Trim(), right?.Trim(), StringComparison.Ordinal);
    }

    /// <summary>Final results never change. NeedsReview is not final: a late callback or query still completes it.</summary>
    public static bool IsTerminal(this PaymentStatus status) => status is not (PaymentStatus.Pending or PaymentStatus.NeedsReview);
}
