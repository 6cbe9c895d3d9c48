using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using MpesaAspire.CallbackGateway.Apis.Schemas;

namespace MpesaAspire.CallbackGateway.Extensions;

/// <summary>Registers the OpenAPI document the docs pages serve.</summary>
public static class ApiDocsServiceCollectionExtensions
{
    /// <summary>Adds the <c>v1</c> OpenAPI document describing the product's endpoints.</summary>
    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "M-Pesa Callback Server",
                    Version = "1.0.0",
                    Description = "Receives M-Pesa (Safaricom Daraja) STK Push payment callbacks, records them and notifies "
                        + "the shop admin and the payer on Telegram.",
                };
                return Task.CompletedTask;
            });

            options.AddSchemaTransformer((schema, context, _) =>
            {
                DescribeNumberOrString(schema, context);
                return Task.CompletedTask;
            });
        });

        return services;
    }

    /// <summary>The callback fields Daraja sends as a number or a string are typed as raw JSON in the schema classes.</summary>
    private static void DescribeNumberOrString(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        var property = context.JsonPropertyInfo;
        if (property is null)
        {
            return;
        }

        if (property.DeclaringType == typeof(StkCallbackContent) && property.Name == "ResultCode")
        {
            schema.Type = JsonSchemaType.Integer | JsonSchemaType.String;
            schema.Description = "The result: a number (0 success, 1032 cancelled by the user, 1037 unreachable, …) "
                + "or a string code such as \"SFC_IC0003\". Required.";
        }
        else if (property.DeclaringType == typeof(StkCallbackMetadataItem) && property.Name == "Value")
        {
            schema.Type = JsonSchemaType.Number | JsonSchemaType.String;
            schema.Description = "Amount: a decimal (1, 1.00, 10500.00) or a string of one; TransactionDate: a yyyyMMddHHmmss "
                + "number (20191219102115); PhoneNumber: a number (254708374149) or a string; MpesaReceiptNumber: a string. "
                + "Absent on Balance.";
        }
    }
}
