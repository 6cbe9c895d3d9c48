using System.Reflection;
using Microsoft.Extensions.Logging;

namespace MpesaAspire.Payments.Tests;

/// <summary>
/// One event id means one log line across the whole system, so a dashboard filter on an id finds
/// exactly one kind of event. Each service keeps to its own ranges.
/// </summary>
public sealed class LogEventIdTests
{
    /// <summary>The assemblies that log, with the event id ranges each may use.</summary>
    private static readonly (string Assembly, (int From, int To)[] Ranges)[] Services =
    [
        ("MpesaAspire.TransactionService", [(1000, 1499), (5000, 5649)]),
        ("MpesaAspire.NotificationService", [(3000, 3599)]),
        ("MpesaAspire.CallbackGateway", [(6000, 6999)]),
        ("MpesaAspire.ServiceDefaults", [(9000, 9999)]),
    ];

    public static TheoryData<string> ServiceNames() => [.. Services.Select(s => s.Assembly)];

    [Fact]
    public void NoTwoLogMessagesInTheSolutionShareAnEventId()
    {
        var shared = Services
            .SelectMany(s => LogMessages(s.Assembly))
            .GroupBy(m => m.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}")
            .ToList();

        Assert.True(shared.Count == 0, "Event ids used more than once:\n" + string.Join("\n", shared));
    }

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void EveryLogMessageNamesAnEventIdInItsServicesRange(string assembly)
    {
        var ranges = Services.Single(s => s.Assembly == assembly).Ranges;
        var messages = LogMessages(assembly);
        var outside = messages
            .Where(m => !ranges.Any(r => m.EventId >= r.From && m.EventId <= r.To))
            .Select(m => $"{m.EventId}: {m.Method}")
            .ToList();

        Assert.NotEmpty(messages);
        Assert.True(outside.Count == 0, $"Event ids outside {assembly}'s ranges:\n" + string.Join("\n", outside));
    }

    private static List<(int EventId, string Method)> LogMessages(string assemblyName) =>
    [
        .. from type in Assembly.Load(new AssemblyName(assemblyName)).GetTypes()
           from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
           let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
           where attribute is not null
           select (attribute.EventId, $"{type.FullName}.{method.Name}"),
    ];
}
