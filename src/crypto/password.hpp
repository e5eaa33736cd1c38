#pragma once
// Passwords (SPEC S1): a policy check and argon2id hashing through libsodium.

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace yoyaku::crypto {

/// Checks a candidate password and returns its NFKC form, which is what gets hashed.
/// Rules: valid UTF-8; 12 to 128 code points after NFKC (any characters, no composition
/// rules); not a common password, also after lower-casing and stripping leading or trailing
/// digits and symbols ("Password1234!" is refused); not one repeated character or a simple
/// sequence; none of `context` (e.g. the email's local part, the tenant code) as its core.
/// Errors: invalid_input on field "password" with a message naming the rule.
Result<std::string> check_new_password(
    std::string_view candidate, const std::vector<std::string>& context = {}
);

/// NFKC form for verification (no policy: old passwords must keep working). Errors:
/// invalid_input when not valid UTF-8 or longer than 128 code points (never hashed).
Result<std::string> normalize_password(std::string_view candidate);

struct Argon2Params {
    std::uint64_t ops_limit = 2;                ///< libsodium INTERACTIVE
    std::size_t mem_limit = 64u * 1024 * 1024;  ///< 64 MiB
};

/// Admission to the hashing threads: at most `running` callers inside at once and `waiting`
/// more queued behind them; anyone beyond is refused at once, so a flood of password checks
/// never holds every worker thread (issue 24, defect 2). Thread-safe.
class HashGate {
public:
    HashGate(int running, int waiting);
    HashGate(const HashGate&) = delete;
    HashGate& operator=(const HashGate&) = delete;

    /// Inside the gate until destroyed.
    class Pass {
    public:
        explicit Pass(HashGate& gate) : gate_(&gate) {}
        Pass(Pass&& o) noexcept : gate_(std::exchange(o.gate_, nullptr)) {}
        Pass& operator=(Pass&&) = delete;
        ~Pass();

    private:
        HashGate* gate_;
    };
    /// Waits for a place when the queue has room; nullopt at once when it has none.
    std::optional<Pass> enter();
    /// Callers waiting for a place now.
    int queued() const;

private:
    mutable std::mutex mu_;
    std::condition_variable freed_;
    int running_limit_;
    int waiting_limit_;
    int running_ = 0;
    int waiting_ = 0;
};

/// argon2id hashing with at most `max_concurrent` hashes in flight (each takes `mem_limit`
/// bytes, so a burst of logins cannot exhaust memory) and at most `max_waiting` queued behind
/// them. Thread-safe. hash() and verify() answer rate_limited (detail: the seconds to wait)
/// when the queue is full.
class PasswordHasher {
public:
    explicit PasswordHasher(Argon2Params params = {}, int max_concurrent = 2, int max_waiting = 8);
    ~PasswordHasher();

    /// The PHC string ("$argon2id$v=19$m=65536,t=2,p=1$..."). Throws std::bad_alloc if
    /// memory runs out.
    Result<std::string> hash(std::string_view normalized) const;
    /// True when `normalized` matches `stored`. Runs a full hash even for a malformed
    /// `stored`, so the time does not tell whether an account exists.
    Result<bool> verify(std::string_view stored, std::string_view normalized) const;
    /// True when `stored` was made with other parameters (rehash at the next login).
    bool needs_rehash(std::string_view stored) const;
    /// A hash of a random password, to verify against when the account does not exist.
    const std::string& decoy() const noexcept { return decoy_; }

private:
    std::string hash_inside(std::string_view normalized) const;

    Argon2Params params_;
    std::unique_ptr<HashGate> gate_;
    std::string decoy_;
};

}  // namespace yoyaku::crypto
