#include "domain/accounts/security_policy.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "domain/accounts/account_service.hpp"
#include "domain/tenants/tenant_setting_store.hpp"

namespace yoyaku::accounts {
namespace {

using storage::Tx;

struct Limits {
    std::int64_t min;
    std::int64_t max;
};

}  // namespace

const SecurityPolicy::Timeouts& SecurityPolicy::for_role(access::Role r) const noexcept {
    switch (r) {
        case access::Role::operator_:
            return operator_;
        case access::Role::manager:
            return manager;
        case access::Role::staff:
            return staff;
        default:
            return customer;
    }
}

Result<SecurityPolicy> load_policy(Tx& tx, TenantId tenant) {
    SecurityPolicy p;
    if (tenant == kPlatform) return p;
    storage::ScopedTx stx(tx, storage::TenantScope(tenant));
    YOYAKU_TRY_ASSIGN(const auto settings, tenants::TenantSettingStore(stx).list());
    for (const auto& setting : settings) {
        const std::string& key = setting.key;
        const std::string& text = setting.value;
        if (!key.starts_with("session.") && !key.starts_with("lockout.") &&
            !key.starts_with("mfa.") && key != "access.staff_networks")
            continue;
        if (key == "access.staff_networks") {
            YOYAKU_TRY_ASSIGN(auto networks, parse_networks(text));
            p.staff_networks = std::move(networks);
            continue;
        }
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc{} || end != text.data() + text.size()) continue;
        const std::chrono::minutes m(v);
        for (auto [name, t] :
             {std::pair{"manager", &p.manager},
              std::pair{"staff", &p.staff},
              std::pair{"customer", &p.customer}}) {
            if (key == std::string("session.") + name + ".idle_minutes") t->idle = m;
            if (key == std::string("session.") + name + ".absolute_minutes") t->absolute = m;
        }
        if (key == "lockout.threshold") p.lockout_threshold = static_cast<int>(v);
        if (key == "lockout.minutes") p.lockout_duration = m;
        if (key == "mfa.staff_required") p.mfa_for_staff = v != 0;
    }
    return p;
}

Result<std::vector<net::Cidr>> parse_networks(std::string_view text) {
    std::vector<net::Cidr> out;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto end = text.find_first_of(", \n", i);
        const auto item = text.substr(i, end == std::string_view::npos ? end : end - i);
        i = end == std::string_view::npos ? text.size() : end + 1;
        if (item.empty()) continue;
        auto cidr = net::parse_cidr(item);
        if (!cidr)
            return Error::invalid(
                "access.staff_networks", "\"" + std::string(item) + "\" is not an address range"
            );
        out.push_back(*cidr);
    }
    if (out.size() > 50) return Error::invalid("access.staff_networks", "at most 50 ranges");
    return out;
}

std::string networks_text(const std::vector<net::Cidr>& networks) {
    std::string text;
    for (const auto& n : networks) text += (text.empty() ? "" : ", ") + net::to_string(n);
    return text;
}

Result<void> store_staff_networks(
    Tx& tx,
    TenantId tenant,
    const std::vector<net::Cidr>& networks,
    std::string_view caller,
    Instant at
) {
    SecurityPolicy p;
    p.staff_networks = networks;
    if (!p.admits(access::Role::manager, caller))
        return Error::invalid(
            "access.staff_networks",
            "your own address (" + std::string(caller) +
                ") is in none of them: add it, or you could not sign in again"
        );
    const std::string text = networks_text(networks);
    storage::ScopedTx stx(tx, storage::TenantScope(tenant));
    tenants::TenantSettingStore settings(stx);
    if (!text.empty()) return settings.upsert("access.staff_networks", text, at);
    YOYAKU_TRY(settings.remove("access.staff_networks"));
    return {};
}

bool SecurityPolicy::admits(access::Role role, std::string_view address) const {
    if (staff_networks.empty()) return true;
    if (role != access::Role::manager && role != access::Role::staff) return true;
    const auto a = net::parse_address(address);
    if (!a) return false;
    return std::any_of(staff_networks.begin(), staff_networks.end(), [&](const net::Cidr& c) {
        return c.contains(*a);
    });
}

Result<void> store_policy_setting(
    Tx& tx, TenantId tenant, std::string_view key, std::int64_t value, Instant at
) {
    const std::string k(key);
    Limits limits{0, 0};
    bool known = false;
    for (const char* role : {"manager", "staff", "customer"}) {
        if (k == std::string("session.") + role + ".idle_minutes") {
            limits = {5, 30 * 24 * 60};
            known = true;
        }
        if (k == std::string("session.") + role + ".absolute_minutes") {
            limits = {5, 90 * 24 * 60};
            known = true;
        }
    }
    if (k == "lockout.threshold") limits = {3, 50}, known = true;
    if (k == "lockout.minutes") limits = {1, 24 * 60}, known = true;
    if (k == "mfa.staff_required") limits = {0, 1}, known = true;
    if (!known) return Error::invalid(k, "is not a security setting");
    if (value < limits.min || value > limits.max)
        return Error::invalid(
            k,
            "must be between " + std::to_string(limits.min) + " and " + std::to_string(limits.max)
        );
    {
        storage::ScopedTx stx(tx, storage::TenantScope(tenant));
        YOYAKU_TRY(tenants::TenantSettingStore(stx).upsert(k, std::to_string(value), at));
    }
    YOYAKU_TRY_ASSIGN(auto policy, load_policy(tx, tenant));
    for (auto* t : {&policy.manager, &policy.staff, &policy.customer})
        if (t->absolute < t->idle)
            return Error::invalid(k, "the absolute timeout must not be shorter than the idle one");
    return {};
}

}  // namespace yoyaku::accounts
