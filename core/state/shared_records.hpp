// State that every httpd child process must agree on: fixed-size records in shared memory the
// caller provides (a region of state::SharedBlock in the module, a plain buffer in tests). No
// pointers, lock-free atomics only, so any process and thread may read and write them at once.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace zdu::state {

static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
              "shared-memory records need address-free 64-bit atomics");

// One record per stable key: an instance (cluster + instance name), a web-module (cluster +
// context root) or a cluster. Fields a kind does not use stay zero. Changing this struct changes
// the shared-memory layout: bump kLayoutVersion (shared_block.hpp).
struct SharedRecord {
#ifdef ZDU_SHM_LAYOUT_VARIANT
    // Test builds only: shifts every field, so a build that read another layout's block as its
    // own would see garbage (the upgrade tests prove it never does).
    std::atomic<std::uint64_t> variant_padding;
#endif
    std::atomic<std::uint64_t> key;               // 0 = free slot
    std::atomic<std::int64_t> disabled_since_ms;  // first seen disabled; 0 = enabled
    std::atomic<std::uint64_t> counter;           // cluster: new-session round-robin position
    std::atomic<std::uint64_t> requests;
    std::atomic<std::uint64_t> new_sessions;
    std::atomic<std::uint64_t> failures;
    std::atomic<std::uint64_t> failovers;
    std::atomic<std::uint64_t> retries;
    std::atomic<std::int64_t> unhealthy_since_ms;  // 0 = healthy
    std::atomic<std::int64_t> unhealthy_total_ms;  // time spent unhealthy, closed periods
    std::atomic<std::int64_t> last_error_ms;
    std::atomic<std::int64_t> admin_since_ms;     // when the manager last changed admin_state
    std::atomic<std::uint32_t> last_error;        // a state::Failure
    std::atomic<std::uint32_t> check_failures;    // consecutive failed active checks
    std::atomic<std::uint32_t> admin_state;       // a state::AdminState (domains, manager)
    std::atomic<std::uint64_t> response_time_us;  // moving average, for the adaptive policy
    // Cluster: since when passive detection keeps an instance in so the cluster keeps serving.
    std::atomic<std::int64_t> fail_open_since_ms;
    // Instance: failures of live traffic in a row (state/passive_health.hpp).
    std::atomic<std::uint32_t> failure_streak;
    // Instance: where the drain lifecycle is (a lifecycle::DrainState) and since when.
    std::atomic<std::uint32_t> drain_state;
    std::atomic<std::int64_t> draining_since_ms;
    std::atomic<std::int64_t> drained_since_ms;
    std::atomic<std::uint64_t> live_sessions;       // last sweep's count (tracked)
    std::atomic<std::uint64_t> untracked_sessions;  // last sweep's count (client-cookie only)
    // Last request of a session the table did not know or could not store.
    std::atomic<std::int64_t> untracked_seen_ms;
    // Set from the state file on a stop/start; 0: all known.
    std::atomic<std::int64_t> sessions_unknown_since_ms;
    std::atomic<std::uint64_t> drain_created;     // counter: sessions created while draining
    std::atomic<std::uint64_t> sessions_ended;    // counter: ended by logout signals
    std::atomic<std::uint64_t> sessions_expired;  // counter: idled out (sweep)
    std::atomic<std::uint64_t> stale_sessions;    // counter: stale session met a retired instance
    std::atomic<std::uint64_t> long_lived;        // gauge: WebSocket/SSE requests in flight
    std::atomic<std::uint64_t> canary_draws;      // cluster: new sessions counted for the canary
    std::atomic<std::uint64_t> session_overflow;  // cluster: sessions not stored, table full
    // Instance of a cluster with active checks: a state::CheckGate. One a reload adds takes new
    // sessions only after its first passing check.
    std::atomic<std::uint32_t> check_gate;
    // Instance: 1 once the sweep saw it take new sessions. Only such an instance is drained
    // with a log line and ZduDrainedCommand: one added disabled, or of a version not yet
    // active, has nothing to drain and must not be stopped by the command.
    std::atomic<std::uint32_t> in_service;
    // Instance and web-module: client requests answered (r->request_time to the end of the
    // request), their summed, longest and shortest time, for status and metrics
    // (metrics/response_times.hpp). Unlike response_time_us these include the client's side.
    std::atomic<std::uint64_t> answered;
    std::atomic<std::uint64_t> answer_total_us;
    std::atomic<std::uint64_t> answer_max_us;
    std::atomic<std::uint64_t> answer_min_us;  // 0: no sample yet
    // Instance: sessions ended or expired per second, smoothed by the sweep, in millionths
    // (metrics/session_end_rate.hpp), and the count and time of the sweep's last sample.
    std::atomic<std::uint64_t> end_rate_micro;
    std::atomic<std::uint64_t> end_rate_total;
    std::atomic<std::int64_t> end_rate_at_ms;
    // Instance: when the sweep last stored live_sessions/untracked_sessions; a drain command
    // trusts only counts taken after it began.
    std::atomic<std::int64_t> counted_ms;
    // Cluster: the manager's set-active-version override, version_key() of the version; 0: none
    // (the xml decides). A key, not an index, so it means the same version in every
    // generation's runtime (each resolves it against its own version list).
    std::atomic<std::uint64_t> active_version_key;
    std::atomic<std::int64_t> active_version_since_ms;
    // Cluster: the manager's canary override, canary_override() packed; 0: none.
    std::atomic<std::uint64_t> canary_override;
    std::atomic<std::int64_t> canary_since_ms;
    // Instance: final responses of 500 or more the instance itself answered (the application's
    // errors); a failure the proxy saw (connect, timeout, reset) is in `failures` instead.
    std::atomic<std::uint64_t> responses_5xx;
};

enum class CheckGate : std::uint32_t {
    Unset = 0,    // a fresh record
    Waiting = 1,  // added by a reload: no new sessions before a check passed
    Open = 2,
};

// Set by the manager (per instance or whole domain); the config's enabled flag is separate.
enum class AdminState : std::uint32_t {
    Active = 0,
    Disabled = 1,  // no new sessions; existing ones stay
    Stopped = 2,   // no requests at all
};

// An open-addressing table of SharedRecords over caller-owned memory. Claiming a key is lock-free
// (compare-and-swap on `key`); records are never removed, so a pointer to one stays valid for the
// life of the memory. The memory holds no version: SharedBlock's superblock says what it is.
class SharedTable {
  public:
    // Bytes create() formats for `capacity` records (rounded up to a power of two).
    static std::size_t bytes_for(std::size_t capacity);

    // Formats `memory` (bytes_for(capacity) bytes, 8-byte aligned) as an empty table.
    static SharedTable create(void* memory, std::size_t capacity);
    // Uses memory that create() formatted earlier (e.g. in the parent process).
    static SharedTable attach(void* memory);

    // The record for `key` (never 0), claimed if absent; null when the table is full.
    SharedRecord* claim(std::uint64_t key);
    // The record for `key`, or null.
    SharedRecord* find(std::uint64_t key) const;
    // Slot `i` (0 <= i < capacity), claimed or free: for copying a table into a larger one.
    const SharedRecord& slot(std::size_t i) const;

    std::size_t capacity() const;
    std::size_t used() const;

  private:
    struct Header;
    explicit SharedTable(Header* header) : header_(header) {}
    SharedRecord* records() const;
    SharedRecord* probe(std::uint64_t key, bool claim_free) const;
    Header* header_;
};

}  // namespace zdu::state
