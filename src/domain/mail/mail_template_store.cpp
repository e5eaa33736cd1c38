#include "domain/mail/mail_template_store.hpp"

namespace yoyaku::mail {

Result<std::optional<std::string>> MailTemplateStore::find(
    const std::string& name, const std::string& locale
) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT body FROM mail_templates WHERE tenant_id = $1 AND name = $2 AND locale = $3",
            stx_.tenant_id(),
            name,
            locale
        )
    );
    if (rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(rows.front().text("body"));
}

Result<void> MailTemplateStore::upsert(
    const std::string& name, const std::string& locale, const std::string& body, Instant at
) {
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO mail_templates(tenant_id, name, locale, body, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, name, locale) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        stx_.tenant_id(),
        name,
        locale,
        body,
        to_micros(at)
    ));
    return {};
}

Result<void> MailTemplateStore::remove(const std::string& name, const std::string& locale) {
    YOYAKU_TRY(stx_.tx().exec(
        "DELETE FROM mail_templates WHERE tenant_id = $1 AND name = $2 AND locale = $3",
        stx_.tenant_id(),
        name,
        locale
    ));
    return {};
}

}  // namespace yoyaku::mail
