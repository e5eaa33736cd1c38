#include <algorithm>

#include "crypto/hash.hpp"
#include "domain/bookings/lottery/lottery.hpp"

namespace yoyaku::bookings {

std::vector<std::pair<std::string, std::optional<OccurrenceId>>> allocate(
    const std::string& seed, std::vector<Applicant> applicants, std::map<OccurrenceId, int> free
) {
    std::vector<std::pair<std::string, Applicant>> order;
    order.reserve(applicants.size());
    for (auto& a : applicants)
        order.emplace_back(crypto::blake2b_256_hex(seed + ":" + a.reference), std::move(a));
    std::sort(order.begin(), order.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first < y.first : x.second.reference < y.second.reference;
    });
    std::vector<std::pair<std::string, std::optional<OccurrenceId>>> out;
    for (const auto& [key, a] : order) {
        std::optional<OccurrenceId> won;
        for (const auto occ : a.preferences) {
            auto it = free.find(occ);
            if (it != free.end() && it->second >= a.seats) {
                it->second -= a.seats;
                won = occ;
                break;
            }
        }
        out.emplace_back(a.reference, won);
    }
    return out;
}

}  // namespace yoyaku::bookings
