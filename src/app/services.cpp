#include "app/services.hpp"

#include "app/http_post.hpp"

namespace yoyaku::app {

Services::Services(
    storage::Database& db_,
    std::unique_ptr<crypto::Keyring> keyring_,
    const Clock& clock_,
    const ServiceOptions& o
)
    : db(db_),
      clock(clock_),
      keyring(std::move(keyring_)),
      hasher(o.argon2, o.hash_concurrency, o.hash_queue),
      tenants(db, clock),
      accounts(db, *keyring, hasher, clock, o.accounts),
      defence(db, clock, o.defence),
      auth(db, accounts, hasher, defence, clock, o.auth),
      challenges(
          db, [k = keyring.get()] { return k->platform_keys("altcha"); }, clock, o.challenge
      ),
      tokens(db, clock),
      support(db, clock),
      resources(db, clock),
      offerings(db, clock),
      availability(db, clock),
      bookings(db, *keyring, clock, o.bookings),
      waitlist(db, *keyring, clock, bookings, o.bookings),
      lottery(db, *keyring, clock, o.bookings),
      room_lotteries(db, *keyring, clock, o.bookings),
      groups(db, *keyring, clock),
      erasure(db, *keyring, clock),
      feeds(db, clock),
      user_classes(db, clock),
      webhooks(db, *keyring, clock, o.webhooks),
      line(db, *keyring, clock),
      notices(
          db,
          *keyring,
          accounts,
          clock,
          [&] {
              auto n = o.notices;
              n.state = &maintenance;
              return n;
          }()
      ),
      staff_scopes(db, clock),
      provider_transport(std::make_unique<CurlTransport>(PostOptions{
          true, std::chrono::seconds(20), o.provider_ca_file})),
      stripe(*provider_transport, o.stripe_api_base),
      zoom_client(*provider_transport, o.zoom_api_base, o.zoom_oauth_base),
      zoom(db, *keyring, clock, zoom_client),
      line_login(
          db,
          *keyring,
          clock,
          accounts,
          *provider_transport,
          {o.line_login_base, o.line_api_base, o.bookings.public_url, o.line_data_base}
      ),
      broadcasts(db, *keyring, clock, o.bookings.public_url),
      payments(db, *keyring, clock, stripe, bookings, {o.bookings.public_url}),
      receipts(db, clock, bookings),
      documents(db, clock, bookings),
      tickets(db, *keyring, clock, bookings),
      seats(db, *keyring, clock, o.bookings),
      reconciler(db, *keyring, clock, stripe, accounts),
      imports(db, accounts, resources, offerings, bookings, clock) {}

Result<std::unique_ptr<Services>> make_services(
    const Config& c, storage::Database& db, const Clock& clock
) {
    YOYAKU_TRY_ASSIGN(auto keyring, crypto::Keyring::open(c.effective_keys_dir(), true));
    ServiceOptions o;
    o.argon2.ops_limit = static_cast<std::uint64_t>(c.security_argon2_ops);
    o.argon2.mem_limit = static_cast<std::size_t>(c.security_argon2_memory_mib) * 1024 * 1024;
    o.hash_concurrency = static_cast<int>(c.security_hash_concurrency);
    o.hash_queue = static_cast<int>(c.security_hash_queue);
    o.defence.stuffing_accounts = static_cast<int>(c.security_stuffing_accounts);
    o.defence.block_duration = std::chrono::minutes(c.security_block_minutes);
    o.defence.booking_burst = static_cast<double>(c.security_free_bookings);
    o.defence.booking_per_minute = static_cast<double>(c.security_free_bookings) / 10;
    o.challenge.max_number = c.security_challenge_difficulty;
    o.accounts.public_url = c.effective_public_url();
    o.notices.status_url = c.effective_public_url() + "/status";
    o.bookings.organizer_email = c.mail_from;
    o.bookings.public_url = c.effective_public_url();
    o.webhooks.allow_private_targets = c.webhooks_allow_private_targets;
    o.stripe_api_base = c.payments_stripe_api_base;
    o.line_api_base = c.line_api_base_url;
    o.zoom_api_base = c.zoom_api_base_url;
    o.zoom_oauth_base = c.zoom_oauth_base_url;
    o.line_login_base = c.line_login_base_url;
    o.line_data_base = c.line_data_base_url;
    auto s = std::make_unique<Services>(db, std::move(keyring), clock, o);
    YOYAKU_TRY(s->defence.reload());
    return s;
}

}  // namespace yoyaku::app
