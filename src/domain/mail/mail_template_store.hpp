#pragma once
// The `mail_templates` table: a tenant's own wording of a message, by name and language.

#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::mail {

class MailTemplateStore {
public:
    explicit MailTemplateStore(storage::ScopedTx& stx) : stx_(stx) {}

    /// The tenant's wording of `name` in `locale`; nullopt: the built-in one applies.
    Result<std::optional<std::string>> find(const std::string& name, const std::string& locale);
    Result<void> upsert(
        const std::string& name, const std::string& locale, const std::string& body, Instant at
    );
    Result<void> remove(const std::string& name, const std::string& locale);

private:
    storage::ScopedTx& stx_;
};

}  // namespace yoyaku::mail
