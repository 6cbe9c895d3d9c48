using System.Diagnostics;

namespace MpesaAspire.TransactionService.Grpc;

/// <summary>
/// Background polls (a notification service looking for due notifications, a standby asking for the
/// sender lease) come without a trace of their own and mostly find nothing. They leave no trace: the
/// server span of an untraced poll is taken out of the sample while it runs, so its MySQL calls are
/// not recorded either, and put back only when the poll found work. (Log lines keep flowing; a
/// suppression scope would have dropped them from the dashboard too.)
/// </summary>
internal static class QuietPolls
{
    /// <summary>Takes the current server span out of the sample when the call is an untraced poll; null otherwise.</summary>
    public static Poll? Begin()
    {
        if (Activity.Current is not { Recorded: true, ParentSpanId: var parent } activity || parent != default)
        {
            return null;
        }

        activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        activity.IsAllDataRequested = false;
        return new Poll(activity);
    }

    /// <summary>An untraced poll in progress.</summary>
    internal sealed class Poll(Activity activity)
    {
        /// <summary>It found work: its server span is recorded after all (its MySQL calls were not).</summary>
        public void FoundWork()
        {
            activity.IsAllDataRequested = true;
            activity.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        }
    }
}
