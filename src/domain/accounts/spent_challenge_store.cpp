#include "domain/accounts/spent_challenge_store.hpp"

namespace yoyaku::accounts {

Result<void> SpentChallengeStore::remove_expired(Instant now) {
    YOYAKU_TRY(tx_.exec("DELETE FROM spent_challenges WHERE expires_at < $1", to_micros(now)));
    return {};
}

Result<bool> SpentChallengeStore::insert(const std::string& challenge, Instant expires_at) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        tx_.exec(
            "INSERT INTO spent_challenges(challenge, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            challenge,
            to_micros(expires_at)
        )
    );
    return n == 1;
}

}  // namespace yoyaku::accounts
