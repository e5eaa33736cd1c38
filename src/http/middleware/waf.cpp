#include "http/middleware/waf.hpp"

#include <fmt/format.h>
#include <modsecurity/intervention.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rule_message.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace yoyaku::http {

std::optional<WafMode> parse_waf_mode(std::string_view text) {
    if (text == "block") return WafMode::block;
    if (text == "detect") return WafMode::detect;
    if (text == "off") return WafMode::off;
    return std::nullopt;
}

std::vector<WafExclusion> platform_exclusions() {
    // A webhook's target is a URL by design; the remote-file-inclusion rules take one that
    // names an IP address (a tenant's own receiver) for an attack. So are the pages a
    // provider's checkout session names in its signed events (never fetched here).
    constexpr const char* stripe = "/api/v1/public/{tenant_code}/payments/stripe/webhook";
    // A group's document is a file in base64, sealed and never interpreted here: its bytes
    // match attack patterns by chance. Its name and type are still inspected.
    constexpr const char* group_document = "/api/v1/me/groups/{group_id}/documents";
    // LINE's webhook carries what customers type to the official account, in LINE's JSON: any
    // text at all, never interpreted here. The route reads nothing before LINE's signature
    // over the raw body is verified, so the rules would only stop LINE's own deliveries.
    constexpr const char* line = "/api/v1/public/{tenant_code}/line/webhook";
    // LINE's LIFF login returns the browser to the LIFF page with the URL it came back to
    // (liffRedirectUri, the page itself), which the LIFF SDK then sends to LINE.
    constexpr const char* liff = "/t/{tenant_code}/liff";
    return {
        {liff, "attack-rfi", "", "liffRedirectUri"},
        {line, "OWASP_CRS", "", ""},
        {group_document, "OWASP_CRS", "", "json.data"},
        {"/api/v1/webhooks", "attack-rfi", "", "json.url"},
        {"/api/v1/webhooks/{webhook_id}", "attack-rfi", "", "json.url"},
        {stripe, "attack-rfi", "", "json.data.object.url"},
        {stripe, "attack-rfi", "", "json.data.object.success_url"},
        {stripe, "attack-rfi", "", "json.data.object.cancel_url"},
    };
}

namespace {

// The blocking evaluation of the Core Rule Set: it matches once the inbound anomaly score
// reached the threshold, in detect mode as in block mode.
constexpr int kInboundBlockingRule = 949110;
// Ours: ModSecurity's JSON processor failed on the body.
constexpr int kUnreadableBodyRule = 200002;

// A router pattern as a regular expression over REQUEST_FILENAME (the path without query).
std::string route_regex(std::string_view pattern) {
    std::string out = "^";
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '{') {
            i = pattern.find('}', i);
            if (i == std::string_view::npos) break;
            out += "[^/]+";
        } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-') {
            out += c;
        } else {
            out += '\\';
            out += c;
        }
    }
    return out + "$";
}

// The directives before the Core Rule Set: the engine, JSON bodies, the Core Rule Set's set-up
// (what crs-setup.conf would say), and the exclusions (they must run before the rules).
std::string preamble(const WafOptions& o, const std::vector<WafExclusion>& exclusions) {
    std::string s = fmt::format(
        "SecRuleEngine {}\n"
        "SecRequestBodyAccess On\n"
        "SecRequestBodyLimit {}\n"
        "SecRequestBodyNoFilesLimit {}\n"
        "SecRequestBodyLimitAction Reject\n"
        "SecResponseBodyAccess Off\n"
        "SecAuditEngine Off\n"
        "SecDefaultAction \"phase:1,log,auditlog,pass\"\n"
        "SecDefaultAction \"phase:2,log,auditlog,pass\"\n"
        "SecRule REQUEST_HEADERS:Content-Type \"@rx ^application/json\" "
        "\"id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON\"\n"
        // A body ModSecurity cannot parse is a body it did not inspect.
        "SecRule REQBODY_ERROR \"!@eq 0\" "
        "\"id:{},phase:2,t:none,log,deny,status:400,msg:'request body not parsed'\"\n"
        "SecAction \"id:900990,phase:1,nolog,pass,t:none,setvar:tx.crs_setup_version=334\"\n"
        "SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level={}\"\n"
        "SecAction \"id:900110,phase:1,nolog,pass,t:none,"
        "setvar:tx.inbound_anomaly_score_threshold={},"
        "setvar:tx.outbound_anomaly_score_threshold=4\"\n"
        "SecAction \"id:900200,phase:1,nolog,pass,t:none,"
        "setvar:'tx.allowed_methods=GET HEAD POST PUT PATCH DELETE OPTIONS'\"\n"
        // The Core Rule Set's types, and CSV (imports: UTF-8, or the Shift_JIS that Japanese
        // spreadsheets and booking services export).
        "SecAction \"id:900220,phase:1,nolog,pass,t:none,"
        "setvar:'tx.allowed_request_content_type=|application/x-www-form-urlencoded| "
        "|multipart/form-data| |multipart/related| |text/xml| |application/xml| "
        "|application/soap+xml| |application/json| |application/cloudevents+json| "
        "|application/cloudevents-batch+json| |text/csv|'\"\n"
        "SecAction \"id:900270,phase:1,nolog,pass,t:none,"
        "setvar:'tx.allowed_request_content_type_charset="
        "utf-8|iso-8859-1|iso-8859-15|windows-1252|shift_jis|windows-31j'\"\n",
        o.mode == WafMode::block ? "On" : "DetectionOnly",
        o.body_limit,
        o.body_limit,
        kUnreadableBodyRule,
        o.paranoia,
        o.anomaly_threshold
    );
    int id = 10000;
    for (const auto& e : exclusions) {
        const auto target = e.field.empty() ? std::string() : ";ARGS:" + e.field;
        const auto ctl = !e.tag.empty()
                             ? (e.field.empty() ? "ctl:ruleRemoveByTag=" + e.tag
                                                : "ctl:ruleRemoveTargetByTag=" + e.tag + target)
                             : (e.field.empty() ? "ctl:ruleRemoveById=" + e.rule
                                                : "ctl:ruleRemoveTargetById=" + e.rule + target);
        s += fmt::format(
            "SecRule REQUEST_FILENAME \"@rx {}\" \"id:{},phase:1,t:none,pass,nolog,{}\"\n",
            route_regex(e.route),
            id++,
            ctl
        );
    }
    return s;
}

}  // namespace

struct Waf::Engine {
    modsecurity::ModSecurity modsec;
    modsecurity::RulesSet rules;
};

Waf::Waf(WafMode mode, std::unique_ptr<Engine> engine) : mode_(mode), engine_(std::move(engine)) {}

Waf::~Waf() = default;

Result<std::unique_ptr<Waf>> Waf::load(const WafOptions& o) {
    if (o.paranoia < 1 || o.paranoia > 4)
        return Error::invalid("waf.paranoia", "must be 1, 2, 3 or 4");
    if (o.anomaly_threshold < 1 || o.anomaly_threshold > 1000)
        return Error::invalid("waf.anomaly_threshold", "must be between 1 and 1000");
    auto engine = std::make_unique<Engine>();
    if (o.mode == WafMode::off) return std::unique_ptr<Waf>(new Waf(o.mode, std::move(engine)));
    engine->modsec.setConnectorInformation("yoyaku");
    // Matches are read from the transaction, not from ModSecurity's log; without a callback
    // it prints every match on standard output.
    engine->modsec.setServerLogCb([](void*, const void*) {}, modsecurity::RuleMessageLogProperty);
    auto exclusions = platform_exclusions();
    exclusions.insert(exclusions.end(), o.exclusions.begin(), o.exclusions.end());
    if (engine->rules.load(preamble(o, exclusions).c_str()) < 0)
        return Error::internal("waf set-up: " + engine->rules.getParserError());

    // libmodsecurity 3.0.9 cannot read IncludeOptional: the rule files are loaded one by one,
    // in the order their names give (the Core Rule Set's numbering is its evaluation order).
    std::error_code ec;
    std::set<fs::path> files;
    for (const auto& entry : fs::directory_iterator(o.rules_dir, ec))
        if (entry.path().extension() == ".conf") files.insert(entry.path());
    if (ec || files.empty())
        return Error::invalid(
            "waf.rules_dir", "no Core Rule Set in " + o.rules_dir + " (install modsecurity-crs)"
        );
    for (const auto& f : files)
        if (engine->rules.loadFromUri(f.c_str()) < 0)
            return Error::internal(
                "waf: " + f.filename().string() + ": " + engine->rules.getParserError()
            );
    // 901321: the IP and global collections (for the DoS and reputation rules, unused here) live in
    // an in-process store that grows with every address and is not safe across threads.
    // 941310 (US-ASCII malformed encoding XSS) reads the bytes 0xBC and 0xBE as '<' and '>',
    // as Internet Explorer did for pages in US-ASCII; they occur inside the UTF-8 of everyday
    // Japanese ("ご要望", "窓際"). Every page here is UTF-8, and the other XSS rules stay.
    if (engine->rules.load("SecRuleRemoveById 901321 941310") < 0)
        return Error::internal("waf: " + engine->rules.getParserError());

    std::unique_ptr<Waf> waf(new Waf(o.mode, std::move(engine)));
    // A probe: the rule set must refuse an obvious attack. It also builds, on this one
    // thread, the match tables the rules prepare on first use.
    Request probe;
    probe.method = "POST";
    probe.path = "/api/v1/probe";
    probe.query = "q=1%27%20OR%20%271%27%3D%271";
    probe.headers.add("Host", "localhost");
    probe.headers.add("User-Agent", "Mozilla/5.0");
    probe.headers.add("Accept", "application/json");
    probe.headers.add("Cookie", "a=b");
    probe.headers.add("Content-Type", "application/json");
    probe.body = R"({"name":"<script>alert(1)</script>","path":"../../etc/passwd"})";
    probe.headers.add("Content-Length", std::to_string(probe.body.size()));
    probe.client_address = "127.0.0.1";
    probe.request_id = "waf-probe";
    if (!waf->inspect(probe).refused)
        return Error::internal("waf: the rule set did not refuse a probe attack");
    return waf;
}

WafVerdict Waf::inspect(const Request& req) const {
    WafVerdict v;
    if (mode_ == WafMode::off) return v;
    std::string id = req.request_id;
    modsecurity::Transaction t(&engine_->modsec, &engine_->rules, id.data(), nullptr);
    modsecurity::ModSecurityIntervention it;
    modsecurity::intervention::clean(&it);
    auto disrupted = [&] {
        const bool d = t.intervention(&it);
        modsecurity::intervention::free(&it);
        modsecurity::intervention::clean(&it);
        return d;
    };
    const std::string uri = req.query.empty() ? req.path : req.path + "?" + req.query;
    bool stop = t.processConnection(req.client_address.c_str(), 0, "127.0.0.1", 0) &&
                t.processURI(uri.c_str(), req.method.c_str(), "1.1") && disrupted();
    if (!stop) {
        for (const auto& f : req.headers.fields()) t.addRequestHeader(f.name, f.value);
        t.processRequestHeaders();
        stop = disrupted();
    }
    if (!stop) {
        if (!req.body.empty())
            t.appendRequestBody(
                reinterpret_cast<const unsigned char*>(req.body.data()), req.body.size()
            );
        t.processRequestBody();
        stop = disrupted();
    }
    bool threshold = false;
    for (const auto& m : t.m_rulesMessages) {
        v.rules.push_back(std::to_string(m.m_ruleId));
        if (m.m_ruleId == kUnreadableBodyRule) v.unreadable_body = true;
        if (m.m_ruleId == kInboundBlockingRule) {
            threshold = true;
            // "Inbound Anomaly Score Exceeded (Total Score: 15)"
            const auto at = m.m_message.rfind(": ");
            if (at != std::string::npos) v.score = std::atoi(m.m_message.c_str() + at + 2);
        }
    }
    v.refused = stop || threshold;
    return v;
}

}  // namespace yoyaku::http
