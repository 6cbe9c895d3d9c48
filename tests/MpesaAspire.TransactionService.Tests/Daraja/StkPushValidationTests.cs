using Grpc.Core;
using MpesaAspire.Transactions.V1;
using MpesaAspire.TransactionService.Grpc;

namespace MpesaAspire.TransactionService.Tests.Daraja;

/// <summary>What InitiateStkPush refuses before Daraja is ever called, and the phone forms it accepts.</summary>
public sealed class StkPushValidationTests
{
    [Theory]
    [InlineData("0712345678")]
    [InlineData("+254712345678")]
    [InlineData("254712345678")]
    [InlineData("0712 345 678")]
    public void APhoneInAnyUsualFormIsSentToDarajaAs2547(string phone)
    {
        var order = StkPushRequests.ToOrder(With(r => r.PhoneNumber = phone));

        Assert.Equal("254712345678", order.PhoneNumber);
    }

    [Theory]
    [InlineData("0112345678")]
    [InlineData("254112345678")]
    public void TheNewer01RangeIsAccepted(string phone) =>
        Assert.Equal("254112345678", StkPushRequests.ToOrder(With(r => r.PhoneNumber = phone)).PhoneNumber);

    [Theory]
    [InlineData("phone_number", "")]
    [InlineData("phone_number", "12345")]
    [InlineData("phone_number", "+255712345678")]
    [InlineData("amount", "0")]
    [InlineData("amount", "250001")]
    [InlineData("amount", "-5")]
    [InlineData("account_reference", "")]
    [InlineData("account_reference", "THIRTEEN-CHAR")]
    [InlineData("description", "")]
    [InlineData("description", "fourteen chars")]
    [InlineData("idempotency_key", "")]
    [InlineData("telegram_chat_id", "0")]
    public void BadInputIsRefusedWithInvalidArgumentNamingTheField(string field, string value)
    {
        var request = With(r =>
        {
            switch (field)
            {
                case "phone_number": r.PhoneNumber = value; break;
                case "amount": r.Amount = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "account_reference": r.AccountReference = value; break;
                case "description": r.Description = value; break;
                case "idempotency_key": r.IdempotencyKey = value; break;
                case "telegram_chat_id": r.TelegramChatId = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            }
        });

        var error = Assert.Throws<RpcException>(() => StkPushRequests.ToOrder(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(field, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLimitsThemselvesAreAccepted()
    {
        var order = StkPushRequests.ToOrder(With(r =>
        {
            r.Amount = 250_000;
            r.AccountReference = "TWELVE-CHARS";
            r.Description = "THIRTEEN-CHAR";
        }));

        Assert.Equal(250_000, order.Amount);
        Assert.Equal("TWELVE-CHARS", order.AccountReference);
        Assert.Equal("THIRTEEN-CHAR", order.Description);
    }

    private static InitiateStkPushRequest Valid() => new()
    {
        PhoneNumber = "0712345678",
        Amount = 100,
        AccountReference = "INV-1",
        Description = "Order",
        IdempotencyKey = "order-1",
    };

    private static InitiateStkPushRequest With(Action<InitiateStkPushRequest> change)
    {
        var request = Valid();
        change(request);
        return request;
    }
}
