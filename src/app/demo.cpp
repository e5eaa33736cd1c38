// The demo tenant `serve --demo` makes (a development machine only): its sign-ins with
// published passwords, and a few offerings of every shape to try.

#include <spdlog/spdlog.h>

#include "app/platform.hpp"
#include "app/services.hpp"

namespace yoyaku::app {

namespace {

const audit::Actor kSeeder{"system", "system"};
const audit::Origin kSeedOrigin{"", "yoyaku-demo-seed", ""};

// The demo offerings of one tenant, dated from today in Tokyo.
class DemoOfferings {
public:
    DemoOfferings(Services& s, TenantId tenant)
        : s_(s),
          tenant_(tenant),
          today_(std::chrono::floor<std::chrono::days>(to_local(s.clock.now(), "Asia/Tokyo"))) {}

    /// A concert with three evenings of 100 seats, two weeks ahead.
    Result<void> concert() {
        offerings::OfferingInput in;
        in.name = "デモ演奏会 (Demo concert)";
        in.description = "市民会館大ホール (Main hall)";
        in.published = true;
        in.closes_before_minutes = 60;
        in.cancel_before_minutes = 24 * 60;
        in.max_per_order = 6;
        in.ticket_types = {
            {"adult", "一般 (Adult)", 3000, 4}, {"child", "小学生 (Child)", 1000, 4}};
        // Free until a week before, then half, and the whole price on the day before.
        in.cancellation_fees = {{7 * 1440, 50}, {1440, 100}};
        in.waitlist = offerings::WaitlistMode::offer;
        YOYAKU_TRY_ASSIGN(const auto o, create(in));
        for (int evening = 0; evening < 3; ++evening)
            YOYAKU_TRY(add(o.id, at(14 + evening, 18), std::chrono::hours(2), 100));
        return {};
    }
    /// A recital in the small hall with numbered seats (a seat map of three rows of ten, an
    /// aisle after the fifth seat, two wheelchair places with companions, two seats held
    /// back), three weeks ahead.
    Result<void> seated_recital() {
        std::string rows;
        for (const char* row : {"A", "B", "C"}) {
            std::string seats;
            for (int n = 1; n <= 10; ++n) {
                const bool access = std::string_view(row) == "C" && (n == 1 || n == 10);
                const bool companion = std::string_view(row) == "C" && (n == 2 || n == 9);
                seats += (n > 1 ? "," : "") + std::string(R"({"number":)") + std::to_string(n) +
                         R"(,"x":)" + std::to_string(n <= 5 ? n - 1 : n) + R"(,"category":")" +
                         (std::string_view(row) == "A" ? "S" : "A") + R"(")" +
                         (access      ? R"(,"kind":"wheelchair")"
                          : companion ? R"(,"kind":"companion")"
                                      : "") +
                         (std::string_view(row) == "A" && n == 5 ? R"(,"held":true)" : "") + "}";
            }
            rows += std::string(rows.empty() ? "" : ",") + R"({"name":")" + row + R"(","y":)" +
                    std::to_string(row[0] - 'A') + R"(,"seats":[)" + seats + "]}";
        }
        const std::string layout =
            R"({"categories":[{"code":"S","name":"S席"},{"code":"A","name":"A席"}],)"
            R"j("sections":[{"name":"1階 (Floor)","rows":[)j" +
            rows + "]}]}";
        YOYAKU_TRY_ASSIGN(
            const auto hall,
            s_.seats.create_map(tenant_, "小ホール (Small hall)", layout, kSeeder, kSeedOrigin)
        );
        offerings::OfferingInput in;
        in.name = "デモ室内楽リサイタル (Demo recital, numbered seats)";
        in.description = "小ホール (Small hall) · 座席指定 (choose your seats)";
        in.published = true;
        in.max_per_order = 4;
        // S席 (row A) 5,000 yen, A席 4,000.
        in.ticket_types = {{"adult", "一般 (Adult)", 4000, 4, {{"S", 5000}}}};
        in.seat_map_id = hall.id;
        YOYAKU_TRY_ASSIGN(const auto o, create(in));
        return add(o.id, at(21, 14), std::chrono::hours(2), hall.seats);
    }
    /// A small class of two seats ten days ahead, whose freed places go to the waitlist in turn.
    Result<void> tea_taster() {
        offerings::OfferingInput in;
        in.name = "デモ茶道体験 (Tea ceremony taster)";
        in.description = "和室 (Japanese room) · 2名まで (two places)";
        in.published = true;
        in.cancel_before_minutes = 24 * 60;
        in.max_per_order = 2;
        in.ticket_types = {{"adult", "一般 (Adult)", 2000, 2}};
        in.cancellation_fees = {{2 * 1440, 100}};
        in.waitlist = offerings::WaitlistMode::offer;
        in.waitlist_offer_minutes = 120;
        YOYAKU_TRY_ASSIGN(const auto o, create(in));
        return add(o.id, at(10, 10), std::chrono::hours(1), 2);
    }
    /// A concert drawn by lottery: applications for a week, the draw the day after, the seats
    /// left sold first come first served from the day after that.
    Result<void> lottery_concert() {
        offerings::OfferingInput in;
        in.name = "デモ抽選公演 (Lottery concert)";
        in.description = "大ホール (Main hall) · 抽選 (by lottery)";
        in.published = true;
        in.max_per_order = 4;
        in.ticket_types = {{"adult", "一般 (Adult)", 2500, 4}};
        in.lottery = offerings::LotteryRules{at(7, 12), at(8, 12), at(9, 12)};
        YOYAKU_TRY_ASSIGN(const auto o, create(in));
        for (int d = 20; d < 23; ++d) YOYAKU_TRY(add(o.id, at(d, 14), std::chrono::hours(2), 50));
        return {};
    }
    /// A meeting room rented by the hour, every day 09:00–17:00.
    Result<void> meeting_room() {
        resources::ResourceInput room;
        room.kind = resources::Kind::room;
        room.name = "デモ会議室 (Meeting room)";
        for (auto& day : room.hours) day = {{9 * 60, 17 * 60}};
        YOYAKU_TRY_ASSIGN(
            const auto made, s_.resources.create(tenant_, room, kSeeder, kSeedOrigin)
        );
        offerings::OfferingInput in;
        in.kind = offerings::OfferingKind::rental;
        in.name = "デモ会議室 (Meeting room)";
        in.published = true;
        in.duration_minutes = 60;
        in.min_blocks = 1;
        in.max_blocks = 4;
        in.max_per_order = 1;
        in.price_jpy = 1000;
        in.resource_ids = {made.id};
        YOYAKU_TRY(create(in));
        return {};
    }

    /// A hall rented by time division (午前・午後・夜間, dearer at weekends and holidays),
    /// with a projector and a grand piano to borrow and the usual surcharges.
    Result<void> division_hall() {
        resources::ResourceInput hall;
        hall.kind = resources::Kind::room;
        hall.name = "デモ多目的ホール (Multipurpose hall)";
        hall.seats = 200;
        for (auto& day : hall.hours) day = {{9 * 60, 21 * 60 + 30}};
        using resources::DayType;
        hall.divisions = {
            {"am", "午前", DayType::weekday, "09:00", "12:00", 6000},
            {"pm", "午後", DayType::weekday, "13:00", "17:00", 8000},
            {"night", "夜間", DayType::weekday, "18:00", "21:30", 9000},
            {"am", "午前", DayType::holiday, "09:00", "12:00", 7200},
            {"pm", "午後", DayType::holiday, "13:00", "17:00", 9600},
            {"night", "夜間", DayType::holiday, "18:00", "21:30", 10800}};
        YOYAKU_TRY_ASSIGN(
            const auto room, s_.resources.create(tenant_, hall, kSeeder, kSeedOrigin)
        );
        std::vector<offerings::EquipmentOption> lent;
        for (const auto& [name, units, price] :
             {std::tuple{"プロジェクター (Projector)", 2, 1500},
              std::tuple{"グランドピアノ (Grand piano)", 1, 3000}}) {
            resources::ResourceInput item;
            item.kind = resources::Kind::equipment;
            item.name = name;
            item.units = units;
            for (auto& day : item.hours) day = {{0, 24 * 60}};
            YOYAKU_TRY_ASSIGN(
                const auto made, s_.resources.create(tenant_, item, kSeeder, kSeedOrigin)
            );
            lent.push_back({made.id, price, units, name});
        }
        offerings::OfferingInput in;
        in.kind = offerings::OfferingKind::rental;
        in.name = "デモ多目的ホール (Multipurpose hall, by division)";
        in.description = "午前・午後・夜間の区分で貸出 (rented by time division)";
        in.published = true;
        in.by_division = true;
        in.duration_minutes = 0;
        in.min_blocks = 1;
        in.max_blocks = 3;
        in.max_per_order = 1;
        in.cancel_before_minutes = 7 * 1440;
        in.resource_ids = {room.id};
        in.equipment = lent;
        in.surcharges = {
            {"admission", "入場料を徴収する (Admission charged)", 50, 0},
            {"commercial", "営利目的 (Commercial use)", 100, 0},
            {"heating", "冷暖房 (Heating/cooling)", 0, 1000}};
        YOYAKU_TRY_ASSIGN(const auto rented, create(in));
        return hall_lottery(rented.id);
    }

    /// The month after next of the hall allotted by lottery (施設の抽選): residents first,
    /// applications until 30 days before it, the draw the day after, winners confirm within
    /// ten days, the rest first come first served two days later.
    Result<void> hall_lottery(OfferingId hall) {
        YOYAKU_TRY_ASSIGN(
            const auto residents,
            s_.user_classes.save(
                tenant_, {{}, "市民 (Residents)", 80, std::nullopt}, kSeeder, kSeedOrigin
            )
        );
        using namespace std::chrono;
        const year_month_day today{today_};
        const auto month = (today.year() / today.month()) + months{2};
        const auto starts = from_local(local_days{month / day{1}}, "Asia/Tokyo");
        bookings::RoomLottery l;
        l.name = "デモ多目的ホール 抽選 (Hall lottery)";
        l.month = month;
        l.offering_ids = {hall};
        l.opens_at = at(-1, 9);
        l.closes_at = starts - days{30};
        l.draw_at = l.closes_at + days{1};
        l.confirm_by = l.draw_at + days{10};
        l.first_come_at = l.confirm_by + days{2};
        l.max_choices = 3;
        l.max_wins = 1;
        l.tiers = {residents.id};
        YOYAKU_TRY(s_.room_lotteries.create(tenant_, l, kSeeder, kSeedOrigin));
        return {};
    }

private:
    Instant at(int days_ahead, int hour) const {
        return from_local(
            today_ + std::chrono::days(days_ahead) + std::chrono::hours(hour), "Asia/Tokyo"
        );
    }
    Result<offerings::Offering> create(const offerings::OfferingInput& in) {
        return s_.offerings.create(tenant_, in, kSeeder, kSeedOrigin);
    }
    Result<void> add(OfferingId o, Instant start, std::chrono::minutes length, int seats) {
        YOYAKU_TRY(s_.offerings.add_occurrence(
            tenant_, o, start, start + length, seats, kSeeder, kSeedOrigin
        ));
        return {};
    }

    Services& s_;
    TenantId tenant_;
    std::chrono::local_days today_;
};

}  // namespace

Result<void> seed_demo(Services& s) {
    auto found = s.tenants.find_by_code("demo");
    if (!found && found.error().code != Errc::not_found) return fail(std::move(found).error());
    if (!found) {
        found = s.tenants.create(
            {"demo", "デモ市民会館 (Demo Civic Hall)", "Asia/Tokyo", "ja"}, kSeeder, kSeedOrigin
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
            kSeeder,
            kSeedOrigin
        );
        if (!created && created.error().code != Errc::conflict)
            return fail(std::move(created).error());
    }
    // The offerings, once.
    YOYAKU_TRY_ASSIGN(const auto offerings, s.offerings.list(found->id, false));
    if (offerings.empty()) {
        DemoOfferings demo(s, found->id);
        YOYAKU_TRY(demo.concert());
        YOYAKU_TRY(demo.tea_taster());
        YOYAKU_TRY(demo.lottery_concert());
        YOYAKU_TRY(demo.meeting_room());
        YOYAKU_TRY(demo.seated_recital());
        YOYAKU_TRY(demo.division_hall());
    }
    spdlog::warn("demo sign-ins with published passwords exist: never use --demo in production");
    return {};
}

}  // namespace yoyaku::app
