// What a customer's buttons on LINE do (the cards announce.cpp pushes, line_card()): view a
// booking as it stands, cancel it after a confirmation that states the fee, or keep it (a
// waitlist offer's "book it" is the waitlist's: waitlist/waitlist_line.cpp). The
// webhook proved who pressed (LINE signs it; the LINE user is linked to the account), and the
// booking must be that account's. Each answer is a reply to the postback.
#include <boost/json.hpp>

#include "domain/bookings/announce.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/bookings/line_postback.hpp"
#include "domain/line/line.hpp"
#include "domain/mail/mail.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::bookings {
namespace {

using storage::ScopedTx;

using detail::postback_field;

boost::json::object words(std::string_view text) {
    return {{"type", "text"}, {"text", text}};
}

std::string status_words(BookingStatus s, bool ja) {
    switch (s) {
        case BookingStatus::held:
            return ja ? "仮押さえ" : "held";
        case BookingStatus::pending:
            return ja ? "確認待ち" : "awaiting confirmation";
        case BookingStatus::confirmed:
            return ja ? "確定" : "confirmed";
        case BookingStatus::cancelled:
            return ja ? "キャンセル済み" : "cancelled";
        case BookingStatus::rejected:
            return ja ? "お受けできませんでした" : "declined";
        case BookingStatus::expired:
            return ja ? "期限切れ" : "expired";
        case BookingStatus::checked_in:
            return ja ? "ご来場済み" : "checked in";
        case BookingStatus::no_show:
            return ja ? "ご来場なし" : "no-show";
    }
    return std::string(to_string(s));
}

}  // namespace

// The rich menu's "my bookings": the customer's coming live bookings as cards (the nearest
// first, as many as a carousel holds), or a line saying there are none.
Result<void> BookingService::upcoming(const jobs::Job& job, const line::Postback& p) {
    const Instant now = clock_.now();
    BookingFilter f;
    f.from = now;
    f.account_id = p.account;
    f.limit = 50;
    YOYAKU_TRY_ASSIGN(auto all, list(job.tenant, f));
    std::erase_if(all, [](const Booking& b) { return !is_live(b.status); });
    return db_.write(storage::TenantScope(job.tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(const auto t, tenants::TenantStore(stx).find_profile());
        const bool ja = t.locale != "en";
        boost::json::object answer;
        if (all.empty()) {
            answer =
                words(ja ? "これからのご予約はありません。" : "You have no bookings coming up.");
        } else {
            std::vector<line::Card> cards;
            offerings::OfferingStore offerings(stx);
            for (const auto& b : all) {
                if (cards.size() == line::kMaxCarousel) break;
                YOYAKU_TRY_ASSIGN(const auto o, offerings.find_by_id(b.offering_id));
                YOYAKU_TRY_ASSIGN(
                    auto card,
                    detail::line_card(
                        stx,
                        keys_,
                        options_,
                        b,
                        o.name,
                        (b.locale != "en" ? "ご予約 " : "Booking ") + b.reference
                    )
                );
                cards.push_back(std::move(card));
            }
            answer = line::carousel(
                cards,
                ja ? "これからのご予約: " + std::to_string(all.size()) + "件"
                   : "Bookings coming up: " + std::to_string(all.size())
            );
        }
        return line::reply(stx, keys_, p.to, p.reply_token, answer, "line.reply", now);
    });
}

jobs::Handler BookingService::line_postback_handler() {
    return [this](const jobs::Job& job) -> Result<void> {
        YOYAKU_TRY_ASSIGN(const auto p, line::postback_of(job));
        const auto action = postback_field(p.data, "action");
        const auto reference = postback_field(p.data, "ref");
        if (action == "upcoming") return upcoming(job, p);
        if (action != "view" && action != "cancel" && action != "cancel_yes" && action != "keep")
            return {};  // not a button of ours: recorded by the webhook, nothing to answer
        const Requester who{false, {}, p.account};
        auto found = find_for(job.tenant, reference, who);
        if (!found && found.error().code != Errc::not_found) return fail(found.error());
        const bool ja = !found || found->locale != "en";
        const audit::Actor actor{"account:" + to_string(p.account), "customer"};
        const audit::Origin origin{"", "LINE", "line:" + to_string(job.id)};
        boost::json::object answer;
        if (!found) {
            answer = words(ja ? "この予約は見つかりません。" : "This booking was not found.");
        } else if (action == "keep") {
            answer = words(
                ja ? "ご予約はそのままです（" + reference + "）。"
                   : "Your booking stays as it is (" + reference + ")."
            );
        } else if (action == "cancel") {
            auto quote = cancellation_quote(job.tenant, reference, who);
            if (!quote) return fail(quote.error());
            const auto fee = std::to_string(quote->fee_jpy);
            const std::string ask =
                ja ? "ご予約（" + reference + "）をキャンセルしますか？" +
                         (quote->fee_jpy > 0 ? "キャンセル料 " + fee + "円がかかります。" : "")
                   : "Cancel your booking " + reference + "?" +
                         (quote->fee_jpy > 0 ? " The cancellation fee is JPY " + fee + "." : "");
            answer = line::confirm(
                ask,
                {ja ? "キャンセルする" : "Cancel it",
                 {},
                 "action=cancel_yes&ref=" + reference + "&fee=" + fee},
                {ja ? "やめる" : "Keep it", {}, "action=keep&ref=" + reference}
            );
        } else if (action == "cancel_yes") {
            CancelOptions options;
            // The fee the confirmation stated; another one now asks again.
            if (const auto fee = postback_field(p.data, "fee");
                !fee.empty() && fee.size() < 12 &&
                fee.find_first_not_of("0123456789") == std::string::npos)
                options.expected_fee_jpy = std::stoll(fee);
            auto cancelled = cancel(job.tenant, reference, who, actor, origin, options);
            if (cancelled) {
                answer = words(
                    ja ? "ご予約（" + reference + "）をキャンセルしました。"
                       : "Your booking " + reference + " is cancelled."
                );
            } else if (cancelled.error().code == Errc::conflict) {
                answer = words(
                    ja ? "キャンセル料が変わりました。もう一度キャンセルボタンからお手続きください。"
                       : "The cancellation fee has changed. Please press Cancel again."
                );
            } else if (cancelled.error().code == Errc::unprocessable) {
                answer = words(
                    ja ? "このご予約はLINEからはキャンセルできません（受付期限を過ぎた等）。お店にお問い合わせください。"
                       : "This booking can no longer be cancelled here (past the deadline, say). "
                         "Please contact the venue."
                );
            } else {
                return fail(cancelled.error());
            }
        } else {  // view: the booking as it stands now
            YOYAKU_TRY(db_.read(
                storage::TenantScope(job.tenant),
                [&](ScopedTx& stx) -> Result<void> {
                    YOYAKU_TRY_ASSIGN(
                        const auto o, offerings::OfferingStore(stx).find_by_id(found->offering_id)
                    );
                    const auto title = (ja ? "ご予約の内容（" : "Your booking (") +
                                       status_words(found->status, ja) + (ja ? "）" : ")");
                    YOYAKU_TRY_ASSIGN(
                        const auto card,
                        detail::line_card(stx, keys_, options_, *found, o.name, title)
                    );
                    answer = line::flex(card, title + " " + reference);
                    return {};
                }
            ));
        }
        const Instant now = clock_.now();
        return db_.write(storage::TenantScope(job.tenant), [&](ScopedTx& stx) {
            return line::reply(stx, keys_, p.to, p.reply_token, answer, "line.reply", now);
        });
    };
}

}  // namespace yoyaku::bookings
