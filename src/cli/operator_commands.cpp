#include "cli/operator_commands.hpp"

#include <pwd.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <iostream>
#include <iterator>

#include "app/platform.hpp"
#include "app/services.hpp"
#include "crypto/keyring.hpp"
#include "crypto/random.hpp"
#include "crypto/signing.hpp"
#include "domain/audit/audit.hpp"
#include "domain/audit/checkpoints.hpp"
#include "domain/tenants/tenants.hpp"
#include "http/api/api.hpp"

namespace yoyaku::cli {
namespace {

// The person at the shell, as the audit log's actor.
audit::Actor cli_actor() {
    const passwd* pw = ::getpwuid(::getuid());
    return {std::string("cli:") + (pw ? pw->pw_name : std::to_string(::getuid())), "operator"};
}

audit::Origin cli_origin() {
    return {"local", "yoyaku-cli", crypto::fast_random_hex(16)};
}

int report(const Error& e) {
    std::cerr << "error: " << (e.field.empty() ? "" : e.field + ": ") << e.message << "\n";
    return e.code == Errc::invalid_input || e.code == Errc::conflict ||
                   e.code == Errc::unprocessable
               ? 2
               : 1;
}

std::unique_ptr<storage::Database> open(const app::Config& c) {
    auto db = app::open_platform_database(c);
    if (!db) {
        const auto& e = db.error();
        std::cerr << "error: " << (e.field.empty() ? "database" : e.field) << ": " << e.message
                  << (e.detail.empty() ? "" : " (" + e.detail + ")") << "\n";
        return nullptr;
    }
    auto m = (*db)->migrate();
    if (!m) {
        std::cerr << "error: migration: " << m.error().detail << "\n";
        return nullptr;
    }
    return std::move(*db);
}

// With --password-stdin: one line from stdin, without its line ending (for scripts:
// echo "$pw" | yoyaku ...). Without: none, so a set-up link is made.
Result<std::optional<std::string>> stdin_password(bool wanted) {
    if (!wanted) return std::optional<std::string>();
    std::string line;
    if (!std::getline(std::cin, line))
        return Error::invalid("password", "nothing on standard input");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return std::optional<std::string>(std::move(line));
}

void print_setup_link(const app::Config& c, const std::optional<std::string>& token) {
    if (token)
        std::cout << "set-up link (single use, 72 hours): "
                  << http::setup_link(c.effective_public_url(), *token) << "\n";
}

void print(const tenants::Tenant& t) {
    std::cout << t.id.value << "\t" << t.code << "\t" << tenants::to_string(t.status) << "\t"
              << t.time_zone << "\t" << t.locale << "\t" << t.name << "\n";
}

}  // namespace

int tenant_create(const app::Config& c, const TenantArgs& a) {
    auto db = open(c);
    if (!db) return 1;
    SystemClock clock;
    auto svc = app::make_services(c, *db, clock);
    if (!svc) return report(svc.error());
    auto password = stdin_password(a.password_stdin);
    if (!password) return report(password.error());
    if (auto e = accounts::normalize_email(a.manager_email, "manager-email"); !e)
        return report(e.error());
    std::optional<accounts::Created> manager;
    auto t = (*svc)->tenants.create(
        {a.code, a.name, a.time_zone, a.locale},
        cli_actor(),
        cli_origin(),
        [&](storage::Tx& tx, const tenants::Tenant& tenant) -> Result<void> {
            auto m = (*svc)->accounts.create(
                tx,
                tenant.id,
                {access::Role::manager, a.manager_email, a.manager_name, *password},
                cli_actor(),
                cli_origin()
            );
            if (!m) {
                auto e = std::move(m).error();
                if (e.field == "email") e.field = "manager-email";
                if (e.field == "name") e.field = "manager-name";
                return e;
            }
            manager = std::move(*m);
            return {};
        }
    );
    if (!t) return report(t.error());
    std::cout << "created tenant " << t->code << " (id " << t->id.value << ") with manager "
              << manager->account.email << "\n";
    print_setup_link(c, manager->setup_token);
    return 0;
}

int operator_create(const app::Config& c, const OperatorArgs& a) {
    auto db = open(c);
    if (!db) return 1;
    SystemClock clock;
    auto svc = app::make_services(c, *db, clock);
    if (!svc) return report(svc.error());
    auto password = stdin_password(a.password_stdin);
    if (!password) return report(password.error());
    auto created = (*svc)->accounts.create(
        accounts::kPlatform,
        {access::Role::operator_, a.email, a.name, *password},
        cli_actor(),
        cli_origin()
    );
    if (!created) return report(created.error());
    std::cout << "created operator " << created->account.email << " (id "
              << created->account.id.value << ")\n";
    print_setup_link(c, created->setup_token);
    return 0;
}

int tenant_list(const app::Config& c) {
    auto db = open(c);
    if (!db) return 1;
    SystemClock clock;
    auto all = tenants::TenantService(*db, clock).list();
    if (!all) return report(all.error());
    for (const auto& t : *all) print(t);
    return 0;
}

int tenant_status(const app::Config& c, const TenantArgs& a, std::string_view to) {
    auto db = open(c);
    if (!db) return 1;
    SystemClock clock;
    tenants::TenantService svc(*db, clock);
    auto t = svc.find_by_code(a.code);
    if (!t) return report(t.error());
    auto changed =
        svc.change_status(t->id, *tenants::parse_status(to), a.reason, cli_actor(), cli_origin());
    if (!changed) return report(changed.error());
    print(*changed);
    return 0;
}

int challenge_solve(std::istream& in, std::ostream& out) {
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    const auto* o = ec ? nullptr : v.if_object();
    accounts::Challenge c;
    auto text_at = [&](std::string_view key, std::string& to) {
        const auto* f = o ? o->if_contains(key) : nullptr;
        if (!f || !f->is_string()) return false;
        to = f->get_string().c_str();
        return true;
    };
    const auto* max = o ? o->if_contains("maxnumber") : nullptr;
    if (!text_at("algorithm", c.algorithm) || !text_at("challenge", c.challenge) ||
        !text_at("salt", c.salt) || !text_at("signature", c.signature) || !max ||
        !max->is_int64() || c.algorithm != "SHA-256") {
        std::cerr << "expected the JSON of GET /api/v1/challenge on stdin\n";
        return 1;
    }
    c.max_number = max->get_int64();
    auto answer = accounts::solve(c);
    if (!answer) {
        std::cerr << "no number up to maxnumber solves this challenge\n";
        return 1;
    }
    out << *answer << "\n";
    return 0;
}

int audit_verify(
    const app::Config& c, const std::string& tenant_code, const std::string& checkpoints
) {
    auto db = open(c);
    if (!db) return 1;
    SystemClock clock;
    tenants::TenantService svc(*db, clock);
    std::vector<tenants::Tenant> targets;
    if (tenant_code.empty()) {
        auto all = svc.list();
        if (!all) return report(all.error());
        targets = std::move(*all);
    } else {
        auto one = svc.find_by_code(tenant_code);
        if (!one) return report(one.error());
        targets.push_back(*one);
    }
    int broken = 0;
    auto show = [&](const std::string& name, const Result<audit::Verification>& v) {
        if (!v) {
            std::cerr << "error: " << name << ": " << v.error().message << "\n";
            ++broken;
            return;
        }
        if (v->problem) {
            std::cout << "FAILED " << name << ": entry seq " << v->problem->seq << " (id "
                      << v->problem->id.value << "): " << v->problem->reason << "\n";
            ++broken;
        } else {
            std::cout << "ok     " << name << ": " << v->entries << " entries";
            if (v->unkeyed > 0) std::cout << " (" << v->unkeyed << " from before keying)";
            if (v->unlinked > 0)
                std::cout << "; " << v->unlinked << " committed, not yet linked (linked by the "
                          << "next write or the hourly checkpoint, then verified)";
            std::cout << "\n";
        }
    };
    if (tenant_code.empty())
        show("platform", (*db).read_platform([](storage::Tx& tx) {
            return audit::verify_platform(tx);
        }));
    for (const auto& t : targets)
        show("tenant " + t.code, db->read(storage::TenantScope(t.id), [](storage::ScopedTx& stx) {
            return audit::verify(stx);
        }));
    if (!checkpoints.empty()) {
        auto keys = crypto::Keyring::open(c.effective_keys_dir(), false);
        if (!keys) return report(keys.error());
        auto seed = (*keys)->own_key(app::kCheckpointKey);
        if (!seed) return report(seed.error());
        auto r = audit::check_checkpoints(*db, crypto::signing_public_key(*seed), checkpoints);
        if (!r) return report(r.error());
        for (const auto& p : r->problems) std::cout << "FAILED checkpoint " << p << "\n";
        if (r->problems.empty())
            std::cout << "ok     checkpoints: " << r->files << " files, " << r->heads
                      << " chain heads as signed\n";
        broken += static_cast<int>(r->problems.size());
        if (r->files == 0) {
            std::cout << "FAILED checkpoints: none in " << checkpoints << "\n";
            ++broken;
        }
    }
    return broken ? 1 : 0;
}

}  // namespace yoyaku::cli
