#include "domain/payments/receipt_store.hpp"

namespace yoyaku::payments {

Result<std::optional<ReceiptRow>> ReceiptStore::find_of_booking(BookingId booking_id) {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT number, booking_id, issued_at, content FROM receipts WHERE tenant_id = $1 AND booking_id = $2",
            stx_.tenant_id(),
            booking_id
        )
    );
    if (rows.empty()) return std::optional<ReceiptRow>();
    const auto& r = rows.front();
    return std::optional<ReceiptRow>(ReceiptRow{
        r.i64("number"),
        r.id<BookingId>("booking_id"),
        from_micros(r.i64("issued_at")),
        r.text("content")});
}

Result<std::int64_t> ReceiptStore::issue(
    BookingId booking_id, const std::string& content, Instant now
) {
    // One statement takes the next number: concurrent issuers of a tenant wait on its row.
    YOYAKU_TRY_ASSIGN(
        const auto next,
        stx_.tx().query(
            "INSERT INTO receipt_numbers(tenant_id, last_number) VALUES ($1, 1) ON CONFLICT (tenant_id) DO UPDATE SET last_number = receipt_numbers.last_number + 1 RETURNING last_number",
            stx_.tenant_id()
        )
    );
    const auto number = next.front().i64("last_number");
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO receipts(tenant_id, number, booking_id, issued_at, content) VALUES ($1, $2, $3, $4, $5)",
        stx_.tenant_id(),
        number,
        booking_id,
        to_micros(now),
        content
    ));
    return number;
}

Result<std::vector<std::int64_t>> ReceiptStore::numbers() {
    YOYAKU_TRY_ASSIGN(
        const auto rows,
        stx_.tx().query(
            "SELECT number FROM receipts WHERE tenant_id = $1 ORDER BY number", stx_.tenant_id()
        )
    );
    std::vector<std::int64_t> out;
    for (const auto& r : rows) out.push_back(r.i64("number"));
    return out;
}

}  // namespace yoyaku::payments
