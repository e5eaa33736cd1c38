// The daily reconciliation with the provider (reconciliation.hpp).

#include "domain/payments/reconciliation.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "domain/mail/mail.hpp"
#include "domain/payments/payment_service.hpp"
#include "domain/payments/payment_store.hpp"
#include "domain/payments/reconciliation_store.hpp"
#include "domain/resources/resources.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::payments {

using storage::ScopedTx;
using namespace std::chrono;

namespace {

const audit::Actor kDaily{"reconciliation", "system"};

boost::json::array mismatches_json(const std::vector<Mismatch>& ms) {
    boost::json::array out;
    for (const auto& m : ms)
        out.push_back(
            {{"kind", m.kind},
             {"provider_id", m.provider_id},
             {"payment_ref", m.payment_ref},
             {"reference", m.reference},
             {"yoyaku_jpy", m.yoyaku_jpy},
             {"provider_jpy", m.provider_jpy}}
        );
    return out;
}

std::vector<Mismatch> mismatches_from(const std::string& text) {
    std::vector<Mismatch> out;
    boost::system::error_code ec;
    const auto v = boost::json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& x : v.get_array()) {
        const auto& o = x.as_object();
        const auto str = [&](const char* k) { return std::string(o.at(k).as_string()); };
        out.push_back(
            {str("kind"),
             str("provider_id"),
             str("payment_ref"),
             str("reference"),
             o.at("yoyaku_jpy").as_int64(),
             o.at("provider_jpy").as_int64()}
        );
    }
    return out;
}

// One line per mismatch for the managers' mail.
std::string details(const std::vector<Mismatch>& ms) {
    std::string out;
    for (const auto& m : ms)
        out += fmt::format(
            "- {} {} {} (Yoyaku {} / provider {})\n",
            m.kind,
            m.reference.empty() ? "-" : m.reference,
            m.payment_ref.empty() ? m.provider_id : m.payment_ref,
            m.yoyaku_jpy,
            m.provider_jpy
        );
    return out;
}

}  // namespace

Result<Reconciliation> Reconciler::compare(TenantId tenant, year_month_day day) {
    YOYAKU_TRY_ASSIGN(
        const auto zone,
        db_.read(
            storage::TenantScope(tenant),
            [](ScopedTx& stx) -> Result<std::string> {
                YOYAKU_TRY_ASSIGN(const auto t, tenants::TenantStore(stx).find_profile());
                return t.time_zone;
            }
        )
    );
    const Instant from = from_local(local_days(day), zone);
    const Instant to = from_local(local_days(day) + days(1), zone);
    Reconciliation r{day, "ok", 0, {}, {}, clock_.now()};
    if (to > r.ran_at) return Error{Errc::unprocessable, "the day is not over yet", "date", {}};
    YOYAKU_TRY_ASSIGN(const auto keys, tenant_credentials(db_, keys_, tenant));
    auto theirs = provider_.balance(keys, from - kReconcileMargin, to + kReconcileMargin);
    if (!theirs) {
        r.state = "failed";
        r.problem = theirs.error().message;
        return r;
    }
    YOYAKU_TRY_ASSIGN(const auto ours, db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return PaymentStore(stx).list_settled(from - kReconcileMargin, to + kReconcileMargin);
    }));
    for (const auto& t : *theirs)
        if ((t.type == "charge" || t.type == "refund") && t.created >= from && t.created < to)
            ++r.checked;
    r.mismatches = reconcile(*theirs, ours, from, to);
    if (!r.mismatches.empty()) r.state = "mismatch";
    return r;
}

Result<void> Reconciler::keep(
    TenantId tenant, const Reconciliation& r, const audit::Actor& actor, const audit::Origin& origin
) {
    // Managers hear of a mismatch by mail (in their language).
    std::vector<accounts::Account> managers;
    if (r.state == "mismatch") {
        YOYAKU_TRY_ASSIGN(managers, accounts_.list(tenant, access::Role::manager));
    }
    const auto day = resources::format_date(r.day);
    const auto mismatches = boost::json::serialize(mismatches_json(r.mismatches));
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY(ReconciliationStore(stx).upsert(
            {day, r.state, r.checked, mismatches, r.problem, r.ran_at}
        ));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {r.state == "ok" ? "payments.reconciled" : "payments.reconciliation_" + r.state,
             "reconciliation:" + day,
             r.state == "failed" ? "failure" : "success",
             boost::json::serialize(boost::json::object{
                 {"checked", r.checked}, {"mismatches", r.mismatches.size()}})},
            r.ran_at
        ));
        YOYAKU_TRY_ASSIGN(const auto t, tenants::TenantStore(stx).find_profile());
        for (const auto& m : managers) {
            if (m.status != accounts::Status::active) continue;
            YOYAKU_TRY_ASSIGN(
                auto mail,
                mail::render(
                    stx.tx(),
                    tenant,
                    "reconciliation_mismatch",
                    m.locale.empty() ? t.locale : m.locale,
                    {{"tenant_name", t.name},
                     {"day", day},
                     {"count", std::to_string(r.mismatches.size())},
                     {"details", details(r.mismatches)}},
                    m.email
                )
            );
            YOYAKU_TRY(mail::enqueue(
                stx.tx(),
                keys_,
                tenant,
                "payments.reconciliation",
                mail,
                r.ran_at,
                "reconciliation:" + day
            ));
        }
        return {};
    });
}

Result<Reconciliation> Reconciler::run(
    TenantId tenant, year_month_day day, const audit::Actor& actor, const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(auto r, compare(tenant, day));
    YOYAKU_TRY(keep(tenant, r, actor, origin));
    return r;
}

Result<int> Reconciler::run_all() {
    YOYAKU_TRY_ASSIGN(const auto tenants, db_.read_platform([](storage::Tx& tx) {
        return tenants::list_active_tenants(tx);
    }));
    int mismatched = 0;
    for (const auto tenant : tenants) {
        if (!tenant_credentials(db_, keys_, tenant)) continue;  // takes no online payments
        YOYAKU_TRY_ASSIGN(
            const auto zone,
            db_.read(
                storage::TenantScope(tenant),
                [](ScopedTx& stx) -> Result<std::string> {
                    YOYAKU_TRY_ASSIGN(const auto t, tenants::TenantStore(stx).find_profile());
                    return t.time_zone;
                }
            )
        );
        const year_month_day yesterday{floor<days>(to_local(clock_.now(), zone)) - days(1)};
        // Once a day: a node restarting later the same day does not mail the managers again.
        YOYAKU_TRY_ASSIGN(
            const auto last,
            db_.read(
                storage::TenantScope(tenant),
                [](ScopedTx& stx) { return ReconciliationStore(stx).recent(1); }
            )
        );
        if (!last.empty() && last.front().day == resources::format_date(yesterday) &&
            last.front().state != "failed")
            continue;
        YOYAKU_TRY_ASSIGN(const auto r, run(tenant, yesterday, kDaily, {}));
        if (r.state == "mismatch") ++mismatched;
    }
    return mismatched;
}

Result<std::vector<Reconciliation>> Reconciler::recent(TenantId tenant, int limit) {
    YOYAKU_TRY_ASSIGN(const auto rows, db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) {
        return ReconciliationStore(stx).recent(limit);
    }));
    std::vector<Reconciliation> out;
    for (const auto& row : rows) {
        const auto day = resources::parse_date(row.day);
        if (!day) continue;
        out.push_back(
            {*day,
             row.state,
             static_cast<int>(row.checked),
             mismatches_from(row.mismatches),
             row.problem,
             row.ran_at}
        );
    }
    return out;
}

}  // namespace yoyaku::payments
