// Where mod_zdu keeps what it learned about sessions: which instance a session lives on, until
// when it may idle, and whether it ended. The request path asks and tells a SessionStore and
// never waits on anything behind it: today the shared-memory table (session_table.hpp); a
// distributed store for many front-ends will sit behind the same interface, fed in the
// background.
#pragma once

#include <cstdint>
#include <string_view>

namespace zdu::sessions {

// A session's identity in a store: a seeded 64-bit hash of (cluster, session id without its
// route suffix). Never 0 or 1 (the table's free and deleted marks).
struct SessionKey {
    std::uint64_t hash = 0;
    bool operator==(const SessionKey& o) const { return hash == o.hash; }
};

// The id an app server gave the session, without the route it appended: Tomcat's
// "ID.jvmRoute" and GlassFish's "ID.route" lose ".route", WebSphere's "0000ID:clone[:clone]"
// loses ":clone…". A failover that re-suffixes the id keeps the same session.
std::string_view strip_route_suffix(std::string_view session_id);

// seed: the block's hash seed (per shared-memory lifetime, so clients cannot aim at buckets);
// cluster_key: state::cluster_key(name). An empty id gives hash 0 (no session).
SessionKey session_key(std::uint64_t seed, std::uint64_t cluster_key, std::string_view session_id);

// Times are whole seconds on the store's clock (seconds since its shared-memory block was
// made), so an entry fits in 16 bytes.
using Seconds = std::uint32_t;

enum class Found : std::uint8_t {
    None,   // not in the store
    Live,   // a live session bound to `instance`
    Ended,  // ended (logout, expired cookie, end header, replaced): its next request is new
};

// Flags kept with an entry.
enum SessionFlags : std::uint8_t {
    kUntracked = 1,     // learned from a client cookie the store did not know, not a Set-Cookie
    kReturning = 2,     // seen again after the request that created it
    kDrainCreated = 4,  // created while its instance was draining
};

struct Binding {
    Found found = Found::None;
    std::uint16_t instance = 0;  // the instance's record slot (state::SharedTable index)
    std::uint8_t flags = 0;
    Seconds expires = 0;  // Live: idle deadline; Ended: when the marker goes
};

enum class InsertResult : std::uint8_t {
    Inserted,  // a new entry (possibly evicting a seen-once or expired one)
    Updated,   // the key was there: rebound and refreshed
    Full,      // no room without evicting a returning session: not stored
};

class SessionStore {
  public:
    virtual ~SessionStore() = default;
    virtual Binding find(SessionKey key) const = 0;
    // Binds `key` to `instance` until `expires`, live, with `flags`.
    virtual InsertResult insert(SessionKey key, std::uint16_t instance, Seconds expires,
                                std::uint8_t flags) = 0;
    // Moves a live session's idle deadline to `expires` and marks it returning; writes nothing
    // when the deadline already is within one second of `expires`.
    virtual void touch(SessionKey key, Seconds expires) = 0;
    // Ends the session; an Ended marker stays until `marker_until` so that a client still
    // sending the old cookie starts a new session instead of following the old route.
    virtual void end(SessionKey key, Seconds marker_until) = 0;
};

}  // namespace zdu::sessions
