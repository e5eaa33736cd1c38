#pragma once
// For the booking slices' unit tests: SliceTest with a keyring in a temporary directory and
// published events to book, wait for or draw (one session of `capacity` seats, 1,500 yen).

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "crypto/keyring.hpp"
#include "domain/bookings/bookings.hpp"
#include "domain/offerings/offering_service.hpp"
#include "domain/testing/slice_fixture.hpp"

namespace yoyaku::testing {

class BookingSliceTest : public SliceTest {
protected:
    BookingSliceTest()
        : keys_dir_(
              std::filesystem::temp_directory_path() /
              ("yoyaku-slice-test-" + std::to_string(::getpid()) + "-" +
               std::to_string(reinterpret_cast<std::uintptr_t>(this)))
          ) {
        auto k = crypto::Keyring::open(keys_dir_, true);
        if (!k) throw std::runtime_error("keyring: " + k.error().message);
        keyring_ = std::move(k).value();
    }
    ~BookingSliceTest() override { std::filesystem::remove_all(keys_dir_); }

    /// A published event whose input `tweak` may change, with one session per entry of
    /// `capacities`, three days ahead (an hour apart). Returns the offering and its sessions.
    struct Event {
        OfferingId offering;
        std::vector<OccurrenceId> sessions;
    };
    Event event(
        std::vector<int> capacities,
        const std::function<void(offerings::OfferingInput&)>& tweak = {}
    ) {
        offerings::OfferingInput in;
        in.kind = offerings::OfferingKind::event;
        in.name = "Talk";
        in.published = true;
        in.ticket_types = {{"adult", "Adult", 1500, 4}};
        if (tweak) tweak(in);
        offerings::OfferingService offerings(db(), clock_);
        auto o = offerings.create(tenant_, in, manager_, origin_);
        if (!o) throw std::runtime_error("offering: " + o.error().field);
        Event e{o->id, {}};
        auto at = clock_.now() + std::chrono::days(3);
        for (const int capacity : capacities) {
            auto occ = offerings.add_occurrence(
                tenant_, o->id, at, at + std::chrono::hours(1), capacity, manager_, origin_
            );
            if (!occ) throw std::runtime_error("occurrence: " + occ.error().field);
            e.sessions.push_back(occ->id);
            at += std::chrono::hours(2);
        }
        return e;
    }

    /// A booking of `seats` adult tickets for `occurrence` by `email`.
    bookings::NewBooking booking(OccurrenceId occurrence, int seats, const std::string& email) {
        bookings::NewBooking in;
        in.what.occurrence_id = occurrence;
        in.what.tickets = {{"adult", seats}};
        in.customer = {"Hanako", email, ""};
        in.idempotency_key = "key-" + std::to_string(10000000 + ++requests_);
        return in;
    }

    std::filesystem::path keys_dir_;
    std::unique_ptr<crypto::Keyring> keyring_;
    int requests_ = 0;
};

}  // namespace yoyaku::testing
