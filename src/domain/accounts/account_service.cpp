#include "domain/accounts/account_service.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/account_store.hpp"
#include "domain/accounts/account_token_store.hpp"
#include "domain/accounts/session_store.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::accounts {
namespace {

using storage::ScopedTx;
using storage::Tx;

Result<Status> parse_status(std::string_view s) {
    if (s == "active") return Status::active;
    if (s == "disabled") return Status::disabled;
    return Error::internal("unknown account status in the database");
}

std::string details(const boost::json::object& o) {
    return boost::json::serialize(o);
}

}  // namespace

std::string_view to_string(Status s) noexcept {
    return s == Status::active ? "active" : "disabled";
}

Result<std::string> normalize_email(std::string_view email, std::string_view field) {
    const std::string f(field);
    auto trimmed = email;
    while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t'))
        trimmed.remove_prefix(1);
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t'))
        trimmed.remove_suffix(1);
    auto nfkc = text::to_nfkc(trimmed);
    if (!nfkc) return Error::invalid(f, "must be valid UTF-8");
    std::string e = std::move(*nfkc);
    for (char& c : e)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const auto at = e.rfind('@');
    bool ok = e.size() >= 3 && e.size() <= 254 && at != std::string::npos && at >= 1 && at <= 64 &&
              !text::has_control_chars(e);
    if (ok) {
        const std::string_view domain = std::string_view(e).substr(at + 1);
        ok = domain.find('.') != std::string_view::npos && domain.front() != '.' &&
             domain.back() != '.' && domain.find("..") == std::string_view::npos;
    }
    for (char c : e)
        ok = ok && c != ' ' && std::string_view("<>()[],;:\"\\").find(c) == std::string_view::npos;
    if (ok && e.find('@') != at) ok = false;
    if (!ok) return Error::invalid(f, "must be an email address such as name@example.jp");
    return e;
}

std::string account_target(AccountId id) {
    return "account:" + to_string(id);
}

std::optional<std::pair<TenantId, std::string>> split_token(std::string_view token) {
    const auto dot = token.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot > 18) return std::nullopt;
    std::int64_t id = -1;
    auto [end, ec] = std::from_chars(token.data(), token.data() + dot, id);
    if (ec != std::errc{} || end != token.data() + dot || id < 0) return std::nullopt;
    auto secret = token.substr(dot + 1);
    if (secret.size() != 64) return std::nullopt;
    for (char c : secret)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
    return std::pair{TenantId{id}, std::string(secret)};
}

Result<void> audit_in(
    Tx& tx,
    TenantId tenant,
    const audit::Actor& actor,
    const audit::Origin& origin,
    const audit::Event& event,
    Instant at
) {
    if (tenant == kPlatform) {
        YOYAKU_TRY(audit::append_platform(tx, actor, origin, event, at));
    } else {
        storage::ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY(audit::append(stx, actor, origin, event, at));
    }
    return {};
}

AccountService::AccountService(
    storage::Database& db,
    crypto::Keyring& keys,
    const crypto::PasswordHasher& hasher,
    const Clock& clock,
    AccountOptions options
)
    : db_(db), keys_(keys), hasher_(hasher), clock_(clock), options_(options) {}

Result<std::string> AccountService::email_index(TenantId tenant, std::string_view email) {
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(tenant));
    return crypto::blind_index(k.index, email);
}

Result<std::vector<std::string>> AccountService::email_indexes(
    TenantId tenant, std::string_view email
) {
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(tenant));
    return k.indexes(email);
}

Result<std::vector<Account>> AccountService::open_rows(
    TenantId tenant, const std::vector<AccountRow>& rows
) {
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(tenant));
    std::vector<Account> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
        Account a;
        a.id = r.id;
        a.tenant = r.tenant;
        a.role = access::parse_role(r.role).value_or(access::Role::customer);
        YOYAKU_TRY_ASSIGN(a.status, parse_status(r.status));
        auto email =
            k.open(r.email_sealed, crypto::field_context(tenant, "accounts", "email", a.id));
        auto name = k.open(r.name_sealed, crypto::field_context(tenant, "accounts", "name", a.id));
        if (!email || !name)
            return Error::internal(
                "a sealed account field does not open (row " + to_string(a.id) + ")"
            );
        a.email = std::move(*email);
        a.name = std::move(*name);
        a.has_password = r.has_password;
        a.failed_logins = r.failed_logins;
        a.locked_until = r.locked_until;
        if (r.locale) a.locale = *r.locale;
        a.created_at = r.created_at;
        a.last_login_at = r.last_login_at;
        a.email_verified = r.email_verified;
        out.push_back(std::move(a));
    }
    return out;
}

Result<Account> AccountService::load(Tx& tx, TenantId tenant, AccountId id) {
    ScopedTx stx(tx, storage::TenantScope(tenant));
    YOYAKU_TRY_ASSIGN(auto row, AccountStore(stx).find(id));
    if (!row) return Error::not_found("no such account");
    YOYAKU_TRY_ASSIGN(auto accounts, open_rows(tenant, {std::move(*row)}));
    return std::move(accounts.front());
}

Result<Created> AccountService::create(
    TenantId tenant, const NewAccount& input, const audit::Actor& actor, const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto p, prepare(tenant, input));
    return in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) {
        return insert(tx, tenant, p, actor, origin);
    });
}

Result<Created> AccountService::create(
    Tx& tx,
    TenantId tenant,
    const NewAccount& input,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto p, prepare(tenant, input));
    return insert(tx, tenant, p, actor, origin);
}

Result<AccountService::Prepared> AccountService::prepare(TenantId tenant, const NewAccount& input)
    const {
    using access::Role;
    const bool platform = tenant == kPlatform;
    if (platform != (input.role == Role::operator_) || input.role == Role::kiosk ||
        input.role == Role::anonymous)
        return Error::invalid(
            "role", platform ? "must be operator" : "must be manager, staff or customer"
        );
    YOYAKU_TRY_ASSIGN(auto email, normalize_email(input.email));
    auto name = text::check_line(input.name, 1, 100);
    if (!name.value) return Error::invalid("name", name.problem);
    std::optional<std::string> password_hash;
    if (input.password) {
        const auto at = email.find('@');
        YOYAKU_TRY_ASSIGN(
            auto pw, crypto::check_new_password(*input.password, {email.substr(0, at)})
        );
        YOYAKU_TRY_ASSIGN(password_hash, hasher_.hash(pw));
    }
    return Prepared{input.role, std::move(email), std::move(*name.value), std::move(password_hash)};
}

Result<Created> AccountService::insert(
    Tx& tx,
    TenantId tenant,
    const Prepared& p,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const bool platform = tenant == kPlatform;
    const auto& email = p.email;
    const auto& password_hash = p.password_hash;
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(tenant));
    const std::string index = crypto::blind_index(k.index, email);
    const Instant now = clock_.now();
    std::optional<std::string> token;
    auto account = [&]() -> Result<Account> {
        ScopedTx stx(tx, storage::TenantScope(tenant));
        if (!platform) YOYAKU_TRY(tenants::TenantStore(stx).find_profile());
        AccountStore accounts(stx);
        // The unique index sees the current generation's index; an account not yet re-indexed
        // after a key rotation has another one.
        if (!k.older.empty()) {
            YOYAKU_TRY_ASSIGN(const auto holders, accounts.list_by_email_index(k.indexes(email)));
            if (!holders.empty())
                return Error{Errc::conflict, "an account with this email exists", "email", {}};
        }
        YOYAKU_TRY_ASSIGN(
            const AccountId id,
            accounts.insert(
                {std::string(access::to_string(p.role)), index, password_hash, p.verified}, now
            )
        );
        // Sealed under the row's own id, so the INSERT comes first.
        YOYAKU_TRY(accounts.update_sealed(
            id,
            crypto::seal(k.seal, email, crypto::field_context(tenant, "accounts", "email", id)),
            crypto::seal(k.seal, p.name, crypto::field_context(tenant, "accounts", "name", id))
        ));
        if (!password_hash) {
            const std::string secret = crypto::random_hex(32);
            YOYAKU_TRY(AccountTokenStore(stx).insert(
                crypto::blake2b_256_hex(secret), id, "setup", now, now + options_.setup_token_ttl
            ));
            token = std::to_string(tenant.value) + "." + secret;
        }
        YOYAKU_TRY(audit_in(
            tx,
            tenant,
            actor,
            origin,
            {"account.created",
             account_target(id),
             "success",
             details({{"role", access::to_string(p.role)}, {"setup_link", !password_hash}})},
            now
        ));
        return load(tx, tenant, id);
    }();
    if (!account) return fail(std::move(account).error());
    return Created{std::move(*account), std::move(token)};
}

Result<Account> AccountService::find(TenantId tenant, AccountId id) {
    return in_scope(db_, storage::Access::read, tenant, [&](Tx& tx) {
        return load(tx, tenant, id);
    });
}

Result<std::vector<Account>> AccountService::list(
    TenantId tenant, std::optional<access::Role> role
) {
    return in_scope(
        db_,
        storage::Access::read,
        tenant,
        [&](Tx& tx) -> Result<std::vector<Account>> {
            ScopedTx stx(tx, storage::TenantScope(tenant));
            YOYAKU_TRY_ASSIGN(
                const auto rows,
                AccountStore(stx).list(
                    role ? std::optional<std::string>(access::to_string(*role)) : std::nullopt
                )
            );
            return open_rows(tenant, rows);
        }
    );
}

Result<void> AccountService::check_not_last_manager(Tx& tx, TenantId tenant, AccountId id) {
    ScopedTx stx(tx, storage::TenantScope(tenant));
    YOYAKU_TRY_ASSIGN(const auto others, AccountStore(stx).count_other_active_managers(id));
    if (others == 0)
        return Error{
            Errc::unprocessable, "the tenant must keep at least one active manager", "id", {}};
    return {};
}

Result<Account> AccountService::change_role(
    TenantId tenant,
    AccountId id,
    access::Role role,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    if (role != access::Role::manager && role != access::Role::staff)
        return Error::invalid("role", "must be manager or staff");
    const Instant now = clock_.now();
    return in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<Account> {
        auto a = load(tx, tenant, id);
        if (!a) return a;
        if (a->role != access::Role::manager && a->role != access::Role::staff)
            return Error{Errc::unprocessable, "only staff and managers change roles", "role", {}};
        if (a->role == role) return a;
        if (a->role == access::Role::manager) YOYAKU_TRY(check_not_last_manager(tx, tenant, id));
        ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY(AccountStore(stx).update_role(id, access::to_string(role)));
        YOYAKU_TRY(SessionStore(stx).remove_of_account(id));
        YOYAKU_TRY(audit_in(
            tx,
            tenant,
            actor,
            origin,
            {"account.role_changed",
             account_target(id),
             "success",
             details({{"from", access::to_string(a->role)}, {"to", access::to_string(role)}})},
            now
        ));
        a->role = role;
        return a;
    });
}

Result<Account> AccountService::change_status(
    TenantId tenant,
    AccountId id,
    Status status,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<Account> {
        auto a = load(tx, tenant, id);
        if (!a) return a;
        if (a->status == status) return a;
        if (status == Status::disabled && a->role == access::Role::manager)
            YOYAKU_TRY(check_not_last_manager(tx, tenant, id));
        ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY(AccountStore(stx).update_status(id, to_string(status)));
        if (status == Status::disabled) YOYAKU_TRY(SessionStore(stx).remove_of_account(id));
        YOYAKU_TRY(audit_in(
            tx,
            tenant,
            actor,
            origin,
            {status == Status::disabled ? "account.disabled" : "account.enabled",
             account_target(id)},
            now
        ));
        a->status = status;
        return a;
    });
}

Result<void> AccountService::remove(
    TenantId tenant, AccountId id, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<void> {
        auto a = load(tx, tenant, id);
        if (!a) return fail(std::move(a).error());
        if (a->role == access::Role::manager && a->status == Status::active)
            YOYAKU_TRY(check_not_last_manager(tx, tenant, id));
        ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY(AccountStore(stx).remove(id));
        YOYAKU_TRY(audit_in(
            tx,
            tenant,
            actor,
            origin,
            {"account.deleted",
             account_target(id),
             "success",
             details({{"role", access::to_string(a->role)}})},
            now
        ));
        return {};
    });
}

Result<Account> AccountService::unlock(
    TenantId tenant, AccountId id, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<Account> {
        auto a = load(tx, tenant, id);
        if (!a) return a;
        ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY(AccountStore(stx).clear_failures(id));
        YOYAKU_TRY(
            audit_in(tx, tenant, actor, origin, {"account.unlocked", account_target(id)}, now)
        );
        a->failed_logins = 0;
        a->locked_until.reset();
        return a;
    });
}

Result<void> check_locale(std::string_view locale) {
    if (locale.empty() || locale == "ja" || locale == "en") return {};
    return Error::invalid("locale", "must be ja or en");
}

Result<Account> AccountService::update_profile(
    TenantId tenant,
    AccountId id,
    std::optional<std::string_view> name,
    std::optional<std::string_view> locale,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    std::optional<std::string> checked_name;
    if (name) {
        auto checked = text::check_line(*name, 1, 100);
        if (!checked.value) return Error::invalid("name", checked.problem);
        checked_name = std::move(*checked.value);
    }
    if (locale) YOYAKU_TRY(check_locale(*locale));
    YOYAKU_TRY_ASSIGN(auto k, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<Account> {
        auto a = load(tx, tenant, id);
        if (!a) return a;
        ScopedTx stx(tx, storage::TenantScope(tenant));
        AccountStore accounts(stx);
        if (checked_name) {
            YOYAKU_TRY(accounts.update_name(
                id,
                crypto::seal(
                    k.seal, *checked_name, crypto::field_context(tenant, "accounts", "name", id)
                )
            ));
            a->name = std::move(*checked_name);
        }
        if (locale) {
            YOYAKU_TRY(accounts.update_locale(
                id, locale->empty() ? std::nullopt : std::optional<std::string>(*locale)
            ));
            a->locale = std::string(*locale);
        }
        YOYAKU_TRY(audit_in(
            tx, tenant, actor, origin, {"account.profile_changed", account_target(id)}, now
        ));
        return a;
    });
}

Result<Account> AccountService::redeem_password_token(
    std::string_view token, std::string_view new_password, const audit::Origin& origin
) {
    const Error bad = Error::invalid("token", "this link is not valid or has expired");
    auto parts = split_token(token);
    if (!parts) return bad;
    const auto tenant = parts->first;
    const auto secret = parts->second;
    const Instant now = clock_.now();
    // The policy check needs the email, so the token is read first; a refused password leaves
    // the token unused.
    auto owner = in_scope(db_, storage::Access::read, tenant, [&](Tx& tx) -> Result<Account> {
        storage::ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY_ASSIGN(
            const auto id,
            AccountTokenStore(stx).find_live(
                crypto::blake2b_256_hex(secret), {"setup", "reset"}, now
            )
        );
        if (!id) return bad;
        return load(tx, tenant, *id);
    });
    if (!owner) {
        if (owner.error().code == Errc::not_found) return bad;
        return owner;
    }
    auto pw =
        crypto::check_new_password(new_password, {owner->email.substr(0, owner->email.find('@'))});
    if (!pw) return fail(std::move(pw).error());
    YOYAKU_TRY_ASSIGN(const std::string hash, hasher_.hash(*pw));
    return in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<Account> {
        // Claims the token atomically: of two concurrent uses, one changes the row.
        storage::ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY_ASSIGN(
            const bool used, AccountTokenStore(stx).use(crypto::blake2b_256_hex(secret), now)
        );
        if (!used) return bad;
        YOYAKU_TRY(AccountStore(stx).reset_password(owner->id, hash, now));
        YOYAKU_TRY(SessionStore(stx).remove_of_account(owner->id));
        YOYAKU_TRY(audit_in(
            tx,
            tenant,
            {account_target(owner->id), std::string(access::to_string(owner->role))},
            origin,
            {owner->has_password ? "account.password_reset" : "account.password_set",
             account_target(owner->id)},
            now
        ));
        if (owner->has_password)
            YOYAKU_TRY(alert(
                tx,
                *owner,
                "再設定リンクでパスワードを変更しました",
                "your password was reset with an emailed link",
                origin,
                now
            ));
        owner->has_password = true;
        return owner;
    });
}

Result<void> AccountService::replace_password(
    TenantId tenant,
    AccountId account_id,
    std::string_view current,
    std::string_view new_password,
    std::string_view keep_session,
    const audit::Origin& origin
) {
    auto account = find(tenant, account_id);
    if (!account) return fail(std::move(account).error());
    const Instant now = clock_.now();
    const audit::Actor self{
        account_target(account_id), std::string(access::to_string(account->role))};
    YOYAKU_TRY_ASSIGN(
        auto pw,
        crypto::check_new_password(
            new_password, {account->email.substr(0, account->email.find('@'))}
        )
    );
    if (pw == current) return Error::invalid("password", "must differ from the current password");
    YOYAKU_TRY_ASSIGN(const std::string hash, hasher_.hash(pw));
    return in_scope(db_, storage::Access::write, tenant, [&](Tx& tx) -> Result<void> {
        ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY(AccountStore(stx).update_password(account_id, hash, now));
        YOYAKU_TRY(SessionStore(stx).remove_of_account(account_id, std::string(keep_session)));
        YOYAKU_TRY(audit_in(
            tx, tenant, self, origin, {"account.password_changed", account_target(account_id)}, now
        ));
        return alert(
            tx, *account, "パスワードを変更しました", "your password was changed", origin, now
        );
    });
}

}  // namespace yoyaku::accounts
