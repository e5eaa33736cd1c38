#pragma once
// The `customer_groups` and `group_documents` tables, the slice's only SQL.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/groups/group.hpp"
#include "storage/database.hpp"
#include "storage/sealed_column.hpp"

namespace yoyaku::groups {

/// A group's row before its details are opened.
struct GroupRow {
    Group group;  ///< details empty
    std::string details_sealed;
};

/// Reads and writes one tenant's groups inside the caller's transaction.
class GroupStore {
public:
    explicit GroupStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The representative, contact and members (JSON).
    static constexpr storage::SealedColumn kDetails{
        "customer_groups", "details_sealed", "details", storage::SealedIndex::none};
    /// A document's bytes.
    static constexpr storage::SealedColumn kBody{
        "group_documents", "body_sealed", "body", storage::SealedIndex::none};

    Result<GroupId> insert(AccountId account, const NewGroup& g, Instant now);
    Result<void> update_details_sealed(GroupId id, const std::string& sealed);
    /// A renewal's new name and member count.
    Result<void> update_registration(GroupId id, const NewGroup& g);
    /// Errors: not_found.
    Result<GroupRow> find(GroupId id);
    /// Every group (of one status, of one account, when given), newest first.
    Result<std::vector<GroupRow>> list(
        std::optional<std::string> status, std::optional<AccountId> account
    );
    /// Approves (with a class and an expiry) or rejects a pending group; false when it is not
    /// pending.
    Result<bool> update_decision(
        GroupId id,
        bool approve,
        std::optional<UserClassId> user_class,
        std::optional<Instant> expires_at,
        const std::string& note,
        Instant now
    );
    /// Asks again: an approved or rejected group turns pending (its expiry kept).
    Result<bool> update_renewal(GroupId id, Instant now);

    Result<std::vector<GroupDocument>> list_documents(GroupId id);
    Result<GroupDocumentId> insert_document(GroupId id, const GroupDocument& d, Instant now);
    Result<void> update_document_sealed(GroupDocumentId id, const std::string& sealed);
    /// The document's row and sealed bytes. Errors: not_found.
    Result<std::pair<GroupDocument, std::string>> find_document(GroupId id, GroupDocumentId doc);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::groups
