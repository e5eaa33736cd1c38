#pragma once
// The `spent_challenges` table: proof-of-work challenges already paid with, kept until they
// expire so each is accepted once (platform-wide, outside any tenant).

#include <string>

#include "core/result.hpp"
#include "core/time.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

class SpentChallengeStore {
public:
    explicit SpentChallengeStore(storage::Tx& tx) : tx_(tx) {}

    /// Forgets the challenges expired by `now`.
    Result<void> remove_expired(Instant now);
    /// Records `challenge` as spent until `expires_at`; false when it was spent already.
    Result<bool> insert(const std::string& challenge, Instant expires_at);

private:
    storage::Tx& tx_;
};

}  // namespace yoyaku::accounts
