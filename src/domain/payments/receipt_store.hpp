#pragma once
// The `receipts` table (one receipt per paid booking, its content as issued) and the
// `receipt_numbers` counter that numbers a tenant's receipts without gaps: the number is
// taken in the transaction that stores the receipt, so a rollback gives it back.

#include <optional>
#include <string>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::payments {

struct ReceiptRow {
    std::int64_t number = 0;
    BookingId booking_id;
    Instant issued_at{};
    std::string content;
};

class ReceiptStore {
public:
    explicit ReceiptStore(storage::ScopedTx& stx) : stx_(stx) {}

    Result<std::optional<ReceiptRow>> find_of_booking(BookingId booking_id);
    /// Stores the receipt of `booking_id` under the tenant's next number and returns it.
    /// Errors: conflict when the booking has one already.
    Result<std::int64_t> issue(BookingId booking_id, const std::string& content, Instant now);
    /// Every number issued, ascending (a tenant's receipts have no gaps).
    Result<std::vector<std::int64_t>> numbers();

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::payments
