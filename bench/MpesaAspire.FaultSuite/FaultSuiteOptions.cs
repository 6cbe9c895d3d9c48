using System.Globalization;

namespace MpesaAspire.FaultSuite;

/// <summary>How hard and how long the suite pushes the system, per fault.</summary>
public sealed record FaultSuiteOptions
{
    /// <summary>The figures: MySQL down 30 s, Telegram unreachable 60 s.</summary>
    public static FaultSuiteOptions Full { get; } = new();

    /// <summary>A few seconds of load per fault: what <c>./mpesa test</c> runs.</summary>
    public static FaultSuiteOptions Brief { get; } = new()
    {
        CallbacksPerSecond = 4,
        LoadBefore = TimeSpan.FromSeconds(2),
        LoadAfter = TimeSpan.FromSeconds(3),
        MySqlDowntime = TimeSpan.FromSeconds(6),
        KilledDowntime = TimeSpan.FromSeconds(2),
        TelegramDowntime = TimeSpan.FromSeconds(6),
        ThrottlingTime = TimeSpan.FromSeconds(6),
        DuplicateWatch = TimeSpan.FromSeconds(5),
    };

    /// <summary>Successful callbacks posted per second, each from its own payer (a registered Telegram user).</summary>
    public int CallbacksPerSecond { get; init; } = 5;

    /// <summary>Steady load before the fault is injected.</summary>
    public TimeSpan LoadBefore { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Steady load after the fault is lifted.</summary>
    public TimeSpan LoadAfter { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan MySqlDowntime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a killed service stays down before it is started again.</summary>
    public TimeSpan KilledDowntime { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan TelegramDowntime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one send in five is answered 429.</summary>
    public TimeSpan ThrottlingTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the system gets, after the load stops, to record and notify what it acknowledged.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How long to keep watching for a second receipt once every payer has one.</summary>
    public TimeSpan DuplicateWatch { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Reads <c>--short</c>, <c>--rate N</c> and <c>--faults a,b</c> from the command line.</summary>
    public static (FaultSuiteOptions Options, IReadOnlyList<Fault> Faults) Parse(string[] args)
    {
        var options = args.Contains("--short") ? Brief : Full;
        var rate = Value(args, "--rate");
        if (rate is not null)
        {
            options = options with { CallbacksPerSecond = int.Parse(rate, CultureInfo.InvariantCulture) };
        }

        var faults = Value(args, "--faults") is { } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(name => Enum.Parse<Fault>(name, ignoreCase: true))
                .ToArray()
            : Enum.GetValues<Fault>();
        return (options, faults);
    }

    /// <summary>How many payers one fault's load needs at most.</summary>
    public int PayersPerFault(Fault fault) =>
        (int)Math.Ceiling(CallbacksPerSecond * (LoadBefore + Downtime(fault) + LoadAfter + TimeSpan.FromSeconds(60)).TotalSeconds);

    /// <summary>How long the fault lasts (for a killed service, until it is started again).</summary>
    public TimeSpan Downtime(Fault fault) => fault switch
    {
        Fault.MySqlStopped => MySqlDowntime,
        Fault.TelegramUnreachable => TelegramDowntime,
        Fault.TelegramThrottling => ThrottlingTime,
        _ => KilledDowntime,
    };

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
