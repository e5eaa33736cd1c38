#pragma once
// The customer of a booking, waitlist or lottery entry: checked, sealed, opened, proved.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/keyring.hpp"
#include "domain/bookings/bookings.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::bookings::detail {

struct Sealed {
    Customer customer;
    std::string note;
    std::map<std::string, std::string> answers;
};

std::string sealed_text(const Sealed& s);
/// The sealing context of booking `id`'s customer.
std::string customer_context(TenantId tenant, BookingId id);
/// A customer sealed in row `id` of `column`'s table (waitlist_entries, lottery_entries),
/// under the context of that column.
std::string seal_customer_row(
    const crypto::TenantKeys& keys,
    TenantId tenant,
    const storage::SealedColumn& column,
    std::int64_t row,
    const Customer& c
);
template <class Tag>
std::string seal_customer(
    const crypto::TenantKeys& keys,
    TenantId tenant,
    const storage::SealedColumn& column,
    Id<Tag> id,
    const Customer& c
) {
    return seal_customer_row(keys, tenant, column, id.value, c);
}
/// The customer sealed in row `id` of `column`. Errors: internal (does not open, garbled).
Result<Customer> open_customer_row(
    const crypto::TenantKeys& keys,
    const std::string& sealed,
    TenantId tenant,
    const storage::SealedColumn& column,
    std::int64_t row
);
template <class Tag>
Result<Customer> open_customer(
    const crypto::TenantKeys& keys,
    const std::string& sealed,
    TenantId tenant,
    const storage::SealedColumn& column,
    Id<Tag> id
) {
    return open_customer_row(keys, sealed, tenant, column, id.value);
}
/// A customer's name, address and phone checked and normalised (fields customer.*).
Result<Customer> check_customer(const Customer& c);
/// 10 characters of Crockford base32 (50 random bits).
std::string new_reference();
/// The customer's details and answers to `o`'s questions, checked (fields customer.*, note,
/// answers.*).
Result<Sealed> check_details(const Offering& o, const NewBooking& in);
/// The key of a booking's signed link (in every booking mail, issue 24): a MAC of its reference
/// under the tenant's index key, 32 hex characters; nobody without the tenant's key makes one.
std::string link_key(const crypto::SecretKey& index_key, std::string_view reference);
/// The key of the mailed link that confirms a guest's waitlist entry or lottery application
/// (`what`: "waitlist" or "lottery"), made like a booking link's under its own label.
std::string confirm_key(
    const crypto::SecretKey& index_key, std::string_view what, std::string_view reference
);
/// Whether `key` is that link's key under the tenant's current or an earlier key generation.
bool confirms(
    std::string_view key,
    std::string_view what,
    std::string_view reference,
    const crypto::TenantKeys& keys
);
/// Whether `who` may act on `b` (staff, its account, its email address, or its link's key
/// under the tenant's current or an earlier key generation).
bool proves(const Booking& b, const Requester& who, const crypto::TenantKeys& keys);

}  // namespace yoyaku::bookings::detail
