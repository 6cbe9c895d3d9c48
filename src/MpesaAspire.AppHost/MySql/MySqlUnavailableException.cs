namespace MpesaAspire.AppHost.MySql;

/// <summary>No MySQL can be had: no connection string, no container runtime, no server installed.</summary>
internal sealed class MySqlUnavailableException(string message) : Exception(message);
