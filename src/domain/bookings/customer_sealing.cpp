// The customer of a booking, waitlist or lottery entry: checked, sealed under the tenant's
// data key, opened, and proved by the one who asks.
#include "domain/bookings/customer_sealing.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/text.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "crypto/sealing.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/bookings/announce.hpp"
#include "domain/bookings/booking_store.hpp"
#include "domain/bookings/capacity.hpp"
#include "domain/bookings/customer_sealing.hpp"
#include "domain/bookings/export.hpp"
#include "domain/bookings/holds.hpp"
#include "domain/bookings/plan.hpp"
#include "domain/bookings/resource_time.hpp"
#include "domain/bookings/venue_rules.hpp"
#include "domain/bookings/waitlist/waitlist_serving.hpp"
#include "domain/calendar/ical.hpp"
#include "domain/line/line.hpp"
#include "domain/mail/mail.hpp"
#include "domain/offerings/offering_store.hpp"
#include "domain/tenants/tenant_store.hpp"
#include "domain/user_classes/user_class_service.hpp"
#include "domain/webhooks/webhooks.hpp"
#include "storage/sql_text.hpp"

namespace yoyaku::bookings {
namespace detail {

using namespace std::chrono;

std::string sealed_text(const Sealed& s) {
    boost::json::object answers;
    for (const auto& [k, v] : s.answers) answers[k] = v;
    return boost::json::serialize(boost::json::object{
        {"name", s.customer.name},
        {"email", s.customer.email},
        {"phone", s.customer.phone},
        {"note", s.note},
        {"answers", std::move(answers)}});
}

std::string customer_context(TenantId tenant, BookingId id) {
    return crypto::field_context(tenant, "bookings", "customer", id.value);
}

std::string seal_customer_row(
    const crypto::TenantKeys& keys,
    TenantId tenant,
    const storage::SealedColumn& column,
    std::int64_t row,
    const Customer& c
) {
    return crypto::seal(
        keys.seal,
        sealed_text(Sealed{c, {}, {}}),
        crypto::field_context(tenant, std::string(column.table), std::string(column.context), row)
    );
}

Result<Customer> open_customer_row(
    const crypto::TenantKeys& keys,
    const std::string& sealed,
    TenantId tenant,
    const storage::SealedColumn& column,
    std::int64_t row
) {
    const std::string table(column.table);
    auto opened =
        keys.open(sealed, crypto::field_context(tenant, table, std::string(column.context), row));
    if (!opened) return Error::internal("a customer in " + table + " does not open");
    boost::system::error_code ec;
    auto c = boost::json::parse(*opened, ec);
    if (ec || !c.is_object()) return Error::internal("a customer in " + table + " is garbled");
    auto str = [&](const char* key) {
        const auto* v = c.get_object().if_contains(key);
        return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    return Customer{str("name"), str("email"), str("phone")};
}

// 10 characters of Crockford base32 (no I, L, O, U): 50 random bits.
std::string new_reference() {
    static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const auto bytes = crypto::random_bytes(10);
    std::string out;
    for (unsigned char b : bytes) out.push_back(kAlphabet[b & 31u]);
    return out;
}

Result<Customer> check_customer(const Customer& c) {
    auto name = text::check_line(c.name, 1, 100);
    if (!name.value) return Error::invalid("customer.name", name.problem);
    YOYAKU_TRY_ASSIGN(auto email, accounts::normalize_email(c.email, "customer.email"));
    std::string phone;
    for (char ch : c.phone) {
        if (std::isdigit(static_cast<unsigned char>(ch)) || ch == '+')
            phone.push_back(ch);
        else if (ch != '-' && ch != ' ' && ch != '(' && ch != ')')
            return Error::invalid("customer.phone", "must be a phone number such as 03-1234-5678");
    }
    if (!c.phone.empty() && (phone.size() < 6 || phone.size() > 16))
        return Error::invalid("customer.phone", "must be a phone number such as 03-1234-5678");
    return Customer{*name.value, email, phone};
}

// The customer's details and the answers to the offering's questions.
Result<Sealed> check_details(const Offering& o, const NewBooking& in) {
    Sealed s;
    YOYAKU_TRY_ASSIGN(auto c, check_customer(in.customer));
    s.customer = std::move(c);
    if (text::code_points(in.note) > 1000 || text::has_control_chars(in.note, true))
        return Error::invalid("note", "must be at most 1000 characters of text");
    s.note = in.note;
    for (const auto& answer : in.answers) {
        const auto& id = answer.first;
        if (std::none_of(o.questions.begin(), o.questions.end(), [&](const Question& q) {
                return q.id == id;
            }))
            return Error::invalid("answers." + id, "is not a question of this offering");
    }
    for (const auto& q : o.questions) {
        const std::string f = "answers." + q.id;
        const auto it = in.answers.find(q.id);
        const bool given = it != in.answers.end() && !it->second.empty() &&
                           !(q.type == QuestionType::checkbox && it->second == "false");
        if (!given) {
            if (q.required) return Error::invalid(f, "is required");
            if (q.type == QuestionType::checkbox) s.answers[q.id] = "false";
            continue;
        }
        const auto& v = it->second;
        switch (q.type) {
            case QuestionType::text:
                if (text::code_points(v) > 1000 || text::has_control_chars(v, true))
                    return Error::invalid(f, "must be at most 1000 characters of text");
                break;
            case QuestionType::choice:
                if (std::find(q.options.begin(), q.options.end(), v) == q.options.end())
                    return Error::invalid(f, "must be one of the question's options");
                break;
            case QuestionType::checkbox:
                if (v != "true") return Error::invalid(f, "must be true or false");
                break;
        }
        s.answers[q.id] = v;
    }
    return s;
}

std::string link_key(const crypto::SecretKey& index_key, std::string_view reference) {
    return crypto::blake2b_256_keyed_hex(index_key.view(), "booking-link/" + std::string(reference))
        .substr(0, 32);
}

}  // namespace detail

std::string manage_path(
    const crypto::SecretKey& index_key, std::string_view tenant_code, std::string_view reference
) {
    return "/t/" + std::string(tenant_code) + "/manage?ref=" + std::string(reference) +
           "#key=" + detail::link_key(index_key, reference);
}

namespace detail {

std::string confirm_key(
    const crypto::SecretKey& index_key, std::string_view what, std::string_view reference
) {
    return crypto::blake2b_256_keyed_hex(
               index_key.view(), "entry-confirm/" + std::string(what) + "/" + std::string(reference)
    )
        .substr(0, 32);
}

bool confirms(
    std::string_view key,
    std::string_view what,
    std::string_view reference,
    const crypto::TenantKeys& keys
) {
    if (key.empty()) return false;
    if (crypto::equal_constant_time(key, confirm_key(keys.index, what, reference))) return true;
    for (const auto& g : keys.older)
        if (crypto::equal_constant_time(key, confirm_key(g.index, what, reference))) return true;
    return false;
}

bool proves(const Booking& b, const Requester& who, const crypto::TenantKeys& keys) {
    if (who.staff) return true;
    if (who.account_id && b.account_id == who.account_id) return true;
    if (!who.link_key.empty()) {
        if (crypto::equal_constant_time(who.link_key, link_key(keys.index, b.reference)))
            return true;
        for (const auto& g : keys.older)
            if (crypto::equal_constant_time(who.link_key, link_key(g.index, b.reference)))
                return true;
    }
    if (who.email.empty()) return false;
    auto email = accounts::normalize_email(who.email, "email");
    return email && crypto::blind_index(keys.index, *email) ==
                        crypto::blind_index(keys.index, b.customer.email);
}

}  // namespace detail

}  // namespace yoyaku::bookings
