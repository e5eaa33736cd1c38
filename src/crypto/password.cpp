#include "crypto/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <unordered_set>

#include "core/text.hpp"
#include "crypto/random.hpp"

namespace yoyaku::crypto {

std::string_view common_passwords_text() noexcept;  // generated from data/common-passwords.txt

namespace {

constexpr std::size_t kMin = 12, kMax = 128;

const std::unordered_set<std::string_view>& blocklist() {
    static const auto set = [] {
        std::unordered_set<std::string_view> s;
        auto text = common_passwords_text();
        std::size_t i = 0;
        while (i < text.size()) {
            auto j = text.find('\n', i);
            if (j == std::string_view::npos) j = text.size();
            if (j > i) s.insert(text.substr(i, j - i));
            i = j + 1;
        }
        return s;
    }();
    return set;
}

std::string ascii_lower(std::string_view s) {
    std::string r(s);
    for (auto& c : r)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return r;
}

bool is_filler(char c) {
    return (c >= '0' && c <= '9') || (std::ispunct(static_cast<unsigned char>(c)) != 0) || c == ' ';
}

// The password without the digits and symbols people tack on at either end.
std::string core_of(const std::string& lower) {
    std::size_t b = 0, e = lower.size();
    while (b < e && is_filler(lower[b])) ++b;
    while (e > b && is_filler(lower[e - 1])) --e;
    return lower.substr(b, e - b);
}

bool is_simple_sequence(const std::string& s) {
    if (s.size() < 2) return true;
    if (std::all_of(s.begin(), s.end(), [&](char c) { return c == s[0]; })) return true;
    const bool digits =
        std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    // Digits wrap ("…7890123" is still a run on the keyboard and in people's heads).
    auto delta = [&](char a, char b) { return digits ? ((b - a) + 10) % 10 : b - a; };
    const int step = delta(s[0], s[1]);
    const int down = digits ? 9 : -1;
    if (step != 1 && step != down) return false;
    for (std::size_t i = 1; i < s.size(); ++i)
        if (delta(s[i - 1], s[i]) != step) return false;
    return true;
}

// "abcabcabcabc" → "abc"; otherwise the string itself.
std::string_view repeated_unit(std::string_view s) {
    for (std::size_t n = 1; n <= s.size() / 2; ++n) {
        if (s.size() % n) continue;
        bool rep = true;
        for (std::size_t i = n; i < s.size() && rep; ++i) rep = s[i] == s[i - n];
        if (rep) return s.substr(0, n);
    }
    return s;
}

Error rule(std::string message) {
    return Error::invalid("password", std::move(message));
}

}  // namespace

Result<std::string> normalize_password(std::string_view candidate) {
    auto nfkc = text::to_nfkc(candidate);
    if (!nfkc) return rule("must be valid UTF-8");
    if (text::code_points(*nfkc) > kMax) return rule("must be at most 128 characters");
    return std::move(*nfkc);
}

Result<std::string> check_new_password(
    std::string_view candidate, const std::vector<std::string>& context
) {
    auto normalized = normalize_password(candidate);
    if (!normalized) return normalized;
    const std::string& pw = *normalized;
    if (text::code_points(pw) < kMin) return rule("must be at least 12 characters");
    const std::string lower = ascii_lower(pw);
    const std::string core = core_of(lower);
    const auto& list = blocklist();
    auto unit = repeated_unit(core.empty() ? std::string_view(lower) : std::string_view(core));
    if (is_simple_sequence(lower) || is_simple_sequence(std::string(unit)) || unit.size() <= 2)
        return rule("must not be a repeated character or a simple sequence");
    if (list.contains(lower) || list.contains(core) || list.contains(unit))
        return rule(
            "is too common: choose a less predictable password (a few unrelated words work well)"
        );
    for (const auto& word : context) {
        const auto w = ascii_lower(word);
        if (w.size() >= 3 && (core == w || unit == w || lower == w))
            return rule("must not be based on your email address or the site's name");
    }
    return std::move(*normalized);
}

HashGate::HashGate(int running, int waiting)
    : running_limit_(std::max(running, 1)), waiting_limit_(std::max(waiting, 0)) {}

HashGate::Pass::~Pass() {
    if (!gate_) return;
    {
        std::lock_guard lock(gate_->mu_);
        --gate_->running_;
    }
    gate_->freed_.notify_one();
}

std::optional<HashGate::Pass> HashGate::enter() {
    std::unique_lock lock(mu_);
    if (running_ < running_limit_) {
        ++running_;
        return Pass(*this);
    }
    if (waiting_ >= waiting_limit_) return std::nullopt;
    ++waiting_;
    freed_.wait(lock, [&] { return running_ < running_limit_; });
    --waiting_;
    ++running_;
    return Pass(*this);
}

int HashGate::queued() const {
    std::lock_guard lock(mu_);
    return waiting_;
}

namespace {

Error busy() {
    return Error{
        Errc::rate_limited, "too many password checks at once: try again in a moment", {}, "1"};
}

}  // namespace

PasswordHasher::PasswordHasher(Argon2Params params, int max_concurrent, int max_waiting)
    : params_(params),
      gate_(std::make_unique<HashGate>(std::clamp(max_concurrent, 1, 1024), max_waiting)) {
    init();
    decoy_ = hash_inside(random_hex(32));
}

PasswordHasher::~PasswordHasher() = default;

std::string PasswordHasher::hash_inside(std::string_view normalized) const {
    char out[crypto_pwhash_STRBYTES];
    const int rc = crypto_pwhash_str(
        out, normalized.data(), normalized.size(), params_.ops_limit, params_.mem_limit
    );
    if (rc != 0) throw std::bad_alloc();
    return out;
}

Result<std::string> PasswordHasher::hash(std::string_view normalized) const {
    auto pass = gate_->enter();
    if (!pass) return busy();
    return hash_inside(normalized);
}

Result<bool> PasswordHasher::verify(std::string_view stored, std::string_view normalized) const {
    // A malformed or foreign hash still costs one full hash, like a real verification.
    const bool use_decoy =
        !stored.starts_with("$argon2id$") || stored.size() >= crypto_pwhash_STRBYTES;
    const std::string target = use_decoy ? decoy_ : std::string(stored);
    auto pass = gate_->enter();
    if (!pass) return busy();
    const int rc = crypto_pwhash_str_verify(target.c_str(), normalized.data(), normalized.size());
    return rc == 0 && !use_decoy;
}

bool PasswordHasher::needs_rehash(std::string_view stored) const {
    std::string s(stored);
    return crypto_pwhash_str_needs_rehash(s.c_str(), params_.ops_limit, params_.mem_limit) != 0;
}

}  // namespace yoyaku::crypto
