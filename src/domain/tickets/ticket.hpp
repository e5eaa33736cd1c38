#pragma once
// A ticket's QR code (issue 26, ADR 0021): a compact payload signed with the tenant's Ed25519
// ticket key, checked by anyone holding the published public key, online or at a kiosk with no
// network. It names no person:
//
//   YT1.<base64url(body)>.<base64url(signature)>
//   body = tenant|key|reference|number|occurrence|type|seat|valid_from|valid_until
//
// (the tenant's code, the key's number, the booking's reference, the ticket's number in the
// booking, the occurrence's id or 0, the ticket type's code, the seat or nothing, the validity
// window in Unix seconds). The signature covers "YT1." and the encoded body, as in the token.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"
#include "crypto/sealing.hpp"
#include "crypto/signing.hpp"

namespace yoyaku::tickets {

struct Claims {
    std::string tenant;  ///< the tenant's code
    int key_id = 0;      ///< which of the tenant's ticket keys signed it
    std::string reference;
    int number = 0;               ///< 1, 2, … in the booking (a re-issue takes new numbers)
    std::int64_t occurrence = 0;  ///< the occurrence admitted to; 0 for appointments, rentals
    std::string type;             ///< the ticket type's code ("admission" when none)
    std::string seat;             ///< "1階 A-12", or empty when seats are not assigned
    Instant valid_from{};         ///< whole seconds
    Instant valid_until{};        ///< whole seconds

    bool operator==(const Claims&) const = default;
};

/// The signed token of `c` under the key `seed`. Fields must not hold '|' (codes and
/// references cannot; seat labels are checked where they are made).
std::string sign_ticket(const Claims& c, const crypto::SecretKey& seed);
/// The same with a key pair already derived (many tickets).
std::string sign_ticket(const Claims& c, const crypto::Signer& signer);

/// The claims a token states, unchecked (which key to check it with). Errors: invalid_input
/// (field "token") for anything not shaped as a ticket.
Result<Claims> read_ticket(std::string_view token);

/// True when `token`'s signature is `public_key`'s.
bool ticket_signed_by(std::string_view token, std::string_view public_key) noexcept;

/// base64url without padding, and back (nothing for other text).
std::string to_base64url(std::string_view bytes);
std::optional<std::string> from_base64url(std::string_view text);

}  // namespace yoyaku::tickets
