// Setting the provider's balance against Yoyaku's records (reconciliation.hpp).

#include "domain/payments/reconcile.hpp"

#include <map>

namespace yoyaku::payments {

std::vector<Mismatch> reconcile(
    const std::vector<BalanceItem>& provider,
    const std::vector<Recorded>& yoyaku,
    Instant from,
    Instant to
) {
    const auto inside = [&](Instant t) { return t >= from && t < to; };
    // A charge is known by its payment, a refund by its own id.
    const auto key =
        [](const std::string& kind, const std::string& payment, const std::string& refund) {
            return kind == "refund" ? "refund:" + refund : "charge:" + payment;
        };
    std::map<std::string, const Recorded*> ours;
    for (const auto& r : yoyaku) ours[key(r.kind, r.payment_ref, r.refund_ref)] = &r;
    std::map<std::string, const BalanceItem*> theirs;
    std::vector<Mismatch> out;
    for (const auto& t : provider) {
        if (t.type != "charge" && t.type != "refund") continue;
        const auto k = key(t.type, t.payment_ref, t.refund_ref);
        theirs[k] = &t;
        if (!inside(t.created)) continue;
        const auto amount = t.type == "refund" ? -t.amount_jpy : t.amount_jpy;
        const auto it = ours.find(k);
        if (it == ours.end())
            out.push_back({"unknown_to_yoyaku", t.id, t.payment_ref, "", 0, amount});
        else if (it->second->amount_jpy != amount)
            out.push_back(
                {"amount_differs",
                 t.id,
                 t.payment_ref,
                 it->second->reference,
                 it->second->amount_jpy,
                 amount}
            );
    }
    for (const auto& r : yoyaku)
        if (inside(r.at) && !theirs.count(key(r.kind, r.payment_ref, r.refund_ref)))
            out.push_back({"missing_at_provider", "", r.payment_ref, r.reference, r.amount_jpy, 0});
    return out;
}

}  // namespace yoyaku::payments
