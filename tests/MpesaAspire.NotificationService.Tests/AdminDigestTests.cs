using System.Globalization;
using MpesaAspire.NotificationService.Telegram;
using MpesaAspire.TestSupport;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.NotificationService.Tests;

/// <summary>When admin messages pile up faster than the admin chat's pace, they arrive as one digest.</summary>
public sealed class AdminDigestTests : IAsyncLifetime
{
    private FakeTelegramBotApi _telegram = null!;
    private NotificationServiceHarness _service = null!;

    public async Task InitializeAsync()
    {
        _telegram = await FakeTelegramBotApi.StartAsync();
        _telegram.EnforcedChatInterval = TimeSpan.FromMilliseconds(500);
        _service = await NotificationServiceHarness.StartAsync(_telegram, new Dictionary<string, string?>
        {
            ["Telegram:DigestThreshold"] = "3",
        });

        // One message first, so a cold connection's latency does not blur the pace the fake measures.
        await _service.SendAsync(Requests.UserReceipt(chatId: 1));
        _telegram.Clear();
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _telegram.DisposeAsync();
    }

    [Fact]
    public async Task ManyAdminMessagesAtOnceArriveAsADigestThatCoversEveryPayment()
    {
        var amounts = new[] { "1000", "250.50", "12000", "75", "3300.25", "18" };
        var requests = amounts.Select((amount, i) => Requests.AdminSuccess(checkoutRequestId: $"ws_CO_DIGEST_OK_{i}", amount: amount))
            .Concat(Enumerable.Range(0, 3).Select(i => Requests.AdminFailure(reason: "[STK_CB - ]Request cancelled by user", checkoutRequestId: $"ws_CO_DIGEST_KO_{i}")))
            .ToList();

        var responses = await Task.WhenAll(requests.Select(r => _service.SendAsync(r)));

        Assert.All(responses, r => Assert.Equal(SendStatus.Delivered, r.Status));
        var messages = _telegram.Messages;
        Assert.True(messages.Count < requests.Count, $"{messages.Count} messages for {requests.Count} notifications");
        Assert.Equal(messages.Count, _telegram.SendMessageCalls);

        // Every payment appears in exactly one message, and its request was answered with that message's id.
        for (var i = 0; i < requests.Count; i++)
        {
            var carrying = messages.Where(m => m.Text.Contains(requests[i].CheckoutRequestId + "\n", StringComparison.Ordinal) || m.Text.EndsWith(requests[i].CheckoutRequestId, StringComparison.Ordinal)).ToList();
            Assert.Equal(responses[i].MessageId, Assert.Single(carrying).MessageId);
        }

        var digests = messages.Where(m => m.Text.StartsWith("📊 ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(digests);
        foreach (var digest in digests)
        {
            var covered = requests.Where(r => digest.Text.Contains(r.CheckoutRequestId, StringComparison.Ordinal)).ToList();
            var total = covered.Where(r => r.Kind == NotificationKind.AdminSuccess).Sum(r => decimal.Parse(r.Amount, CultureInfo.InvariantCulture));
            var lines = digest.Text.Split('\n');
            Assert.Equal($"📊 {covered.Count} payment updates", lines[0]);
            Assert.Equal("💰 Total received: KES " + total.ToString("#,##0.00", CultureInfo.InvariantCulture), lines[1]);
            Assert.Equal(covered.Count, lines.Count(l => l.StartsWith("✅ ", StringComparison.Ordinal) || l.StartsWith("❌ ", StringComparison.Ordinal)));
            Assert.StartsWith("<b>📊 ", digest.RawText, StringComparison.Ordinal);
        }

        Assert.Contains(messages, m => m.Text.Contains("✅ KES 12,000.00 · 254708374149 · NLJ7RT61SV · ws_CO_DIGEST_OK_2", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Text.Contains("❌ 254708374149 · [STK_CB - ]Request cancelled by user · ws_CO_DIGEST_KO_0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAdminMessageThatWaitsBehindNoOneIsSentInFull()
    {
        var response = await _service.SendAsync(Requests.AdminSuccess());

        Assert.Equal(SendStatus.Delivered, response.Status);
        Assert.StartsWith("✅ Payment Successful\n\n💰 Amount: KES 1,000.00", Assert.Single(_telegram.Messages).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStormOfAdminMessagesIsSplitIntoDigestsThatEachFitInOneTelegramMessage()
    {
        var longReason = new string('x', 300);
        var requests = Enumerable.Range(0, 120)
            .Select(i => Requests.AdminFailure(reason: longReason, checkoutRequestId: $"ws_CO_STORM_{i:D3}"))
            .ToList();

        var responses = await Task.WhenAll(requests.Select(r => _service.SendAsync(r)));

        Assert.All(responses, r => Assert.Equal(SendStatus.Delivered, r.Status));
        var messages = _telegram.Messages;
        Assert.True(messages.Count(m => m.Text.StartsWith("📊 ", StringComparison.Ordinal)) >= 2);
        Assert.All(messages, m => Assert.True(m.Text.Length <= FakeTelegramBotApi.MaxMessageLength));
        Assert.All(requests, r => Assert.Single(messages, m => m.Text.Contains(r.CheckoutRequestId, StringComparison.Ordinal)));
    }
}
