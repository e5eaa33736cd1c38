#pragma once
// Tenants (契約者): the businesses and public bodies that use the platform. A tenant has a
// short unique code (its public URL /t/{code}), a name, a time zone (default Asia/Tokyo), a
// locale (ja or en) and a status: active, suspended (read-only) or terminated (export only).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "domain/audit/audit.hpp"
#include "storage/database.hpp"

namespace yoyaku::tenants {

enum class Status { active, suspended, terminated };
std::string_view to_string(Status s) noexcept;
std::optional<Status> parse_status(std::string_view s) noexcept;

struct Tenant {
    TenantId id;
    std::string code;
    std::string name;
    std::string time_zone;
    std::string locale;
    Status status = Status::active;
    Instant created_at;
};

struct NewTenant {
    std::string code;
    std::string name;
    std::string time_zone = "Asia/Tokyo";
    std::string locale = "ja";
};

/// Checks and normalises (name to NFC, trimmed). Errors name the field: code (2–32 of a-z,
/// 0-9 and '-', not starting or ending with '-', not reserved), name (1–200 characters, no
/// control characters), time_zone (an IANA zone), locale (ja or en).
Result<NewTenant> validate(NewTenant t);

/// Use cases on tenants. Each change writes its audit entries in the same transaction.
class TenantService {
public:
    TenantService(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    /// Creates an active tenant. Audit: "tenant.created" on the platform chain and as the
    /// first entry of the tenant's own chain. Errors: invalid_input (field), conflict (code taken).
    /// `also` runs in the same transaction, bound to the new tenant (its first manager): when
    /// it fails, no tenant is created.
    Result<Tenant> create(
        const NewTenant& t,
        const audit::Actor& actor,
        const audit::Origin& origin,
        const std::function<Result<void>(storage::Tx&, const Tenant&)>& also = {}
    );
    /// Errors: not_found.
    Result<Tenant> find_by_code(std::string_view code);
    Result<Tenant> find_by_id(TenantId id);
    Result<std::vector<Tenant>> list();
    /// Suspends, reactivates or terminates. Terminated is final. Audit on the tenant's chain:
    /// "tenant.suspended" / "tenant.reactivated" / "tenant.terminated" with the reason.
    /// Errors: not_found; unprocessable for a change out of a terminated tenant; invalid_input
    /// (field "reason") when the reason is empty or over 500 characters.
    Result<Tenant> change_status(
        TenantId id,
        Status to,
        std::string_view reason,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace yoyaku::tenants
