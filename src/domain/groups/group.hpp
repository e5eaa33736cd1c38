#pragma once
// A registered group (利用団体, issue 27, ADR 0024): an organisation a customer registers, staff
// approve with a user class for a year, and bookings and room lottery applications are made as.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace yoyaku::groups {

/// What is sealed of a group: the people in it.
struct GroupDetails {
    std::string representative;        ///< 1–100 characters
    std::string phone;                 ///< 0–30
    std::string address;               ///< 0–300
    std::vector<std::string> members;  ///< 0–200 names of 1–100 characters
    friend bool operator==(const GroupDetails&, const GroupDetails&) = default;
};

/// A document attached to a group (a constitution, a member list): PDF, PNG or JPEG.
struct GroupDocument {
    GroupDocumentId id;
    std::string filename;
    std::string content_type;
    std::int64_t size = 0;
    Instant created_at{};
};

struct Group {
    GroupId id;
    AccountId account_id;  ///< the customer who registered it
    std::string name;      ///< 1–200 characters, printed on permits
    GroupDetails details;
    int member_count = 1;
    /// pending (new or renewing), approved, rejected; `expired` is an approved group past
    /// expires_at (computed, see status_at).
    std::string status;
    std::optional<UserClassId> user_class_id;
    std::optional<Instant> expires_at;
    std::optional<Instant> decided_at;
    std::string decision_note;
    Instant created_at{};
    std::vector<GroupDocument> documents;
};

/// The status a group has at `now`: an approved group past its expiry is "expired".
std::string status_at(const Group& g, Instant now);

/// A registration as given.
struct NewGroup {
    std::string name;
    GroupDetails details;
    int member_count = 1;
};

/// The kind of document these bytes are (by their first bytes), or empty when none accepted.
std::string_view sniff_document(std::string_view bytes);

inline constexpr std::size_t kMaxDocumentBytes = 716800;  ///< 700 KiB
inline constexpr int kMaxDocuments = 10;
/// How long an approval lasts.
inline constexpr auto kApprovalDays = std::chrono::days{365};

}  // namespace yoyaku::groups
