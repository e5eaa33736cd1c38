#pragma once
// A self-hosted proof-of-work challenge in place of a CAPTCHA (SPEC S3), compatible with ALTCHA
// (altcha.org): the server hands out {algorithm, challenge, maxnumber, salt, signature}; the
// client finds the number n with SHA-256(salt + n) = challenge and sends back base64 of the
// JSON {algorithm, challenge, number, salt, signature}. The server checks the HMAC signature
// (no state needed to issue), the expiry carried in the salt ("?expires=<unix seconds>") and
// the hash, then spends the challenge so it works once. Sign-in, sign-up and password reset
// ask for one; a browser pays a fraction of a second, a credential-stuffing run pays per try.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/sealing.hpp"
#include "storage/database.hpp"

namespace yoyaku::accounts {

struct ChallengeOptions {
    /// The secret number is drawn from 0..max_number: the client tries max_number / 2 hashes
    /// on average (100 000: about 0.1 s of Web Crypto on a phone).
    std::int64_t max_number = 100'000;
    std::chrono::minutes ttl{10};
};

/// What GET /api/v1/challenge returns, field for field the ALTCHA widget's challenge.
struct Challenge {
    std::string algorithm = "SHA-256";
    std::string challenge;  ///< hex SHA-256(salt + number)
    std::int64_t max_number = 0;
    std::string salt;       ///< "<random hex>?expires=<unix seconds>"
    std::string signature;  ///< hex HMAC-SHA-256(key, challenge)
};

/// The signing keys, asked for on each use: the current one first, then older ones still
/// accepted (the keyring's platform keys, so a master rotated by another process takes over
/// at once, and challenges a node signed just before stay good).
using ChallengeKeys = std::function<std::vector<crypto::SecretKey>()>;

class ProofOfWork {
public:
    ProofOfWork(
        storage::Database& db, ChallengeKeys keys, const Clock& clock, ChallengeOptions o = {}
    );

    /// A fresh challenge (no database work).
    Challenge issue() const;

    /// Checks an ALTCHA payload (base64 JSON as the widget submits it in the field "altcha")
    /// and spends its challenge. Errors: invalid_input on "altcha" when missing, malformed,
    /// forged, expired, wrong or already used (one sentence for all); unavailable.
    Result<void> redeem(std::string_view payload);

    const ChallengeOptions& options() const noexcept { return options_; }

private:
    storage::Database& db_;
    ChallengeKeys keys_;
    const Clock& clock_;
    ChallengeOptions options_;
};

/// Solves a challenge by trying every number (what the widget does in a Web Worker); the
/// payload to submit, or nothing when no number up to max_number fits. For tests and tools.
std::optional<std::string> solve(const Challenge& c);

}  // namespace yoyaku::accounts
