#pragma once
// The bodies of the booking, waitlist and lottery requests, each shape declared once
// (http/json/described.hpp reads them; booking_input.cpp turns them into the domain's
// requests). What a route accepts is its struct: a key it does not declare is refused.

#include <boost/describe.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/bookings/bookings.hpp"
#include "http/json/described.hpp"

namespace yoyaku::bookings {

BOOST_DESCRIBE_STRUCT(EquipmentChoice, (), (resource_id, quantity))
BOOST_DESCRIBE_STRUCT(
    Selection,
    (),
    (offering_id,
     occurrence_id,
     tickets,
     seats,
     seat_category,
     starts_at,
     blocks,
     quantity,
     resource_id,
     equipment,
     surcharges,
     group_id)
)
BOOST_DESCRIBE_STRUCT(Repeat, (), (every_weeks, count, until, skip_conflicts))

}  // namespace yoyaku::bookings

namespace yoyaku::http {

template <>
struct Required<bookings::EquipmentChoice> {
    static constexpr std::array<std::string_view, 2> names{"resource_id", "quantity"};
};

enum class Locale { ja, en };
BOOST_DESCRIBE_ENUM(Locale, ja, en)

/// A question's answer: text (at most 4,000 bytes), or true/false for a checkbox, which the
/// booking keeps as "true"/"false".
struct Answer {
    std::string text;
};
template <>
struct Reader<Answer> {
    static Result<void> read(const boost::json::value& v, const std::string& field, Answer& out);
};

struct CustomerBody {
    Text<400> name;
    Text<320> email;
    std::optional<Text<40>> phone;
    std::optional<Locale> locale;  ///< the language of the customer's messages
    static constexpr std::array<std::string_view, 2> kRequired{"name", "email"};
};
BOOST_DESCRIBE_STRUCT(CustomerBody, (), (name, email, phone, locale))

/// Who the customer is: a booking's, a waiter's, an applicant's.
struct Person {
    CustomerBody customer;
    static constexpr std::array<std::string_view, 1> kRequired{"customer"};
};
BOOST_DESCRIBE_STRUCT(Person, (), (customer))

/// What a booking says besides what it selects; also the body confirming a hold.
struct Details : Person {
    std::optional<Text<4000>> note;
    std::map<std::string, Answer> answers;  ///< question id → answer
};
BOOST_DESCRIBE_STRUCT(Details, (Person), (note, answers))

/// A guest's solved proof-of-work challenge (public routes).
struct Proof {
    std::optional<Text<2048>> altcha;
};
BOOST_DESCRIBE_STRUCT(Proof, (), (altcha))

/// POST /api/v1/bookings: what is booked, for whom, maybe again every few weeks.
struct StaffBooking : bookings::Selection, Details {
    std::optional<bookings::Repeat> repeat;
};
BOOST_DESCRIBE_STRUCT(StaffBooking, (bookings::Selection, Details), (repeat))

/// POST /api/v1/public/{tenant}/bookings
struct PublicBooking : StaffBooking, Proof {};
BOOST_DESCRIBE_STRUCT(PublicBooking, (StaffBooking, Proof), ())

/// POST /api/v1/public/{tenant}/holds: places only; the customer comes with the confirmation.
struct PublicHold : bookings::Selection, Proof {};
BOOST_DESCRIBE_STRUCT(PublicHold, (bookings::Selection, Proof), ())

/// POST /api/v1/public/{tenant}/waitlist
struct JoinBody : Person, Proof {
    std::optional<OfferingId> offering_id;
    std::optional<OccurrenceId> occurrence_id;
    std::map<std::string, int> tickets;
    std::optional<Text<16>> seat_category;  ///< where prices differ by seat category
};
BOOST_DESCRIBE_STRUCT(
    JoinBody, (Person, Proof), (offering_id, occurrence_id, tickets, seat_category)
)

/// POST /api/v1/public/{tenant}/lottery/applications: the sessions wanted, first choice first.
struct ApplyBody : Person, Proof {
    std::optional<OfferingId> offering_id;
    std::map<std::string, int> tickets;
    std::vector<OccurrenceId> preferences;
    static constexpr std::array<std::string_view, 2> kRequired{"customer", "preferences"};
};
BOOST_DESCRIBE_STRUCT(ApplyBody, (Person, Proof), (offering_id, tickets, preferences))

/// Where a booking moves to.
struct MoveBody {
    std::optional<OccurrenceId> occurrence_id;
    std::optional<Instant> starts_at;
    std::optional<ResourceId> resource_id;
    /// An event with a seat map: the seats to move to (the same occurrence: other seats);
    /// none: the best available (in `seat_category` where prices differ by category).
    std::vector<std::string> seats;
    std::optional<Text<16>> seat_category;
    /// A rental: the equipment it takes from now on (quantity 0 gives an item back); none
    /// named keeps what it has.
    std::vector<bookings::EquipmentChoice> equipment;
};
BOOST_DESCRIBE_STRUCT(
    MoveBody, (), (occurrence_id, starts_at, resource_id, seats, seat_category, equipment)
)

/// A guest's proof by address (a signed-in customer needs none).
struct EmailProof {
    std::optional<Text<320>> email;
};
BOOST_DESCRIBE_STRUCT(EmailProof, (), (email))

/// … or by the key of the link in the booking's mails.
struct BookingProof : EmailProof {
    std::optional<Text<64>> key;
};
BOOST_DESCRIBE_STRUCT(BookingProof, (EmailProof), (key))

/// POST /api/v1/public/{tenant}/bookings/{reference}/reschedule
struct PublicMove : MoveBody, BookingProof {};
BOOST_DESCRIBE_STRUCT(PublicMove, (MoveBody, BookingProof), ())

/// POST /api/v1/public/{tenant}/bookings/{reference}/cancel: the fee the customer was shown
/// (a different one now refuses the cancellation).
struct CancelBody : BookingProof {
    std::optional<std::int64_t> expected_fee_jpy;
};
BOOST_DESCRIBE_STRUCT(CancelBody, (BookingProof), (expected_fee_jpy))

}  // namespace yoyaku::http
