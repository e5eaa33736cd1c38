#include "domain/groups/group_service.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/sealing.hpp"
#include "domain/groups/group_store.hpp"
#include "domain/user_classes/user_class_store.hpp"
#include "domain/webhooks/webhooks.hpp"

namespace yoyaku::groups {
namespace {

using namespace std::chrono;
using storage::ScopedTx;

Result<std::string> checked_line(
    const std::string& s, std::size_t min, std::size_t max, const std::string& field
) {
    auto c = text::check_line(s, min, max);
    if (!c.value) return Error::invalid(field, c.problem);
    return *c.value;
}

std::string details_text(const GroupDetails& d) {
    boost::json::array members;
    for (const auto& m : d.members) members.emplace_back(m);
    return boost::json::serialize(boost::json::object{
        {"representative", d.representative},
        {"phone", d.phone},
        {"address", d.address},
        {"members", std::move(members)}});
}

Result<GroupDetails> details_from(const std::string& text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_object()) return Error::internal("a group's details are garbled");
    const auto& o = v.get_object();
    GroupDetails d;
    const auto str = [&](std::string_view k) {
        const auto* x = o.if_contains(k);
        return x && x->is_string() ? std::string(x->get_string()) : std::string();
    };
    d.representative = str("representative");
    d.phone = str("phone");
    d.address = str("address");
    if (const auto* m = o.if_contains("members"); m && m->is_array())
        for (const auto& x : m->get_array())
            if (x.is_string()) d.members.emplace_back(x.get_string());
    return d;
}

std::string details_context(TenantId tenant, GroupId id) {
    return crypto::field_context(tenant, "customer_groups", GroupStore::kDetails.context, id);
}

std::string body_context(TenantId tenant, GroupDocumentId id) {
    return crypto::field_context(tenant, "group_documents", GroupStore::kBody.context, id);
}

// A group's row opened, with its documents.
Result<Group> opened(ScopedTx& stx, const crypto::TenantKeys& keys, GroupRow row) {
    YOYAKU_TRY_ASSIGN(
        const auto text,
        keys.open(row.details_sealed, details_context(stx.tenant_id(), row.group.id))
    );
    YOYAKU_TRY_ASSIGN(row.group.details, details_from(text));
    YOYAKU_TRY_ASSIGN(row.group.documents, GroupStore(stx).list_documents(row.group.id));
    return std::move(row.group);
}

// The group `id`, which must be `owner`'s when one is named.
Result<GroupRow> owned(ScopedTx& stx, GroupId id, std::optional<AccountId> owner) {
    auto row = GroupStore(stx).find(id);
    if (!row) return row;
    if (owner && row->group.account_id != *owner) return Error::not_found("no such group");
    return row;
}

boost::json::object details_of(const Group& g) {
    return boost::json::object{
        {"name", g.name},
        {"status", g.status},
        {"member_count", g.member_count},
        {"user_class_id",
         g.user_class_id ? boost::json::value(g.user_class_id->value) : boost::json::value()},
        {"expires_at",
         g.expires_at ? boost::json::value(format_rfc3339(*g.expires_at, "UTC"))
                      : boost::json::value()}};
}

// Audited, and told to the tenant's webhooks (the group's name, status, class and expiry: no
// personal data).
Result<void> record(
    ScopedTx& stx,
    crypto::Keyring& keys,
    const audit::Actor& actor,
    const audit::Origin& origin,
    std::string action,
    const Group& g,
    Instant now
) {
    auto data = details_of(g);
    YOYAKU_TRY(audit::append(
        stx,
        actor,
        origin,
        {action, "group:" + to_string(g.id), "success", boost::json::serialize(data)},
        now
    ));
    data["id"] = g.id.value;
    YOYAKU_TRY(webhooks::emit(stx, keys, action, boost::json::serialize(data), now));
    return {};
}

}  // namespace

std::string status_at(const Group& g, Instant now) {
    if (g.status == "approved" && g.expires_at && *g.expires_at <= now) return "expired";
    return g.status;
}

std::string_view sniff_document(std::string_view b) {
    if (b.starts_with("%PDF-")) return "application/pdf";
    if (b.starts_with("\x89PNG\r\n\x1a\n")) return "image/png";
    if (b.starts_with("\xff\xd8\xff")) return "image/jpeg";
    return {};
}

Result<NewGroup> check(NewGroup in) {
    YOYAKU_TRY_ASSIGN(in.name, checked_line(in.name, 1, 200, "name"));
    auto& d = in.details;
    YOYAKU_TRY_ASSIGN(
        d.representative, checked_line(d.representative, 1, 100, "details.representative")
    );
    YOYAKU_TRY_ASSIGN(d.phone, checked_line(d.phone, 0, 30, "details.phone"));
    YOYAKU_TRY_ASSIGN(d.address, checked_line(d.address, 0, 300, "details.address"));
    if (d.members.size() > 200) return Error::invalid("details.members", "name at most 200");
    for (std::size_t i = 0; i < d.members.size(); ++i) {
        YOYAKU_TRY_ASSIGN(
            d.members[i],
            checked_line(d.members[i], 1, 100, "details.members[" + std::to_string(i) + "]")
        );
    }
    if (in.member_count < 1 || in.member_count > 100000)
        return Error::invalid("member_count", "must be 1 to 100000");
    if (in.member_count < static_cast<int>(d.members.size()))
        return Error::invalid("member_count", "is less than the members named");
    return in;
}

Result<std::optional<UserClassId>> class_for_booking(
    ScopedTx& stx, AccountId account, GroupId group, Instant now
) {
    auto row = GroupStore(stx).find(group);
    if (!row && row.error().code != Errc::not_found) return fail(std::move(row).error());
    if (!row || row->group.account_id != account)
        return Error::invalid("group_id", "is not a group of yours");
    const auto& g = row->group;
    // A renewal waiting for staff keeps the approval running until it ends.
    if (g.status == "rejected" || !g.expires_at || *g.expires_at <= now)
        return Error::invalid("group_id", "is not approved (or its registration has expired)");
    return g.user_class_id;
}

Result<Group> GroupService::register_group(
    TenantId tenant,
    AccountId account,
    const NewGroup& given,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(const auto in, check(given));
    YOYAKU_TRY_ASSIGN(const auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Group> {
        GroupStore store(stx);
        YOYAKU_TRY_ASSIGN(const auto id, store.insert(account, in, now));
        YOYAKU_TRY(store.update_details_sealed(
            id, crypto::seal(keys.seal, details_text(in.details), details_context(tenant, id))
        ));
        YOYAKU_TRY_ASSIGN(auto row, store.find(id));
        YOYAKU_TRY_ASSIGN(auto g, opened(stx, keys, std::move(row)));
        YOYAKU_TRY(record(stx, keys_, actor, origin, "group.registered", g, now));
        return g;
    });
}

Result<std::vector<Group>> GroupService::list(
    TenantId tenant, std::optional<AccountId> account, std::optional<std::string> status
) {
    YOYAKU_TRY_ASSIGN(const auto keys, keys_.tenant_keys(tenant));
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<std::vector<Group>> {
        YOYAKU_TRY_ASSIGN(auto rows, GroupStore(stx).list(status, account));
        std::vector<Group> out;
        out.reserve(rows.size());
        for (auto& r : rows) {
            YOYAKU_TRY_ASSIGN(auto g, opened(stx, keys, std::move(r)));
            out.push_back(std::move(g));
        }
        return out;
    });
}

Result<Group> GroupService::find(TenantId tenant, GroupId id, std::optional<AccountId> owner) {
    YOYAKU_TRY_ASSIGN(const auto keys, keys_.tenant_keys(tenant));
    return db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Group> {
        YOYAKU_TRY_ASSIGN(auto row, owned(stx, id, owner));
        return opened(stx, keys, std::move(row));
    });
}

Result<GroupDocument> GroupService::add_document(
    TenantId tenant,
    AccountId owner,
    GroupId id,
    const std::string& filename,
    const std::string& content_type,
    const std::string& bytes,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(const auto name, checked_line(filename, 1, 200, "filename"));
    if (name.find_first_of("/\\") != std::string::npos)
        return Error::invalid("filename", "must not name a folder");
    if (content_type != "application/pdf" && content_type != "image/png" &&
        content_type != "image/jpeg")
        return Error::invalid("content_type", "must be application/pdf, image/png or image/jpeg");
    if (bytes.empty()) return Error::invalid("data", "is empty");
    if (bytes.size() > kMaxDocumentBytes) return Error::invalid("data", "is larger than 700 KiB");
    if (sniff_document(bytes) != content_type)
        return Error::invalid("data", "is not a " + content_type + " file");
    YOYAKU_TRY_ASSIGN(const auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<GroupDocument> {
        YOYAKU_TRY_ASSIGN(const auto row, owned(stx, id, owner));
        GroupStore store(stx);
        YOYAKU_TRY_ASSIGN(const auto docs, store.list_documents(id));
        if (docs.size() >= static_cast<std::size_t>(kMaxDocuments))
            return Error{Errc::unprocessable, "a group keeps at most ten documents", "data", {}};
        GroupDocument d{{}, name, content_type, static_cast<std::int64_t>(bytes.size()), now};
        YOYAKU_TRY_ASSIGN(d.id, store.insert_document(id, d, now));
        YOYAKU_TRY(store.update_document_sealed(
            d.id, crypto::seal(keys.seal, bytes, body_context(tenant, d.id))
        ));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"group.document_added",
             "group:" + to_string(id),
             "success",
             boost::json::serialize(boost::json::object{
                 {"document", d.id.value}, {"content_type", content_type}, {"size", d.size}})},
            now
        ));
        (void)row;
        return d;
    });
}

Result<std::pair<GroupDocument, std::string>> GroupService::document(
    TenantId tenant, GroupId id, GroupDocumentId doc, std::optional<AccountId> owner
) {
    YOYAKU_TRY_ASSIGN(const auto keys, keys_.tenant_keys(tenant));
    return db_.read(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::pair<GroupDocument, std::string>> {
            YOYAKU_TRY(owned(stx, id, owner));
            YOYAKU_TRY_ASSIGN(auto found, GroupStore(stx).find_document(id, doc));
            YOYAKU_TRY_ASSIGN(auto bytes, keys.open(found.second, body_context(tenant, doc)));
            return std::pair(std::move(found.first), std::move(bytes));
        }
    );
}

Result<Group> GroupService::decide(
    TenantId tenant,
    GroupId id,
    bool approve,
    std::optional<UserClassId> user_class,
    const std::string& note,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    auto checked_note = text::check_line(note, 0, 1000);
    if (!checked_note.value) return Error::invalid("note", checked_note.problem);
    if (!approve && user_class)
        return Error::invalid("user_class_id", "a rejected group takes no class");
    YOYAKU_TRY_ASSIGN(const auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Group> {
        GroupStore store(stx);
        YOYAKU_TRY_ASSIGN(const auto row, store.find(id));
        if (user_class) {
            auto c = user_classes::UserClassStore(stx).find_by_id(*user_class);
            if (!c && c.error().code == Errc::not_found)
                return Error::invalid("user_class_id", "no user class has this id");
            if (!c) return fail(std::move(c).error());
        }
        // A renewal adds its year to an approval still running.
        const auto& current = row.group.expires_at;
        const Instant from = current && *current > now ? *current : now;
        YOYAKU_TRY_ASSIGN(
            const bool decided,
            store.update_decision(
                id,
                approve,
                approve ? user_class : row.group.user_class_id,
                approve ? std::optional(from + kApprovalDays) : current,
                *checked_note.value,
                now
            )
        );
        if (!decided)
            return Error{
                Errc::unprocessable, "only a pending group awaits a decision", "status", {}};
        YOYAKU_TRY_ASSIGN(auto after, store.find(id));
        YOYAKU_TRY_ASSIGN(auto g, opened(stx, keys, std::move(after)));
        YOYAKU_TRY(
            record(stx, keys_, actor, origin, approve ? "group.approved" : "group.rejected", g, now)
        );
        return g;
    });
}

Result<Group> GroupService::renew(
    TenantId tenant,
    AccountId owner,
    GroupId id,
    const std::optional<NewGroup>& given,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    std::optional<NewGroup> in;
    if (given) {
        YOYAKU_TRY_ASSIGN(in, check(*given));
    }
    YOYAKU_TRY_ASSIGN(const auto keys, keys_.tenant_keys(tenant));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<Group> {
        YOYAKU_TRY(owned(stx, id, owner));
        GroupStore store(stx);
        YOYAKU_TRY_ASSIGN(const bool asked, store.update_renewal(id, now));
        if (!asked)
            return Error{Errc::unprocessable, "this group awaits a decision already", "status", {}};
        if (in) {
            YOYAKU_TRY(store.update_registration(id, *in));
            YOYAKU_TRY(store.update_details_sealed(
                id, crypto::seal(keys.seal, details_text(in->details), details_context(tenant, id))
            ));
        }
        YOYAKU_TRY_ASSIGN(auto after, store.find(id));
        YOYAKU_TRY_ASSIGN(auto g, opened(stx, keys, std::move(after)));
        YOYAKU_TRY(record(stx, keys_, actor, origin, "group.renewal_requested", g, now));
        return g;
    });
}

}  // namespace yoyaku::groups
