#pragma once
// Strong ids: a TenantId cannot be passed where a BookingId is expected. Each is the row's
// integer key; 0 means "none yet" (valid() is false).

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace yoyaku {

template <class Tag>
struct Id {
    std::int64_t value = 0;

    constexpr Id() = default;
    constexpr explicit Id(std::int64_t v) : value(v) {}
    constexpr bool valid() const noexcept { return value > 0; }
    friend constexpr auto operator<=>(Id, Id) = default;
};

template <class T>
inline constexpr bool is_id = false;
template <class Tag>
inline constexpr bool is_id<Id<Tag>> = true;

/// The id as decimal text (audit targets, sealing contexts).
template <class Tag>
std::string to_string(Id<Tag> id) {
    return std::to_string(id.value);
}

using TenantId = Id<struct TenantTag>;
using AccountId = Id<struct AccountTag>;
using ResourceId = Id<struct ResourceTag>;
using OfferingId = Id<struct OfferingTag>;
using OccurrenceId = Id<struct OccurrenceTag>;
using BookingId = Id<struct BookingTag>;
using UserClassId = Id<struct UserClassTag>;
using FeedId = Id<struct FeedTag>;
using WaitlistEntryId = Id<struct WaitlistEntryTag>;
using LotteryEntryId = Id<struct LotteryEntryTag>;
using ApiTokenId = Id<struct ApiTokenTag>;
using SupportGrantId = Id<struct SupportGrantTag>;
using WebhookEndpointId = Id<struct WebhookEndpointTag>;
using NoticeId = Id<struct NoticeTag>;
using AddressRuleId = Id<struct AddressRuleTag>;
using JobId = Id<struct JobTag>;
using AuditEntryId = Id<struct AuditEntryTag>;
using GroupId = Id<struct GroupTag>;
using GroupDocumentId = Id<struct GroupDocumentTag>;
using RoomLotteryId = Id<struct RoomLotteryTag>;
using RoomLotteryEntryId = Id<struct RoomLotteryEntryTag>;
using BroadcastId = Id<struct BroadcastTag>;

}  // namespace yoyaku

template <class Tag>
struct std::hash<yoyaku::Id<Tag>> {
    std::size_t operator()(yoyaku::Id<Tag> id) const noexcept {
        return std::hash<std::int64_t>{}(id.value);
    }
};
