namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>Where start-up migration stands; read by the health check and the gRPC gate.</summary>
public sealed class MigrationState
{
    private volatile string? _waitingReason = "Database migrations have not started yet.";
    private volatile Exception? _failure;
    private volatile bool _completed;

    public bool IsCompleted => _completed;

    public Exception? Failure => _failure;

    /// <summary>Why the schema is not ready yet (null once completed or failed).</summary>
    public string? WaitingReason => _waitingReason;

    public void Waiting(string reason) => _waitingReason = reason;

    public void Completed()
    {
        _completed = true;
        _waitingReason = null;
    }

    public void Failed(Exception exception)
    {
        _failure = exception;
        _waitingReason = null;
    }
}
