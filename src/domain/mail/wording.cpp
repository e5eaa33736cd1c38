#include "domain/mail/wording.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "domain/mail/mail.hpp"
#include "domain/mail/mail_template_store.hpp"

namespace yoyaku::mail {
namespace {

using storage::ScopedTx;

// The platform's own messages (operators' notices to managers): not a tenant's to reword.
bool platform_message(std::string_view name) {
    return name == "notice" || name == "monitor_alert";
}

Result<void> known(std::string_view name, std::string_view locale) {
    if ((locale != "ja" && locale != "en") || built_in(name, locale).empty() ||
        platform_message(name))
        return Error::not_found("no such message");
    return {};
}

Result<Wording> one(ScopedTx& stx, std::string_view name, std::string_view locale) {
    Wording w{
        std::string(name), std::string(locale), {}, false, std::string(built_in(name, locale))};
    YOYAKU_TRY_ASSIGN(const auto own, MailTemplateStore(stx).find(w.name, w.locale));
    w.custom = own.has_value();
    w.body = own.value_or(w.built_in);
    return w;
}

std::string details(std::string_view name, std::string_view locale, std::size_t length) {
    return boost::json::serialize(boost::json::object{
        {"message", name}, {"locale", locale}, {"length", length}});
}

}  // namespace

Result<std::vector<Wording>> wordings(storage::Database& db, TenantId tenant) {
    return db.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<Wording>> {
            std::vector<Wording> out;
            auto names = template_names();
            std::sort(names.begin(), names.end());
            for (const auto& key : names) {
                const auto dot = key.rfind('.');
                if (platform_message(key.substr(0, dot))) continue;
                YOYAKU_TRY_ASSIGN(auto w, one(stx, key.substr(0, dot), key.substr(dot + 1)));
                out.push_back(std::move(w));
            }
            return out;
        }
    );
}

Result<Wording> set_wording(
    storage::Database& db,
    TenantId tenant,
    std::string_view name,
    std::string_view locale,
    std::string_view body,
    const audit::Actor& actor,
    const audit::Origin& origin,
    Instant now
) {
    YOYAKU_TRY(known(name, locale));
    YOYAKU_TRY(check_template(body));
    return db.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Wording> {
        YOYAKU_TRY(MailTemplateStore(stx).upsert(
            std::string(name), std::string(locale), std::string(body), now
        ));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"mail_template.updated",
             "mail_template:" + std::string(name) + "." + std::string(locale),
             "success",
             details(name, locale, body.size())},
            now
        ));
        return one(stx, name, locale);
    });
}

Result<Wording> reset_wording(
    storage::Database& db,
    TenantId tenant,
    std::string_view name,
    std::string_view locale,
    const audit::Actor& actor,
    const audit::Origin& origin,
    Instant now
) {
    YOYAKU_TRY(known(name, locale));
    return db.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Wording> {
        YOYAKU_TRY(MailTemplateStore(stx).remove(std::string(name), std::string(locale)));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"mail_template.reset",
             "mail_template:" + std::string(name) + "." + std::string(locale),
             "success",
             details(name, locale, 0)},
            now
        ));
        return one(stx, name, locale);
    });
}

}  // namespace yoyaku::mail
