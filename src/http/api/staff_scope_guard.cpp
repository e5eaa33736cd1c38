#include "http/api/staff_scope_guard.hpp"

#include <algorithm>
#include <vector>

namespace yoyaku::http {
namespace {

std::vector<ResourceId> resources_of(const offerings::Offering& o) {
    std::vector<ResourceId> out;
    for (const auto r : o.resource_ids) out.emplace_back(r);
    return out;
}

std::optional<ResourceId> room_of(const offerings::Offering& o) {
    if (!o.room_id) return std::nullopt;
    return ResourceId{*o.room_id};
}

}  // namespace

bool sees_offering(const Request& req, const offerings::Offering& o) {
    return req.principal.scope.covers_offering(o.id, resources_of(o), room_of(o));
}

bool sees_resource(
    const Request& req, ResourceId resource, std::span<const offerings::Offering> all
) {
    const auto& scope = req.principal.scope;
    if (!scope.limited() || scope.assigned(resource)) return true;
    return std::any_of(all.begin(), all.end(), [&](const offerings::Offering& o) {
        if (!scope.assigned(o.id)) return false;
        const auto uses = resources_of(o);
        return room_of(o) == resource ||
               std::find(uses.begin(), uses.end(), resource) != uses.end();
    });
}

Result<offerings::Offering> visible_offering(ApiContext& ctx, const Request& req, OfferingId id) {
    auto o = ctx.offerings.find(req.principal.tenant, id);
    if (!o) return o;
    if (!sees_offering(req, *o)) return Error::not_found("no such offering");
    return o;
}

Result<void> check_resource(ApiContext& ctx, const Request& req, ResourceId id) {
    if (!req.principal.scope.limited()) return {};
    YOYAKU_TRY_ASSIGN(const auto all, ctx.offerings.list(req.principal.tenant, false));
    if (!sees_resource(req, id, all)) return Error::not_found("no such resource");
    return {};
}

bool covers(const Request& req, const bookings::Booking& b) {
    return req.principal.scope.covers_booking(b.offering_id, b.resource_id, b.room_id);
}

Result<void> check_booking(ApiContext& ctx, const Request& req, std::string_view reference) {
    if (!req.principal.scope.limited()) return {};
    YOYAKU_TRY_ASSIGN(
        const auto b, ctx.bookings.find_by_reference(req.principal.tenant, reference)
    );
    if (!covers(req, b)) return Error::not_found("no such booking");
    return {};
}

Result<void> check_selection(
    ApiContext& ctx, const Request& req, const bookings::Selection& sel, OfferingId offering
) {
    const auto& scope = req.principal.scope;
    if (!scope.limited()) return {};
    if (!offering.valid() && sel.offering_id.valid()) offering = sel.offering_id;
    if (!offering.valid() && sel.occurrence_id.valid()) {
        YOYAKU_TRY_ASSIGN(
            const auto occ, ctx.offerings.find_occurrence(req.principal.tenant, sel.occurrence_id)
        );
        offering = occ.offering_id;
    }
    // Nothing named: the booking engine refuses it on the field itself.
    if (!offering.valid()) return {};
    YOYAKU_TRY_ASSIGN(const auto o, visible_offering(ctx, req, offering));
    if (scope.assigned(o.id)) return {};
    if (const auto room = room_of(o); room && scope.assigned(*room)) return {};
    if (o.kind == offerings::OfferingKind::rental && !o.resource_ids.empty() &&
        scope.assigned(ResourceId{o.resource_ids.front()}))
        return {};
    if (sel.resource_id && scope.assigned(ResourceId{*sel.resource_id})) return {};
    return Error::invalid("resource_id", "choose a staff member you are assigned to");
}

Result<void> check_customer(ApiContext& ctx, const Request& req, AccountId customer) {
    // Another tenant's account, or not a customer: no such customer, whatever the request says.
    auto a = ctx.accounts.find(req.principal.tenant, customer);
    if (!a || a->role != access::Role::customer) return Error::not_found("no such customer");
    const auto& scope = req.principal.scope;
    if (!scope.limited()) return {};
    YOYAKU_TRY_ASSIGN(const auto mine, ctx.bookings.customer_accounts(req.principal.tenant, scope));
    if (!std::binary_search(mine.begin(), mine.end(), customer))
        return Error::not_found("no such customer");
    return {};
}

}  // namespace yoyaku::http
