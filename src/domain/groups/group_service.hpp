#pragma once
// Registered groups (利用団体, issue 27, ADR 0024): a customer registers an organisation with
// documents (sealed), staff approve it with a user class for a year or reject it, the customer
// renews it; bookings and room lottery applications made as an approved group take its class.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/keyring.hpp"
#include "domain/audit/audit.hpp"
#include "domain/groups/group.hpp"
#include "storage/database.hpp"

namespace yoyaku::groups {

/// Checks and normalises a registration. Errors: invalid_input naming the field (name,
/// details.representative, details.phone, details.address, details.members[i], member_count).
Result<NewGroup> check(NewGroup in);

/// The class a booking made by `account` as `group` takes at `now` (none: the group has none).
/// Errors: invalid_input on group_id unless the group is the account's and approved until
/// after `now`.
Result<std::optional<UserClassId>> class_for_booking(
    storage::ScopedTx& stx, AccountId account, GroupId group, Instant now
);

/// Every call is one transaction in the tenant's scope; changes are audited (group.registered,
/// group.document_added, group.approved, group.rejected, group.renewal_requested). Blocking.
class GroupService {
public:
    GroupService(storage::Database& db, crypto::Keyring& keys, const Clock& clock)
        : db_(db), keys_(keys), clock_(clock) {}

    /// Registers a group of customer `account`, pending approval. Errors: invalid_input.
    Result<Group> register_group(
        TenantId tenant,
        AccountId account,
        const NewGroup& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The groups of `account` (none: every group, of `status` when given), newest first.
    Result<std::vector<Group>> list(
        TenantId tenant, std::optional<AccountId> account, std::optional<std::string> status
    );
    /// A group with its details and documents; `owner` when a customer asks (another's is
    /// not_found).
    Result<Group> find(TenantId tenant, GroupId id, std::optional<AccountId> owner);
    /// Attaches a document (PDF, PNG or JPEG by its bytes, at most 700 KiB, ten per group),
    /// sealed. Errors: invalid_input (filename, content_type, data), not_found, unprocessable
    /// (ten already).
    Result<GroupDocument> add_document(
        TenantId tenant,
        AccountId owner,
        GroupId id,
        const std::string& filename,
        const std::string& content_type,
        const std::string& bytes,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// A document and its bytes, opened. Errors: not_found.
    Result<std::pair<GroupDocument, std::string>> document(
        TenantId tenant, GroupId id, GroupDocumentId doc, std::optional<AccountId> owner
    );
    /// Approves a pending group for a year from now or from its current expiry, whichever is
    /// later, in `user_class` (none: no class), or rejects it. Errors: not_found, invalid_input
    /// (user_class_id, note), unprocessable (not pending).
    Result<Group> decide(
        TenantId tenant,
        GroupId id,
        bool approve,
        std::optional<UserClassId> user_class,
        const std::string& note,
        const audit::Actor& actor,
        const audit::Origin& origin
    );
    /// The customer asks for another year (with new details, when given): pending again; an
    /// approval still running keeps counting until staff decide. Errors: not_found,
    /// invalid_input, unprocessable (pending already).
    Result<Group> renew(
        TenantId tenant,
        AccountId owner,
        GroupId id,
        const std::optional<NewGroup>& in,
        const audit::Actor& actor,
        const audit::Origin& origin
    );

private:
    storage::Database& db_;
    crypto::Keyring& keys_;
    const Clock& clock_;
};

}  // namespace yoyaku::groups
