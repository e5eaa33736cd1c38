#include <algorithm>

#include "crypto/hash.hpp"
#include "domain/bookings/lottery/lottery.hpp"

namespace yoyaku::bookings {

std::vector<std::pair<std::string, std::vector<int>>> allot(
    const std::string& seed, std::vector<Entrant> entrants, std::map<std::string, int> free
) {
    struct Drawn {
        int tier;
        std::string key;
        Entrant entrant;
        std::vector<int> won;
    };
    std::vector<Drawn> order;
    order.reserve(entrants.size());
    for (auto& e : entrants) {
        const int tier = e.tier;
        order.push_back({tier, crypto::blake2b_256_hex(seed + ":" + e.reference), std::move(e), {}}
        );
    }
    std::sort(order.begin(), order.end(), [](const Drawn& x, const Drawn& y) {
        if (x.tier != y.tier) return x.tier < y.tier;
        return x.key != y.key ? x.key < y.key : x.entrant.reference < y.entrant.reference;
    });
    const auto fits = [&](const Claim& c) {
        return std::all_of(c.units.begin(), c.units.end(), [&](const auto& u) {
            const auto it = free.find(u.first);
            return it != free.end() && it->second >= u.second;
        });
    };
    // One tier after another; inside a tier, rounds of one choice each.
    for (auto tier_begin = order.begin(); tier_begin != order.end();) {
        const auto tier_end = std::find_if(tier_begin, order.end(), [&](const Drawn& d) {
            return d.tier != tier_begin->tier;
        });
        for (bool took = true; took;) {
            took = false;
            for (auto d = tier_begin; d != tier_end; ++d) {
                if (static_cast<int>(d->won.size()) >= d->entrant.max_wins) continue;
                const auto& choices = d->entrant.choices;
                for (int i = 0; i < static_cast<int>(choices.size()); ++i) {
                    if (std::find(d->won.begin(), d->won.end(), i) != d->won.end()) continue;
                    if (!fits(choices[static_cast<std::size_t>(i)])) continue;
                    for (const auto& [key, n] : choices[static_cast<std::size_t>(i)].units)
                        free[key] -= n;
                    d->won.push_back(i);
                    took = true;
                    break;
                }
            }
        }
        tier_begin = tier_end;
    }
    std::vector<std::pair<std::string, std::vector<int>>> out;
    out.reserve(order.size());
    for (auto& d : order) out.emplace_back(std::move(d.entrant.reference), std::move(d.won));
    return out;
}

std::vector<std::pair<std::string, std::optional<OccurrenceId>>> allocate(
    const std::string& seed, std::vector<Applicant> applicants, std::map<OccurrenceId, int> free
) {
    // An event's lottery: one tier, one win, each preference one session's seats.
    std::vector<Entrant> entrants;
    std::map<std::string, std::vector<OccurrenceId>> preferences;
    entrants.reserve(applicants.size());
    for (auto& a : applicants) {
        Entrant e{a.reference, 0, 1, {}};
        for (const auto occ : a.preferences) e.choices.push_back({{{to_string(occ), a.seats}}});
        preferences[a.reference] = std::move(a.preferences);
        entrants.push_back(std::move(e));
    }
    std::map<std::string, int> units;
    for (const auto& [occ, n] : free) units[to_string(occ)] = n;
    std::vector<std::pair<std::string, std::optional<OccurrenceId>>> out;
    for (auto& [ref, won] : allot(seed, std::move(entrants), std::move(units))) {
        const auto& prefs = preferences.at(ref);
        out.emplace_back(
            ref,
            won.empty() ? std::nullopt
                        : std::optional(prefs.at(static_cast<std::size_t>(won.front())))
        );
    }
    return out;
}

}  // namespace yoyaku::bookings
