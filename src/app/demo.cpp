// The demo tenant `serve --demo` makes (a development machine only): its sign-ins with
// published passwords, and a few offerings of every shape to try.

#include <spdlog/spdlog.h>

#include "app/platform.hpp"
#include "app/services.hpp"

namespace yoyaku::app {

Result<void> seed_demo(Services& s) {
    const audit::Actor actor{"system", "system"};
    const audit::Origin origin{"", "yoyaku-demo-seed", ""};
    auto found = s.tenants.find_by_code("demo");
    if (!found && found.error().code != Errc::not_found) return fail(std::move(found).error());
    if (!found) {
        found = s.tenants.create(
            {"demo", "デモ市民会館 (Demo Civic Hall)", "Asia/Tokyo", "ja"}, actor, origin
        );
        if (!found) return fail(std::move(found).error());
    }
    for (const auto& login : kDemoLogins) {
        const bool op = std::string_view(login.tenant).empty();
        const TenantId tenant = op ? accounts::kPlatform : found->id;
        auto created = s.accounts.create(
            tenant,
            {op ? access::Role::operator_ : access::Role::manager,
             login.email,
             op ? "デモ運用者 (Demo operator)" : "デモ管理者 (Demo manager)",
             std::string(login.password)},
            actor,
            origin
        );
        if (!created && created.error().code != Errc::conflict)
            return fail(std::move(created).error());
    }
    // A demo concert with three evenings of 100 seats, two weeks ahead, a tea ceremony taster
    // of two places ten days ahead, a concert drawn by lottery and a meeting room, once.
    YOYAKU_TRY_ASSIGN(auto offerings, s.offerings.list(found->id, false));
    if (offerings.empty()) {
        offerings::OfferingInput concert;
        concert.name = "デモ演奏会 (Demo concert)";
        concert.description = "市民会館大ホール (Main hall)";
        concert.published = true;
        concert.closes_before_minutes = 60;
        concert.cancel_before_minutes = 24 * 60;
        concert.max_per_order = 6;
        concert.ticket_types = {
            {"adult", "一般 (Adult)", 3000, 4}, {"child", "小学生 (Child)", 1000, 4}};
        // Free until a week before, then half, and the whole price on the day before.
        concert.cancellation_fees = {{7 * 1440, 50}, {1440, 100}};
        concert.waitlist = offerings::WaitlistMode::offer;
        YOYAKU_TRY_ASSIGN(auto o, s.offerings.create(found->id, concert, actor, origin));
        const auto today =
            std::chrono::floor<std::chrono::days>(to_local(s.clock.now(), "Asia/Tokyo"));
        // A small class of two seats whose freed places go to the waitlist in turn.
        offerings::OfferingInput taster;
        taster.name = "デモ茶道体験 (Tea ceremony taster)";
        taster.description = "和室 (Japanese room) · 2名まで (two places)";
        taster.published = true;
        taster.cancel_before_minutes = 24 * 60;
        taster.max_per_order = 2;
        taster.ticket_types = {{"adult", "一般 (Adult)", 2000, 2}};
        taster.cancellation_fees = {{2 * 1440, 100}};
        taster.waitlist = offerings::WaitlistMode::offer;
        taster.waitlist_offer_minutes = 120;
        YOYAKU_TRY_ASSIGN(auto tea, s.offerings.create(found->id, taster, actor, origin));
        const auto tea_start =
            from_local(today + std::chrono::days(10) + std::chrono::hours(10), "Asia/Tokyo");
        YOYAKU_TRY(s.offerings.add_occurrence(
            found->id, tea.id, tea_start, tea_start + std::chrono::hours(1), 2, actor, origin
        ));
        // A concert drawn by lottery: applications for a week, the draw the day after, the
        // seats left sold first come first served from the day after that.
        offerings::OfferingInput drawn;
        drawn.name = "デモ抽選公演 (Lottery concert)";
        drawn.description = "大ホール (Main hall) · 抽選 (by lottery)";
        drawn.published = true;
        drawn.max_per_order = 4;
        drawn.ticket_types = {{"adult", "一般 (Adult)", 2500, 4}};
        const auto at_noon = [&](int d) {
            return from_local(today + std::chrono::days(d) + std::chrono::hours(12), "Asia/Tokyo");
        };
        drawn.lottery = offerings::LotteryRules{at_noon(7), at_noon(8), at_noon(9)};
        YOYAKU_TRY_ASSIGN(auto lottery, s.offerings.create(found->id, drawn, actor, origin));
        for (int d = 20; d < 23; ++d) {
            const auto start =
                from_local(today + std::chrono::days(d) + std::chrono::hours(14), "Asia/Tokyo");
            YOYAKU_TRY(s.offerings.add_occurrence(
                found->id, lottery.id, start, start + std::chrono::hours(2), 50, actor, origin
            ));
        }
        // A meeting room rented by the hour, every day 09:00–17:00.
        resources::ResourceInput room;
        room.kind = resources::Kind::room;
        room.name = "デモ会議室 (Meeting room)";
        for (auto& day : room.hours) day = {{9 * 60, 17 * 60}};
        YOYAKU_TRY_ASSIGN(auto made_room, s.resources.create(found->id, room, actor, origin));
        offerings::OfferingInput rental;
        rental.kind = offerings::OfferingKind::rental;
        rental.name = "デモ会議室 (Meeting room)";
        rental.published = true;
        rental.duration_minutes = 60;
        rental.min_blocks = 1;
        rental.max_blocks = 4;
        rental.max_per_order = 1;
        rental.price_jpy = 1000;
        rental.resource_ids = {made_room.id};
        YOYAKU_TRY_ASSIGN(auto rent, s.offerings.create(found->id, rental, actor, origin));
        for (int evening = 0; evening < 3; ++evening) {
            const auto start = from_local(
                today + std::chrono::days(14 + evening) + std::chrono::hours(18), "Asia/Tokyo"
            );
            YOYAKU_TRY(s.offerings.add_occurrence(
                found->id, o.id, start, start + std::chrono::hours(2), 100, actor, origin
            ));
        }
    }
    spdlog::warn("demo sign-ins with published passwords exist: never use --demo in production");
    return {};
}

}  // namespace yoyaku::app
