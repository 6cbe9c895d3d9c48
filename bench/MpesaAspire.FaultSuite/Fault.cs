namespace MpesaAspire.FaultSuite;

/// <summary>One thing that goes wrong in production, injected while callbacks keep arriving.</summary>
public enum Fault
{
    /// <summary>MySQL stopped for a while, then started again.</summary>
    MySqlStopped,

    /// <summary>transaction-service killed with SIGKILL, then started again.</summary>
    TransactionServiceKilled,

    /// <summary>notification-service killed with SIGKILL, then started again.</summary>
    NotificationServiceKilled,

    /// <summary>callback-gateway killed with SIGKILL, then started again.</summary>
    GatewayKilled,

    /// <summary>The Telegram Bot API unreachable for a while: every connection aborted.</summary>
    TelegramUnreachable,

    /// <summary>The Telegram Bot API answering one send in five with 429 for a while.</summary>
    TelegramThrottling,
}
