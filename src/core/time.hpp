#pragma once
// Time vocabulary. Instants are UTC with microsecond precision; storage keeps them as integer
// microseconds since the Unix epoch; display converts to a zone at the edge (one renderer).

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace yoyaku {

using Instant = std::chrono::sys_time<std::chrono::microseconds>;

inline std::int64_t to_micros(Instant t) {
    return t.time_since_epoch().count();
}
inline Instant from_micros(std::int64_t us) {
    return Instant{std::chrono::microseconds{us}};
}

/// RFC 3339 with milliseconds in the named IANA zone, e.g. "2026-11-21T22:44:00.123+09:00".
/// Throws std::runtime_error for an unknown zone (validate zones with `is_known_zone` first).
std::string format_rfc3339(Instant t, std::string_view zone);

/// RFC 5322 date for mail headers, in UTC: "Sun, 22 Nov 2026 01:50:00 +0000".
std::string format_rfc5322(Instant t);

/// Parses RFC 3339 ("2026-11-21T13:44:00Z", "...+09:00", fraction optional). nullopt if malformed.
std::optional<Instant> parse_rfc3339(std::string_view text);

/// The instant of wall-clock time `local` in `zone`. A time a DST change skips (02:30 on a
/// spring-forward night) maps to the instant the clocks jump; a time it repeats (fall back)
/// to its first occurrence. Throws std::runtime_error for an unknown zone.
Instant from_local(std::chrono::local_seconds local, std::string_view zone);

/// The wall-clock time of `t` in `zone`. Throws std::runtime_error for an unknown zone.
std::chrono::local_seconds to_local(Instant t, std::string_view zone);

/// True when the IANA time zone database knows `zone`.
bool is_known_zone(std::string_view zone) noexcept;

/// Source of "now". Services take a Clock so tests can drive time.
class Clock {
public:
    virtual ~Clock() = default;
    virtual Instant now() const = 0;
};

class SystemClock final : public Clock {
public:
    Instant now() const override;
};

/// A clock that moves only when told; thread-safe.
class FakeClock final : public Clock {
public:
    explicit FakeClock(Instant start) : now_(start) {}
    Instant now() const override {
        std::lock_guard lock(mu_);
        return now_;
    }
    void advance(std::chrono::microseconds d) {
        std::lock_guard lock(mu_);
        now_ += d;
    }
    void set(Instant t) {
        std::lock_guard lock(mu_);
        now_ = t;
    }

private:
    mutable std::mutex mu_;
    Instant now_;
};

}  // namespace yoyaku
