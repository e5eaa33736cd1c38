#pragma once
// The web application firewall (S8b): libmodsecurity 3 with the OWASP Core Rule Set, in
// process. Every request is inspected (line, headers, JSON body) before it reaches
// authentication or a handler; the rule set scores it and `block` mode refuses it at the
// anomaly threshold. ModSecurity's headers stay in waf.cpp.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "http/router/message.hpp"

namespace yoyaku::http {

enum class WafMode { block, detect, off };

/// "block", "detect" or "off"; nullopt for anything else.
std::optional<WafMode> parse_waf_mode(std::string_view text);

/// A rule exclusion for one route: the rules tagged `tag` (e.g. "attack-xss") or with id `rule`
/// do not look at the JSON field `field` (dotted path as ModSecurity names it, e.g.
/// "json.body") on requests to `route` (a router pattern such as "/api/v1/x/{id}").
struct WafExclusion {
    std::string route;
    std::string tag;
    std::string rule;
    std::string field;
};

struct WafOptions {
    WafMode mode = WafMode::block;
    int paranoia = 1;           ///< the Core Rule Set's paranoia level, 1–4
    int anomaly_threshold = 5;  ///< inbound anomaly score that blocks (one critical rule: 5)
    std::string rules_dir = "/usr/share/modsecurity-crs/rules";
    std::size_t body_limit = 1024 * 1024;
    std::vector<WafExclusion> exclusions;  ///< added to `platform_exclusions()`
};

/// What the rule set made of one request.
struct WafVerdict {
    bool refused = false;  ///< the anomaly score reached the threshold (in detect mode, too)
    int score = 0;
    std::vector<std::string> rules;  ///< ids of the rules that matched, in order
    /// A JSON body the firewall could not parse (so did not inspect): refused as bad input.
    bool unreadable_body = false;
};

/// The platform's own exclusions: fields that carry text the Core Rule Set would mistake for an
/// attack and that the platform only ever renders escaped.
std::vector<WafExclusion> platform_exclusions();

class Waf {
public:
    /// Loads the rule set (tens of milliseconds) and checks that it refuses a probe. Loading
    /// is not thread-safe in libmodsecurity: call it before serving.
    static Result<std::unique_ptr<Waf>> load(const WafOptions& options);
    ~Waf();
    Waf(const Waf&) = delete;
    Waf& operator=(const Waf&) = delete;

    WafMode mode() const noexcept { return mode_; }
    /// Inspects one request; thread-safe. Never throws.
    WafVerdict inspect(const Request& req) const;

private:
    struct Engine;
    explicit Waf(WafMode mode, std::unique_ptr<Engine> engine);

    WafMode mode_;
    std::unique_ptr<Engine> engine_;
};

}  // namespace yoyaku::http
