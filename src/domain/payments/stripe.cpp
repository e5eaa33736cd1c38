// Stripe's adapter (stripe.hpp).

#include "domain/payments/stripe.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <initializer_list>

#include "crypto/hash.hpp"

namespace yoyaku::payments {
namespace {

using Pairs = std::initializer_list<std::pair<std::string_view, std::string>>;

// Every byte but the unreserved ones percent-encoded: "+" stays a plus, not a space.
std::string encoded(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

// application/x-www-form-urlencoded, as Stripe's API takes its parameters.
std::string form(Pairs pairs) {
    std::string out;
    for (const auto& [k, v] : pairs) {
        if (!out.empty()) out += '&';
        out += encoded(k) + "=" + encoded(v);
    }
    return out;
}

const boost::json::object* object_at(const boost::json::value& v, std::string_view key) {
    const auto* o = v.if_object();
    const auto* x = o ? o->if_contains(key) : nullptr;
    return x ? x->if_object() : nullptr;
}

std::string text_at(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t int_at(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_int64() ? v->get_int64() : 0;
}

// Stripe's error answer as ours: a refused key names the field the tenant typed it in.
Error provider_error(const HttpReply& r) {
    if (r.status == 401) return Error::invalid("secret_key", "Stripe refused this secret key");
    boost::system::error_code ec;
    const auto v = boost::json::parse(r.body, ec);
    const auto* e = ec ? nullptr : object_at(v, "error");
    const std::string message = e ? text_at(*e, "message") : std::string();
    return Error{
        r.status >= 500 || r.status == 429 ? Errc::unavailable : Errc::unprocessable,
        "Stripe answered " + std::to_string(r.status) + (message.empty() ? "" : ": " + message),
        {},
        {}};
}

Event::Kind kind_of(std::string_view type, std::string_view payment_status) {
    if (type == "checkout.session.completed")
        return payment_status == "paid" ? Event::Kind::checkout_paid
                                        : Event::Kind::checkout_pending;
    if (type == "checkout.session.async_payment_succeeded") return Event::Kind::checkout_paid;
    if (type == "checkout.session.async_payment_failed" || type == "checkout.session.expired")
        return Event::Kind::checkout_failed;
    return Event::Kind::other;
}

}  // namespace

Result<void> verify_stripe_signature(
    std::string_view payload, std::string_view header, std::string_view secret, Instant now
) {
    const Error forged{
        Errc::forbidden, "the Stripe-Signature does not verify", "Stripe-Signature", {}};
    if (secret.empty() || header.empty()) return forged;
    std::string_view t;
    std::vector<std::string_view> v1;
    while (!header.empty()) {
        const auto comma = header.find(',');
        const auto item = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        if (item.starts_with("t=")) t = item.substr(2);
        if (item.starts_with("v1=")) v1.push_back(item.substr(3));
    }
    std::int64_t seconds = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), seconds);
    if (t.empty() || ec != std::errc{} || end != t.data() + t.size() || v1.empty()) return forged;
    const auto signed_at = Instant(std::chrono::seconds(seconds));
    if (signed_at < now - kSignatureTolerance || signed_at > now + kSignatureTolerance)
        return Error{Errc::forbidden, "the Stripe-Signature is too old", "Stripe-Signature", {}};
    const auto expected =
        crypto::hmac_sha256_hex(secret, std::string(t) + "." + std::string(payload));
    for (const auto s : v1)
        if (crypto::equal_constant_time(s, expected)) return {};
    return forged;
}

Result<HttpReply> StripeProvider::send(
    const Credentials& keys,
    std::string_view method,
    std::string_view path,
    const std::string& body,
    const std::string& idempotency_key
) {
    HttpCall call{std::string(method), api_base_ + std::string(path), {}, body};
    call.headers.emplace_back("Authorization", "Bearer " + keys.secret_key);
    if (method == "POST")
        call.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    call.headers.emplace_back("Stripe-Version", "2024-06-20");
    if (!idempotency_key.empty()) call.headers.emplace_back("Idempotency-Key", idempotency_key);
    YOYAKU_TRY_ASSIGN(auto reply, transport_.send(call));
    if (reply.status < 200 || reply.status > 299) return provider_error(reply);
    return reply;
}

Result<Checkout> StripeProvider::create_checkout(
    const Credentials& keys, const CheckoutRequest& r
) {
    const auto expires =
        std::chrono::duration_cast<std::chrono::seconds>(r.expires_at.time_since_epoch());
    YOYAKU_TRY_ASSIGN(
        const auto reply,
        send(
            keys,
            "POST",
            "/v1/checkout/sessions",
            form(
                {{"mode", "payment"},
                 {"line_items[0][quantity]", "1"},
                 {"line_items[0][price_data][currency]", "jpy"},
                 {"line_items[0][price_data][unit_amount]", std::to_string(r.amount_jpy)},
                 {"line_items[0][price_data][product_data][name]", r.description},
                 {"client_reference_id", r.reference},
                 {"metadata[booking]", r.reference},
                 {"payment_intent_data[metadata][booking]", r.reference},
                 {"customer_email", r.customer_email},
                 {"success_url", r.success_url},
                 {"cancel_url", r.cancel_url},
                 {"expires_at", std::to_string(expires.count())}}
            ),
            r.idempotency_key
        )
    );
    boost::system::error_code ec;
    const auto v = boost::json::parse(reply.body, ec);
    const auto* o = ec ? nullptr : v.if_object();
    if (!o || text_at(*o, "id").empty() || text_at(*o, "url").empty())
        return Error{Errc::unavailable, "Stripe's answer is not a checkout session", {}, {}};
    return Checkout{
        text_at(*o, "id"),
        text_at(*o, "url"),
        Instant(std::chrono::seconds(int_at(*o, "expires_at")))};
}

Result<Refund> StripeProvider::refund(const Credentials& keys, const RefundRequest& r) {
    YOYAKU_TRY_ASSIGN(
        const auto reply,
        send(
            keys,
            "POST",
            "/v1/refunds",
            form(
                {{"payment_intent", r.payment_ref},
                 {"amount", std::to_string(r.amount_jpy)},
                 {"metadata[reason]", "cancellation"}}
            ),
            r.idempotency_key
        )
    );
    boost::system::error_code ec;
    const auto v = boost::json::parse(reply.body, ec);
    const auto* o = ec ? nullptr : v.if_object();
    if (!o || text_at(*o, "id").empty())
        return Error{Errc::unavailable, "Stripe's answer is not a refund", {}, {}};
    return Refund{text_at(*o, "id"), text_at(*o, "status")};
}

namespace {

// One balance transaction, its source (the charge or refund, expanded) giving the payment.
BalanceItem balance_item(const boost::json::object& t) {
    BalanceItem item;
    item.id = text_at(t, "id");
    item.type = text_at(t, "type");
    item.amount_jpy = int_at(t, "amount");
    item.created = Instant(std::chrono::seconds(int_at(t, "created")));
    if (const auto* source = t.if_contains("source"); source && source->is_object()) {
        const auto& o = source->get_object();
        item.payment_ref = text_at(o, "payment_intent");
        if (text_at(o, "object") == "refund") item.refund_ref = text_at(o, "id");
    }
    if (item.type == "payment") item.type = "charge";  // konbini and other non-card methods
    return item;
}

}  // namespace

Result<std::vector<BalanceItem>> StripeProvider::balance(
    const Credentials& keys, Instant from, Instant to
) {
    using std::chrono::duration_cast;
    using std::chrono::seconds;
    const auto gte = duration_cast<seconds>(from.time_since_epoch()).count();
    const auto lt = duration_cast<seconds>(to.time_since_epoch()).count();
    std::vector<BalanceItem> out;
    std::string after;
    // Stripe lists newest first, 100 a page; a day of a venue is a few pages at most.
    for (int page = 0; page < 1000; ++page) {
        std::string query = form(
            {{"created[gte]", std::to_string(gte)},
             {"created[lt]", std::to_string(lt)},
             {"limit", "100"},
             {"expand[]", "data.source"}}
        );
        if (!after.empty()) query += "&" + form({{"starting_after", after}});
        YOYAKU_TRY_ASSIGN(
            const auto reply, send(keys, "GET", "/v1/balance_transactions?" + query, "", "")
        );
        boost::system::error_code ec;
        const auto v = boost::json::parse(reply.body, ec);
        const auto* o = ec ? nullptr : v.if_object();
        const auto* data = o && o->if_contains("data") ? o->at("data").if_array() : nullptr;
        if (!data) return Error{Errc::unavailable, "Stripe's answer is not a list", {}, {}};
        for (const auto& t : *data)
            if (t.is_object()) out.push_back(balance_item(t.get_object()));
        const auto* more = o->if_contains("has_more");
        if (!more || !more->is_bool() || !more->get_bool() || data->empty()) return out;
        after = out.back().id;
    }
    return Error{Errc::unavailable, "Stripe's balance has too many pages", {}, {}};
}

Result<Event> StripeProvider::read_event(
    const Credentials& keys, std::string_view payload, std::string_view signature, Instant now
) const {
    YOYAKU_TRY(verify_stripe_signature(payload, signature, keys.webhook_secret, now));
    boost::system::error_code ec;
    const auto v = boost::json::parse(payload, ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto* data = o ? object_at(v, "data") : nullptr;
    const auto* object =
        data && data->if_contains("object") ? data->at("object").if_object() : nullptr;
    if (!o || !object || text_at(*o, "id").empty())
        return Error::invalid("body", "is not a Stripe event");
    Event e;
    e.id = text_at(*o, "id");
    e.type = text_at(*o, "type");
    e.kind = kind_of(e.type, text_at(*object, "payment_status"));
    if (text_at(*object, "object") == "checkout.session") {
        e.checkout_id = text_at(*object, "id");
        e.payment_ref = text_at(*object, "payment_intent");
        e.reference = text_at(*object, "client_reference_id");
        e.amount = int_at(*object, "amount_total");
        e.currency = text_at(*object, "currency");
    } else {
        e.kind = Event::Kind::other;
    }
    return e;
}

}  // namespace yoyaku::payments
