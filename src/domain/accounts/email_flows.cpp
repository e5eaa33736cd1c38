// What reaches an account's owner by mail: customer sign-up with a confirmation link, password
// reset links, and security alerts. Each mail is queued in the transaction of its change.

#include <boost/json.hpp>

#include "core/time.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/accounts/account_store.hpp"
#include "domain/accounts/account_token_store.hpp"
#include "domain/mail/mail.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::accounts {
namespace {

using storage::Tx;

// Who the mail comes from, in whose language and zone.
struct Letterhead {
    std::string name = "Yoyaku";
    std::string locale = "ja";
    std::string time_zone = "Asia/Tokyo";
    bool active = true;
    std::string code;  ///< empty for the platform
    /// Where the owner's pages are: the tenant's booking site, or the operator console.
    std::string pages(const std::string& public_url) const {
        return public_url + (code.empty() ? "/operator" : "/t/" + code);
    }
};

Result<Letterhead> letterhead(Tx& tx, TenantId tenant) {
    Letterhead h;
    if (tenant == kPlatform) return h;
    storage::ScopedTx stx(tx, storage::TenantScope(tenant));
    auto p = tenants::TenantStore(stx).find_profile();
    if (!p) {
        if (p.error().code == Errc::not_found) return Error::not_found("no such tenant");
        return fail(std::move(p).error());
    }
    return Letterhead{
        p->name, p->locale, p->time_zone, p->status == tenants::Status::active, p->code};
}

// A single-use emailed token: "<tenant>.<secret>" for the link; the database keeps the hash.
Result<std::string> issue_token(
    Tx& tx,
    TenantId tenant,
    AccountId account_id,
    std::string_view purpose,
    Instant now,
    std::chrono::seconds ttl
) {
    const std::string secret = crypto::random_hex(32);
    // Inserts nothing when the account does not exist (a reset for an unknown address runs
    // the same statement).
    storage::ScopedTx stx(tx, storage::TenantScope(tenant));
    YOYAKU_TRY(AccountTokenStore(stx).insert(
        crypto::blake2b_256_hex(secret), account_id, purpose, now, now + ttl, true
    ));
    return std::to_string(tenant.value) + "." + secret;
}

const audit::Actor kAnonymous{"anonymous", "anonymous"};

}  // namespace

Result<void> AccountService::sign_up(
    TenantId tenant, const SignUp& input, const audit::Origin& origin
) {
    if (tenant == kPlatform) return Error::invalid("tenant", "customers sign up with a tenant");
    YOYAKU_TRY(check_locale(input.locale));
    // Checked and hashed before anything is looked up: the same work for new and taken emails.
    YOYAKU_TRY_ASSIGN(
        auto p,
        prepare(
            tenant,
            {access::Role::customer,
             input.email,
             input.name,
             input.without_password ? std::nullopt : std::optional(input.password)}
        )
    );
    p.verified = false;
    const Instant now = clock_.now();
    return in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(auto head, letterhead(tx, tenant));
        if (!head.active)
            return Error{Errc::unprocessable, "this tenant takes no sign-ups now", {}, {}};
        YOYAKU_TRY_ASSIGN(auto indexes, email_indexes(tenant, p.email));
        storage::ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY_ASSIGN(
            const auto taken, AccountStore(stx).find_by_email_indexes(indexes, false)
        );
        if (taken) {
            const AccountId id = taken->id;
            // The mail goes to the account's owner: in their language.
            YOYAKU_TRY_ASSIGN(
                auto m,
                mail::render(
                    tx,
                    tenant,
                    "sign_up_existing",
                    taken->locale.value_or(head.locale),
                    {{"tenant_name", head.name},
                     {"sign_in_link", head.pages(options_.public_url) + "/me"}},
                    p.email
                )
            );
            YOYAKU_TRY(mail::enqueue(tx, keys_, tenant, "account.sign_up_repeated", m, now));
            return audit_in(
                tx,
                tenant,
                kAnonymous,
                origin,
                {"account.sign_up_repeated", account_target(id), "failure"},
                now
            );
        }
        YOYAKU_TRY_ASSIGN(auto created, insert(tx, tenant, p, kAnonymous, origin));
        const auto id = created.account.id;
        if (!input.locale.empty()) YOYAKU_TRY(AccountStore(stx).update_locale(id, input.locale));
        if (input.on_created) YOYAKU_TRY(input.on_created(stx, id));
        auto token = issue_token(tx, tenant, id, "verify", now, options_.verify_token_ttl);
        if (!token) return fail(std::move(token).error());
        YOYAKU_TRY_ASSIGN(
            auto m,
            mail::render(
                tx,
                tenant,
                "verify_email",
                input.locale.empty() ? head.locale : input.locale,
                {{"tenant_name", head.name},
                 {"name", p.name},
                 {"hours", std::to_string(options_.verify_token_ttl.count())},
                 {"link", head.pages(options_.public_url) + "/verify#token=" + *token}},
                p.email
            )
        );
        YOYAKU_TRY(mail::enqueue(tx, keys_, tenant, "account.verify_email", m, now));
        return audit_in(
            tx,
            tenant,
            {account_target(id), "customer"},
            origin,
            {"account.signed_up", account_target(id)},
            now
        );
    });
}

Result<Account> AccountService::verify_email(std::string_view token, const audit::Origin& origin) {
    const Error bad = Error::invalid("token", "this link is not valid or has expired");
    auto parts = split_token(token);
    if (!parts) return bad;
    const auto tenant = parts->first;
    const auto secret = parts->second;
    const Instant now = clock_.now();
    auto r = in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<Account> {
        storage::ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY_ASSIGN(
            const auto used,
            AccountTokenStore(stx).use_for(crypto::blake2b_256_hex(secret), "verify", now)
        );
        if (!used) return bad;
        const AccountId id = *used;
        YOYAKU_TRY(AccountStore(stx).update_email_verified(id, now));
        YOYAKU_TRY(audit_in(
            tx,
            tenant,
            {account_target(id), "customer"},
            origin,
            {"account.email_verified", account_target(id)},
            now
        ));
        return load(tx, tenant, id);
    });
    if (!r && r.error().code == Errc::not_found) return bad;
    return r;
}

Result<void> AccountService::request_password_reset(
    TenantId tenant, std::string_view email, const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto normalized, normalize_email(email));
    YOYAKU_TRY_ASSIGN(auto indexes, email_indexes(tenant, normalized));
    const Instant now = clock_.now();
    return in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(auto head, letterhead(tx, tenant));
        storage::ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY_ASSIGN(const auto owner, AccountStore(stx).find_by_email_indexes(indexes, true));
        // Both cases run the same statements (for an unknown address they change no row) and
        // render and queue one mail, so the answer's timing does not tell them apart.
        const bool known = owner.has_value();
        const AccountId id = known ? owner->id : AccountId(0);
        const std::string locale = known ? owner->locale.value_or(head.locale) : head.locale;
        // Only the newest link works.
        YOYAKU_TRY(AccountTokenStore(stx).update_unused_used(id, "reset", now));
        auto token = issue_token(tx, tenant, id, "reset", now, options_.reset_token_ttl);
        if (!token) return fail(std::move(token).error());
        YOYAKU_TRY_ASSIGN(
            auto m,
            known ? mail::render(
                        tx,
                        tenant,
                        "password_reset",
                        locale,
                        {{"tenant_name", head.name},
                         {"minutes", std::to_string(options_.reset_token_ttl.count())},
                         {"link", head.pages(options_.public_url) + "/reset#token=" + *token}},
                        normalized
                    )
                  : mail::render(
                        tx,
                        tenant,
                        "password_reset_unknown",
                        head.locale,
                        {{"tenant_name", head.name}},
                        normalized
                    )
        );
        YOYAKU_TRY(mail::enqueue(tx, keys_, tenant, "account.password_reset", m, now));
        return audit_in(
            tx,
            tenant,
            kAnonymous,
            origin,
            {"account.password_reset_requested",
             known ? account_target(id) : "account:unknown",
             known ? "success" : "failure"},
            now
        );
    });
}

Result<void> AccountService::alert(
    Tx& tx,
    const Account& account,
    std::string_view change_ja,
    std::string_view change_en,
    const audit::Origin& origin,
    Instant at
) {
    YOYAKU_TRY_ASSIGN(auto head, letterhead(tx, account.tenant));
    const std::string& locale = account.locale.empty() ? head.locale : account.locale;
    YOYAKU_TRY_ASSIGN(
        auto m,
        mail::render(
            tx,
            account.tenant,
            "security_alert",
            locale,
            {{"tenant_name", head.name},
             {"name", account.name},
             {"change_ja", std::string(change_ja)},
             {"change_en", std::string(change_en)},
             {"at", mail::format_local(at, head.time_zone, locale) + " (" + head.time_zone + ")"},
             {"client_address", origin.client_address}},
            account.email
        )
    );
    return mail::enqueue(tx, keys_, account.tenant, "account.security_alert", m, at);
}

}  // namespace yoyaku::accounts
