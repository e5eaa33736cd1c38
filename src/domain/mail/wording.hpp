#pragma once
// A tenant's own wording of its mails: any built-in template (message × language) may be
// replaced by the tenant's text; mail::render(tx, tenant, …) uses it, and removing it brings
// the built-in one back. Changes are audited.

#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/audit/audit.hpp"
#include "storage/database.hpp"

namespace yoyaku::mail {

struct Wording {
    std::string name;    ///< "booking_confirmed"
    std::string locale;  ///< "ja" or "en"
    std::string body;    ///< the text in use: the tenant's, or the built-in one
    bool custom = false;
    std::string built_in;  ///< the shipped text
};

/// Every message in both languages, in name order.
Result<std::vector<Wording>> wordings(storage::Database& db, TenantId tenant);
/// Sets the tenant's text of `name` in `locale`. Errors: not_found (no such message),
/// invalid_input on "body" (see check_template).
Result<Wording> set_wording(
    storage::Database& db,
    TenantId tenant,
    std::string_view name,
    std::string_view locale,
    std::string_view body,
    const audit::Actor& actor,
    const audit::Origin& origin,
    Instant now
);
/// Back to the built-in text. Errors: not_found.
Result<Wording> reset_wording(
    storage::Database& db,
    TenantId tenant,
    std::string_view name,
    std::string_view locale,
    const audit::Actor& actor,
    const audit::Origin& origin,
    Instant now
);

}  // namespace yoyaku::mail
