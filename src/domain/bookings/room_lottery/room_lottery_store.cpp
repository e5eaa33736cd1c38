#include "domain/bookings/room_lottery/room_lottery_store.hpp"

#include <boost/json.hpp>

#include "domain/resources/resources.hpp"

namespace yoyaku::bookings {
namespace {

using namespace std::chrono;
using storage::Row;

constexpr std::string_view kLotteryColumns =
    "SELECT id, name, month, opens_at, closes_at, draw_at, confirm_by, first_come_at, "
    "max_choices, max_wins, tiers, seed, drawn_at FROM room_lotteries WHERE tenant_id = $1";

constexpr std::string_view kEntryColumns =
    "SELECT id, reference, lottery_id, account_id, group_id, tier, choices, status, locale, "
    "created_at FROM room_lottery_entries WHERE tenant_id = $1";

year_month month_from(const std::string& s) {
    return year_month{
        year{std::stoi(s.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(s.substr(5, 2)))}};
}

std::string ids_text(const std::vector<UserClassId>& ids) {
    boost::json::array a;
    for (const auto id : ids) a.emplace_back(id.value);
    return boost::json::serialize(a);
}

std::vector<UserClassId> ids_from(const std::string& s) {
    std::vector<UserClassId> out;
    boost::system::error_code ec;
    const auto v = boost::json::parse(s, ec);
    if (!ec && v.is_array())
        for (const auto& x : v.get_array())
            if (x.is_int64()) out.emplace_back(x.get_int64());
    return out;
}

RoomLottery lottery_of(const Row& r) {
    RoomLottery l;
    l.id = r.id<RoomLotteryId>("id");
    l.name = r.text("name");
    l.month = month_from(r.text("month"));
    l.opens_at = from_micros(r.i64("opens_at"));
    l.closes_at = from_micros(r.i64("closes_at"));
    l.draw_at = from_micros(r.i64("draw_at"));
    l.confirm_by = from_micros(r.i64("confirm_by"));
    l.first_come_at = from_micros(r.i64("first_come_at"));
    l.max_choices = r.i32("max_choices");
    l.max_wins = r.i32("max_wins");
    l.tiers = ids_from(r.text("tiers"));
    l.seed = r.opt_text("seed").value_or("");
    if (const auto d = r.opt_i64("drawn_at")) l.drawn_at = from_micros(*d);
    return l;
}

RoomEntry entry_of(const Row& r) {
    RoomEntry e;
    e.id = r.id<RoomLotteryEntryId>("id");
    e.reference = r.text("reference");
    e.lottery_id = r.id<RoomLotteryId>("lottery_id");
    e.account_id = r.id<AccountId>("account_id");
    e.group_id = r.opt_id<GroupId>("group_id");
    e.tier = r.i32("tier");
    e.choices = choices_from(r.text("choices"));
    e.status = r.text("status");
    e.locale = r.text("locale");
    e.created_at = from_micros(r.i64("created_at"));
    return e;
}

}  // namespace

std::string format_month(year_month m) {
    return std::to_string(static_cast<int>(m.year())) + "-" +
           (static_cast<unsigned>(m.month()) < 10 ? "0" : "") +
           std::to_string(static_cast<unsigned>(m.month()));
}

std::string choices_text(const std::vector<RoomChoice>& choices) {
    boost::json::array a;
    for (const auto& c : choices)
        a.push_back(
            {{"offering_id", c.offering_id.value},
             {"date", resources::format_date(c.date)},
             {"division", c.division},
             {"blocks", c.blocks}}
        );
    return boost::json::serialize(a);
}

std::vector<RoomChoice> choices_from(const std::string& text) {
    std::vector<RoomChoice> out;
    boost::system::error_code ec;
    const auto v = boost::json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& x : v.get_array()) {
        const auto& o = x.as_object();
        RoomChoice c;
        c.offering_id = OfferingId(o.at("offering_id").as_int64());
        c.date =
            resources::parse_date(std::string(o.at("date").as_string())).value_or(year_month_day{});
        c.division = std::string(o.at("division").as_string());
        c.blocks = static_cast<int>(o.at("blocks").as_int64());
        out.push_back(std::move(c));
    }
    return out;
}

Result<RoomLotteryId> RoomLotteryStore::insert(const RoomLottery& l, Instant now) {
    const auto month = format_month(l.month);
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "INSERT INTO room_lotteries(tenant_id, name, month, opens_at, closes_at, draw_at, confirm_by, first_come_at, max_choices, max_wins, tiers, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            stx_.tenant_id(),
            l.name,
            month,
            to_micros(l.opens_at),
            to_micros(l.closes_at),
            to_micros(l.draw_at),
            to_micros(l.confirm_by),
            to_micros(l.first_come_at),
            l.max_choices,
            l.max_wins,
            ids_text(l.tiers),
            to_micros(now)
        )
    );
    const auto id = row.id<RoomLotteryId>("id");
    for (const auto offering : l.offering_ids)
        YOYAKU_TRY(stx_.tx().exec(
            "INSERT INTO room_lottery_rooms(tenant_id, lottery_id, offering_id, month) VALUES ($1, $2, $3, $4)",
            stx_.tenant_id(),
            id,
            offering,
            month
        ));
    return id;
}

Result<bool> RoomLotteryStore::update_times(const RoomLottery& l) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE room_lotteries SET opens_at = $3, closes_at = $4, draw_at = $5, confirm_by = $6, first_come_at = $7 WHERE tenant_id = $1 AND id = $2 AND seed IS NULL",
            stx_.tenant_id(),
            l.id,
            to_micros(l.opens_at),
            to_micros(l.closes_at),
            to_micros(l.draw_at),
            to_micros(l.confirm_by),
            to_micros(l.first_come_at)
        )
    );
    return n == 1;
}

Result<std::vector<RoomLottery>> RoomLotteryStore::list() {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            std::string(kLotteryColumns) + " ORDER BY month DESC, id DESC", stx_.tenant_id()
        )
    );
    YOYAKU_TRY_ASSIGN(
        auto rooms,
        stx_.tx().query(
            "SELECT lottery_id, offering_id FROM room_lottery_rooms WHERE tenant_id = $1 ORDER BY offering_id",
            stx_.tenant_id()
        )
    );
    std::vector<RoomLottery> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
        auto l = lottery_of(r);
        for (const auto& x : rooms)
            if (x.id<RoomLotteryId>("lottery_id") == l.id)
                l.offering_ids.push_back(x.id<OfferingId>("offering_id"));
        out.push_back(std::move(l));
    }
    return out;
}

Result<RoomLottery> RoomLotteryStore::find(RoomLotteryId id) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(std::string(kLotteryColumns) + " AND id = $2", stx_.tenant_id(), id)
    );
    if (rows.empty()) return Error::not_found("no such room lottery");
    auto l = lottery_of(rows.front());
    YOYAKU_TRY_ASSIGN(
        auto rooms,
        stx_.tx().query(
            "SELECT offering_id FROM room_lottery_rooms WHERE tenant_id = $1 AND lottery_id = $2 ORDER BY offering_id",
            stx_.tenant_id(),
            id
        )
    );
    for (const auto& x : rooms) l.offering_ids.push_back(x.id<OfferingId>("offering_id"));
    return l;
}

Result<std::optional<Instant>> RoomLotteryStore::first_come_at(
    OfferingId offering, const std::string& month
) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT l.first_come_at AS first_come_at FROM room_lottery_rooms r JOIN room_lotteries l ON l.tenant_id = r.tenant_id AND l.id = r.lottery_id WHERE r.tenant_id = $1 AND r.offering_id = $2 AND r.month = $3",
            stx_.tenant_id(),
            offering,
            month
        )
    );
    if (rows.empty()) return std::optional<Instant>();
    return std::optional(from_micros(rows.front().i64("first_come_at")));
}

Result<bool> RoomLotteryStore::claim_draw(RoomLotteryId id, const std::string& seed, Instant now) {
    YOYAKU_TRY_ASSIGN(
        const auto n,
        stx_.tx().exec(
            "UPDATE room_lotteries SET seed = $3, drawn_at = $4 WHERE tenant_id = $1 AND id = $2 AND seed IS NULL",
            stx_.tenant_id(),
            id,
            seed,
            to_micros(now)
        )
    );
    return n == 1;
}

Result<void> RoomLotteryStore::update_result(
    RoomLotteryId id, const std::string& supply, const std::string& allocation
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE room_lotteries SET supply = $3, allocation = $4 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        supply,
        allocation
    ));
    return {};
}

Result<std::pair<std::string, std::string>> RoomLotteryStore::find_result(RoomLotteryId id) {
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "SELECT coalesce(supply, '') AS supply, coalesce(allocation, '') AS allocation FROM room_lotteries WHERE tenant_id = $1 AND id = $2",
            stx_.tenant_id(),
            id
        )
    );
    return std::pair(row.text("supply"), row.text("allocation"));
}

Result<RoomLotteryEntryId> RoomLotteryStore::insert_entry(const RoomEntry& e, Instant now) {
    YOYAKU_TRY_ASSIGN(
        auto row,
        stx_.tx().query_one(
            "INSERT INTO room_lottery_entries(tenant_id, lottery_id, reference, account_id, group_id, tier, choices, status, locale, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'applied', $8, $9) RETURNING id",
            stx_.tenant_id(),
            e.lottery_id,
            e.reference,
            e.account_id,
            e.group_id,
            e.tier,
            choices_text(e.choices),
            e.locale,
            to_micros(now)
        )
    );
    return row.id<RoomLotteryEntryId>("id");
}

Result<bool> RoomLotteryStore::has_entry(RoomLotteryId id, AccountId account) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT id FROM room_lottery_entries WHERE tenant_id = $1 AND lottery_id = $2 AND account_id = $3",
            stx_.tenant_id(),
            id,
            account
        )
    );
    return !rows.empty();
}

Result<std::vector<RoomEntry>> RoomLotteryStore::list_entries(
    RoomLotteryId id, std::optional<std::string> status
) {
    auto params = storage::values(stx_.tenant_id(), id);
    std::string sql = std::string(kEntryColumns) + " AND lottery_id = $2";
    if (status) {
        params.push_back(storage::to_value(*status));
        sql += " AND status = $3";
    }
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(sql + " ORDER BY reference", std::span<const storage::Value>(params))
    );
    std::vector<RoomEntry> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(entry_of(r));
    return out;
}

Result<std::vector<RoomEntry>> RoomLotteryStore::list_of(AccountId account) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            std::string(kEntryColumns) + " AND account_id = $2 ORDER BY id DESC",
            stx_.tenant_id(),
            account
        )
    );
    std::vector<RoomEntry> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
        auto e = entry_of(r);
        YOYAKU_TRY_ASSIGN(e.wins, wins_of(e.id));
        out.push_back(std::move(e));
    }
    return out;
}

Result<void> RoomLotteryStore::update_entry_status(
    RoomLotteryEntryId id, const std::string& status
) {
    YOYAKU_TRY(stx_.tx().exec(
        "UPDATE room_lottery_entries SET status = $3 WHERE tenant_id = $1 AND id = $2",
        stx_.tenant_id(),
        id,
        status
    ));
    return {};
}

Result<void> RoomLotteryStore::insert_win(RoomLotteryEntryId entry, int choice, BookingId booking) {
    YOYAKU_TRY(stx_.tx().exec(
        "INSERT INTO room_lottery_wins(tenant_id, entry_id, choice, booking_id) VALUES ($1, $2, $3, $4)",
        stx_.tenant_id(),
        entry,
        choice,
        booking
    ));
    return {};
}

Result<std::vector<RoomWin>> RoomLotteryStore::wins_of(RoomLotteryEntryId entry) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT w.choice AS choice, b.reference AS reference, b.status AS status, b.hold_expires_at AS hold_expires_at FROM room_lottery_wins w JOIN bookings b ON b.tenant_id = w.tenant_id AND b.id = w.booking_id WHERE w.tenant_id = $1 AND w.entry_id = $2 ORDER BY w.choice",
            stx_.tenant_id(),
            entry
        )
    );
    std::vector<RoomWin> out;
    for (const auto& r : rows) {
        RoomWin w;
        w.choice = r.i32("choice");
        w.booking_reference = r.text("reference");
        w.status = parse_booking_status(r.text("status")).value_or(BookingStatus::pending);
        if (w.status == BookingStatus::pending)
            if (const auto t = r.opt_i64("hold_expires_at")) w.confirm_by = from_micros(*t);
        out.push_back(std::move(w));
    }
    return out;
}

Result<std::optional<WinOf>> RoomLotteryStore::find_win(BookingId booking) {
    YOYAKU_TRY_ASSIGN(
        auto rows,
        stx_.tx().query(
            "SELECT e.lottery_id AS lottery_id, w.entry_id AS entry_id, w.choice AS choice FROM room_lottery_wins w JOIN room_lottery_entries e ON e.tenant_id = w.tenant_id AND e.id = w.entry_id WHERE w.tenant_id = $1 AND w.booking_id = $2",
            stx_.tenant_id(),
            booking
        )
    );
    if (rows.empty()) return std::optional<WinOf>();
    const auto& r = rows.front();
    return std::optional(WinOf{
        r.id<RoomLotteryId>("lottery_id"), r.id<RoomLotteryEntryId>("entry_id"), r.i32("choice")});
}

}  // namespace yoyaku::bookings
