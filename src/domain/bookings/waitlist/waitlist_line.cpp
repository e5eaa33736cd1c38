// A waitlist offer's "book it" button on LINE (the offer's card, announce.cpp): the customer
// whose linked account holds the entry accepts the offer there as on the site, and is answered
// by a reply. Every other button is the booking's (line_actions.cpp).
#include <boost/json.hpp>

#include "domain/bookings/line_postback.hpp"
#include "domain/bookings/waitlist/waitlist_service.hpp"
#include "domain/line/line.hpp"

namespace yoyaku::bookings {

jobs::Handler WaitlistService::line_postback_handler() {
    return [this, rest = bookings_.line_postback_handler()](const jobs::Job& job) -> Result<void> {
        YOYAKU_TRY_ASSIGN(const auto p, line::postback_of(job));
        if (detail::postback_field(p.data, "action") != "accept_offer") return rest(job);
        const auto reference = detail::postback_field(p.data, "ref");
        const Requester who{false, {}, p.account};
        const audit::Actor actor{"account:" + to_string(p.account), "customer"};
        const audit::Origin origin{"", "LINE", "line:" + to_string(job.id)};
        auto booked = accept_offer(job.tenant, reference, who, actor, origin);
        if (!booked && booked.error().code != Errc::not_found &&
            booked.error().code != Errc::unprocessable)
            return fail(booked.error());
        const bool ja = !booked || booked->locale != "en";
        std::string said;
        if (booked)
            said = ja ? "ご予約が確定しました（予約番号 " + booked->reference + "）。"
                      : "You are booked (reference " + booked->reference + ").";
        else if (booked.error().code == Errc::not_found)
            said =
                ja ? "このキャンセル待ちは見つかりません。" : "This waitlist entry was not found.";
        else
            said = ja ? "このご案内は期限が切れたか、すでに終了しています。"
                      : "This offer has run out or is no longer open.";
        const boost::json::object answer{{"type", "text"}, {"text", said}};
        const Instant now = clock_.now();
        return db_.write(storage::TenantScope(job.tenant), [&](storage::ScopedTx& stx) {
            return line::reply(stx, keys_, p.to, p.reply_token, answer, "line.reply", now);
        });
    };
}

}  // namespace yoyaku::bookings
