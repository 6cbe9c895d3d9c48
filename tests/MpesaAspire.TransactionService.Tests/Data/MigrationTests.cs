using MpesaAspire.TransactionService.Data.Migrations;
using MpesaAspire.TransactionService.Domain;
using MpesaAspire.TransactionService.Tests.Support;

namespace MpesaAspire.TransactionService.Tests.Data;

[Collection(MariaDbCollection.Name)]
public sealed class MigrationTests(MariaDbFixture fixture)
{
    // The product document's two tables, verbatim, as the original Python server created them.
    private const string SeedSchemaSql = """
        CREATE TABLE transactions (
            id INT AUTO_INCREMENT PRIMARY KEY,
            checkout_request_id VARCHAR(100) UNIQUE NOT NULL,
            merchant_request_id VARCHAR(100) NOT NULL,
            result_code INT,
            result_desc VARCHAR(255),
            amount DECIMAL(10, 2),
            mpesa_receipt_number VARCHAR(50),
            phone_number VARCHAR(15),
            transaction_date DATETIME,
            status ENUM('Pending', 'Success', 'Failed', 'Cancelled'),
            created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
            updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
        );
        CREATE TABLE users (
            id INT AUTO_INCREMENT PRIMARY KEY,
            telegram_chat_id BIGINT UNIQUE NOT NULL,
            phone_number VARCHAR(15),
            telegram_username VARCHAR(100),
            first_name VARCHAR(100),
            last_name VARCHAR(100),
            is_active BOOLEAN DEFAULT TRUE,
            created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
        );
        CREATE INDEX idx_phone ON transactions (phone_number);
        CREATE INDEX idx_status ON transactions (status);
        """;

    [Fact]
    public async Task AnEmptyDatabaseGetsEveryTableAtTheLatestVersion()
    {
        await using var store = await fixture.CreateStoreAsync(migrate: false);

        var applied = await store.Migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(SchemaMigrations.All.Select(m => m.Version), applied);
        var tables = await store.QueryAsync<string>(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME");
        Assert.Equal(
            ["daraja_tokens", "notification_outbox", "schema_migrations", "sender_lease", "stk_callback_inbox", "stk_push_requests", "transactions", "users"],
            tables);
        var engines = await store.QueryAsync<string>(
            "SELECT DISTINCT CONCAT(ENGINE, ' ', TABLE_COLLATION) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()");
        Assert.Equal(["InnoDB utf8mb4_unicode_ci"], engines);
        Assert.Equal(SchemaMigrations.LatestVersion, await store.Migrator.CurrentVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TheTransactionsTableHasTheSeedsColumnsAndTheDesignsAdditions()
    {
        await using var store = await fixture.CreateStoreAsync();

        var columns = await store.QueryAsync<string>("""
            SELECT CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE) FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'transactions' ORDER BY ORDINAL_POSITION
            """);

        Assert.Equal(
            [
                "id int(11)", "checkout_request_id varchar(100)", "merchant_request_id varchar(100)", "result_code int(11)",
                "result_code_raw varchar(64)", "result_desc varchar(255)", "amount decimal(10,2)", "mpesa_receipt_number varchar(50)",
                "phone_number varchar(15)", "transaction_date datetime", "status enum('Pending','Success','Failed','Cancelled','NeedsReview','Unverified')",
                "created_at timestamp", "updated_at timestamp", "account_reference varchar(64)", "telegram_chat_id bigint(20)",
                "requested_amount decimal(10,2)", "completed_at datetime(6)", "next_query_at datetime(6)", "query_count int(11)",
                "verification_reason varchar(255)", "amount_mismatch tinyint(1)", "held_success text", "held_at datetime(6)",
            ],
            columns);
        var indexes = await store.QueryAsync<string>("""
            SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('transactions', 'users') AND INDEX_NAME LIKE 'ix\_%' ORDER BY INDEX_NAME
            """);
        Assert.Equal(["ix_transactions_created", "ix_transactions_phone_created", "ix_transactions_status_created", "ix_users_phone_number"], indexes);
    }

    [Fact]
    public async Task ADatabaseOfTheOriginalServerIsUpgradedInPlaceKeepingItsRows()
    {
        await using var store = await fixture.CreateStoreAsync(migrate: false);
        await store.ExecuteAsync(SeedSchemaSql);
        await store.ExecuteAsync("""
            INSERT INTO transactions (checkout_request_id, merchant_request_id, result_code, result_desc, amount,
                                      mpesa_receipt_number, phone_number, transaction_date, status)
            VALUES ('ws_CO_legacy_paid', '29115-1', 0, 'The service request is processed successfully.', 1000.00,
                    'NLJ7RT61SV', '254708374149', '2019-12-19 10:21:15', 'Success'),
                   ('ws_CO_legacy_waiting', '29115-2', NULL, NULL, 250.00, NULL, '254708374149', NULL, 'Pending');
            INSERT INTO users (telegram_chat_id, phone_number, first_name) VALUES (5550001, '0708374149', 'Wanjiru');
            """);

        await store.Migrator.MigrateAsync(CancellationToken.None);

        var paid = await store.Transactions.GetAsync("ws_CO_legacy_paid", CancellationToken.None);
        Assert.NotNull(paid);
        Assert.Equal(PaymentStatus.Success, paid.Status);
        Assert.Equal("0", paid.ResultCode);
        Assert.Equal(1000.00m, paid.Amount);
        Assert.Equal("NLJ7RT61SV", paid.MpesaReceiptNumber);
        Assert.Equal(1, await store.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE first_name = 'Wanjiru'"));

        // The new columns work on old rows: the pending payment completes and its payer, found by phone, gets a receipt.
        var recording = await store.Recorder.RecordAsync(
            Callbacks.Success("ws_CO_legacy_waiting", amount: 250m, receipt: "QWE123RTY9"), CancellationToken.None);
        Assert.Equal(CallbackOutcome.Applied, recording.Outcome);
        Assert.Equal(PaymentStatus.Success, recording.Transaction.Status);
        Assert.Contains(recording.QueuedNotifications, n => n is { Kind: OutboxKind.UserReceipt, ChatId: 5550001 });

        // A repeat of the old success is recognised as a duplicate thanks to the back-filled raw code.
        var repeat = await store.Recorder.RecordAsync(Callbacks.Success("ws_CO_legacy_paid"), CancellationToken.None);
        Assert.Equal(CallbackOutcome.Duplicate, repeat.Outcome);
    }

    [Fact]
    public async Task AnOriginalDatabaseInMyIsamAndLatin1IsConvertedToInnoDbAndUtf8mb4KeepingItsRows()
    {
        await using var store = await fixture.CreateStoreAsync(migrate: false);
        await store.ExecuteAsync(SeedSchemaSql
            .Replace("\n);", "\n) ENGINE = MyISAM DEFAULT CHARSET = latin1;", StringComparison.Ordinal));
        await store.ExecuteAsync("""
            INSERT INTO transactions (checkout_request_id, merchant_request_id, result_desc, phone_number, status)
            VALUES ('ws_CO_latin1', 'm', 'Café payment', '254708374149', 'Pending')
            """);
        Assert.Equal(["MyISAM latin1_swedish_ci"], await store.QueryAsync<string>(
            "SELECT DISTINCT CONCAT(ENGINE, ' ', TABLE_COLLATION) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"));

        await store.Migrator.MigrateAsync(CancellationToken.None);

        var engines = await store.QueryAsync<string>("""
            SELECT DISTINCT CONCAT(ENGINE, ' ', TABLE_COLLATION) FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('transactions', 'users')
            """);
        Assert.Equal(["InnoDB utf8mb4_unicode_ci"], engines);
        var kept = await store.Transactions.GetAsync("ws_CO_latin1", CancellationToken.None);
        Assert.Equal("Café payment", kept!.ResultDesc);
        var recording = await store.Recorder.RecordAsync(
            Callbacks.Failure("ws_CO_latin1", "1032", "Ombi limeghairiwa na mtumiaji 🙏"), CancellationToken.None);
        Assert.Equal("Ombi limeghairiwa na mtumiaji 🙏", recording.Transaction.ResultDesc);
    }

    [Fact]
    public async Task MigratingTwiceChangesNothingTheSecondTime()
    {
        await using var store = await fixture.CreateStoreAsync();
        var historyBefore = await store.QueryAsync<string>("SELECT CONCAT(version, ' ', applied_at) FROM schema_migrations ORDER BY version");

        var applied = await store.Migrator.MigrateAsync(CancellationToken.None);

        Assert.Empty(applied);
        Assert.Equal(historyBefore, await store.QueryAsync<string>("SELECT CONCAT(version, ' ', applied_at) FROM schema_migrations ORDER BY version"));
    }

    [Fact]
    public async Task InstancesStartingTogetherMigrateTheDatabaseOnce()
    {
        await using var store = await fixture.CreateStoreAsync(migrate: false);
        await using var second = TestStore.Create(store.ConnectionString, store.Database);

        var results = await Task.WhenAll(
            store.Migrator.MigrateAsync(CancellationToken.None),
            second.Migrator.MigrateAsync(CancellationToken.None));

        Assert.Equal(SchemaMigrations.All.Count, results.Sum(r => r.Count));
        Assert.Equal(SchemaMigrations.All.Count, await store.ScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task AMigrationInterruptedHalfWayIsCompletedOnTheNextStart()
    {
        await using var store = await fixture.CreateStoreAsync(migrate: false);
        await store.Migrator.MigrateAsync(CancellationToken.None);
        // As if the process died after two of migration 2's columns: they exist, the version is not recorded.
        await store.ExecuteAsync("""
            DELETE FROM schema_migrations WHERE version >= 2;
            ALTER TABLE transactions DROP COLUMN requested_amount, DROP COLUMN completed_at;
            DROP INDEX ix_transactions_created ON transactions;
            """);

        var applied = await store.Migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(SchemaMigrations.All.Select(m => m.Version).Where(v => v >= 2), applied);
        Assert.Equal(2, await store.ScalarAsync<long>("""
            SELECT COUNT(*) FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'transactions' AND COLUMN_NAME IN ('requested_amount', 'completed_at')
            """));
    }
}
