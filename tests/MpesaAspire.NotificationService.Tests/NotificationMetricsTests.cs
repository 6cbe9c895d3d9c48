using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using MpesaAspire.TestSupport;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>What operators see on the "MpesaAspire" meter.</summary>
public sealed class NotificationMetricsTests
{
    [Fact]
    public async Task SentNotificationsAndTelegramFailuresAreCountedByKindResultAndCode()
    {
        await using var telegram = await FakeTelegramBotApi.StartAsync();
        await using var service = await NotificationServiceHarness.StartAsync(telegram);
        var meterFactory = service.Services.GetRequiredService<IMeterFactory>();
        using var sent = new MetricCollector<long>(meterFactory, "MpesaAspire", "mpesa.notifications.sent");
        using var failures = new MetricCollector<long>(meterFactory, "MpesaAspire", "mpesa.telegram.failures");
        telegram.BlockChat(6300);

        await service.SendAsync(Requests.UserReceipt(chatId: 6301));
        await service.SendAsync(Requests.UserReceipt(chatId: 6300));

        Assert.Contains(sent.GetMeasurementSnapshot(), m => m.Value == 1
            && Equals(m.Tags["kind"], "user_receipt") && Equals(m.Tags["result"], "delivered"));
        Assert.Contains(sent.GetMeasurementSnapshot(), m => m.Value == 1
            && Equals(m.Tags["kind"], "user_receipt") && Equals(m.Tags["result"], "failed_permanently"));
        Assert.Contains(failures.GetMeasurementSnapshot(), m => Equals(m.Tags["code"], "403"));
    }
}
