namespace MpesaAspire.TransactionService.Data.Migrations;

/// <summary>
/// The product document's two tables, column for column. <c>IF NOT EXISTS</c>: a database created by
/// the original Python server's database_schema.sql already has them, with its rows, and is upgraded
/// in place by the migrations after this one.
/// </summary>
public static class M0001SeedTables
{
    public static Migration Migration { get; } = new(1, "seed tables: transactions and users",
    [
        MigrationStep.Run("create table transactions", """
            CREATE TABLE IF NOT EXISTS transactions (
                id INT AUTO_INCREMENT PRIMARY KEY,
                checkout_request_id VARCHAR(100) UNIQUE NOT NULL,
                merchant_request_id VARCHAR(100) NOT NULL,
                result_code INT,
                result_desc VARCHAR(255),
                amount DECIMAL(10, 2),
                mpesa_receipt_number VARCHAR(50),
                phone_number VARCHAR(15),
                -- M-Pesa's TransactionDate (yyyyMMddHHmmss) stored as received: Kenyan local time (EAT, UTC+3), not UTC.
                transaction_date DATETIME,
                status ENUM('Pending', 'Success', 'Failed', 'Cancelled'),
                created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
                updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
            """),
        MigrationStep.Run("create table users", """
            CREATE TABLE IF NOT EXISTS users (
                id INT AUTO_INCREMENT PRIMARY KEY,
                telegram_chat_id BIGINT UNIQUE NOT NULL,
                phone_number VARCHAR(15),
                telegram_username VARCHAR(100),
                first_name VARCHAR(100),
                last_name VARCHAR(100),
                is_active BOOLEAN DEFAULT TRUE,
                created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
            """),
    ]);
}
