#include "domain/user_classes/user_class_service.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "domain/user_classes/user_class_store.hpp"

namespace yoyaku::user_classes {
namespace {

using storage::ScopedTx;

boost::json::value optional_json(const std::optional<std::int64_t>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

std::string class_details(const UserClass& c) {
    return boost::json::serialize(boost::json::object{
        {"price_percent", c.price_percent},
        {"opens_before_minutes", optional_json(c.opens_before_minutes)}});
}

}  // namespace

Result<UserClass> check(UserClass in) {
    auto name = text::check_line(in.name, 1, 100);
    if (!name.value) return Error::invalid("name", name.problem);
    in.name = *name.value;
    if (in.price_percent < 0 || in.price_percent > 1000)
        return Error::invalid("price_percent", "must be 0 to 1000");
    if (in.opens_before_minutes &&
        (*in.opens_before_minutes < 0 || *in.opens_before_minutes > 1051200))
        return Error::invalid("opens_before_minutes", "must be 0 to 1051200 (two years)");
    return in;
}

Applied apply_class(const std::optional<UserClass>& c, int closes_before_minutes) {
    if (!c) return {};
    Applied a{c->price_percent, std::nullopt};
    // A window that opens before the offering closes it; otherwise the offering's.
    if (c->opens_before_minutes && *c->opens_before_minutes > closes_before_minutes)
        a.opens_before_minutes = c->opens_before_minutes;
    return a;
}

Result<std::vector<UserClass>> UserClassService::list(TenantId tenant) {
    return db_.read(storage::TenantScope(tenant), [](ScopedTx& stx) {
        return UserClassStore(stx).list();
    });
}

Result<UserClass> UserClassService::save(
    TenantId tenant, const UserClass& given, const audit::Actor& actor, const audit::Origin& origin
) {
    YOYAKU_TRY_ASSIGN(const UserClass in, check(given));
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<UserClass> {
        UserClassStore store(stx);
        UserClassId id = in.id;
        if (id.valid()) {
            YOYAKU_TRY(store.update(in));
        } else {
            YOYAKU_TRY_ASSIGN(id, store.insert(in, now));
        }
        YOYAKU_TRY_ASSIGN(auto saved, store.find_by_id(id));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {in.id.valid() ? "user_class.updated" : "user_class.created",
             "user_class:" + to_string(id),
             "success",
             class_details(saved)},
            now
        ));
        return saved;
    });
}

Result<void> UserClassService::remove(
    TenantId tenant, UserClassId id, const audit::Actor& actor, const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        UserClassStore store(stx);
        YOYAKU_TRY(store.find_by_id(id));
        YOYAKU_TRY(store.remove(id));
        YOYAKU_TRY(audit::append(
            stx, actor, origin, {"user_class.deleted", "user_class:" + to_string(id)}, now
        ));
        return {};
    });
}

Result<std::map<AccountId, UserClassId>> UserClassService::members(TenantId tenant) {
    return db_.read(storage::TenantScope(tenant), [](ScopedTx& stx) {
        return UserClassStore(stx).list_members();
    });
}

Result<void> UserClassService::assign(
    TenantId tenant,
    AccountId account,
    std::optional<UserClassId> id,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        UserClassStore store(stx);
        if (id) {
            auto c = store.find_by_id(*id);
            if (!c && c.error().code == Errc::not_found)
                return Error::invalid("user_class_id", "no user class has this id");
            if (!c) return fail(std::move(c).error());
        }
        YOYAKU_TRY(store.update_account_class(account, id));
        YOYAKU_TRY(audit::append(
            stx,
            actor,
            origin,
            {"account.user_class_changed",
             "account:" + to_string(account),
             "success",
             boost::json::serialize(boost::json::object{
                 {"user_class_id",
                  optional_json(id ? std::optional<std::int64_t>(id->value) : std::nullopt)}})},
            now
        ));
        return {};
    });
}

Result<std::map<AccountId, std::vector<std::string>>> UserClassService::tags(TenantId tenant) {
    return db_.read(storage::TenantScope(tenant), [](ScopedTx& stx) {
        return UserClassStore(stx).list_tags();
    });
}

Result<std::vector<std::string>> UserClassService::set_tags(
    TenantId tenant,
    AccountId account,
    std::vector<std::string> tags,
    const audit::Actor& actor,
    const audit::Origin& origin
) {
    if (tags.size() > kMaxTags)
        return Error::invalid("tags", "at most " + std::to_string(kMaxTags) + " tags");
    for (std::size_t i = 0; i < tags.size(); ++i) {
        auto tag = text::check_line(tags[i], 1, 40);
        if (!tag.value) return Error::invalid("tags[" + std::to_string(i) + "]", tag.problem);
        tags[i] = std::move(*tag.value);
    }
    std::sort(tags.begin(), tags.end());
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    const Instant now = clock_.now();
    return db_.write(
        storage::TenantScope(tenant),
        [&](ScopedTx& stx) -> Result<std::vector<std::string>> {
            YOYAKU_TRY_ASSIGN(
                const bool replaced, UserClassStore(stx).replace_tags(account, tags, now)
            );
            if (!replaced) return Error::not_found("no such customer");
            boost::json::array listed;
            for (const auto& t : tags) listed.emplace_back(t);
            YOYAKU_TRY(audit::append(
                stx,
                actor,
                origin,
                {"account.tags_changed",
                 "account:" + to_string(account),
                 "success",
                 boost::json::serialize(boost::json::object{{"tags", std::move(listed)}})},
                now
            ));
            return tags;
        }
    );
}

}  // namespace yoyaku::user_classes
