#include "mod_zdu/state/shared_state.hpp"

#include <algorithm>
#include <string>

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/state/state_persistence.hpp"
#include "mod_zdu/time_ms.hpp"
#include "state/state_carry.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

// The one thing every mod_zdu build must keep: this key holds an apr_shm_t* (an APR type, not
// ours) whose memory holds a superblock from its first 64-byte boundary (block_span). d91f45b
// used another key, so its table is never looked at (it stays mapped in the parent until exit).
// Builds before the block was aligned put it at the base address: their block is not found
// there, so a graceful restart from one starts a new block from the state file.
constexpr const char* kUserdataKey = "zdu-shm-block";

apr_shm_t* previous_shm(apr_pool_t* process_pool) {
    void* data = nullptr;
    apr_pool_userdata_get(&data, kUserdataKey, process_pool);
    return static_cast<apr_shm_t*>(data);
}

std::uint64_t random_seed() {
    std::uint64_t seed = 0;
    if (apr_generate_random_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed) !=
        APR_SUCCESS) {
        seed = static_cast<std::uint64_t>(apr_time_now()) * 0x9e3779b97f4a7c15ull;
    }
    return seed;
}

// The block's part of a segment: apr_shm_baseaddr_get is only 8-byte aligned, the block wants
// state::kBlockAlign (its buckets and records are cache lines).
state::BlockSpan block_span(apr_shm_t* shm) {
    return state::aligned_span(apr_shm_baseaddr_get(shm), apr_shm_size_get(shm));
}

apr_shm_t* create_shm(server_rec* s, apr_pool_t* process_pool, std::size_t slots,
                      std::size_t session_slots, std::size_t config_capacity) {
    apr_shm_t* shm = nullptr;
    std::size_t bytes = state::SharedBlock::bytes_for(slots, session_slots, config_capacity) +
                        state::kBlockAlign - 1;
    apr_status_t rv = apr_shm_create(&shm, bytes, nullptr, process_pool);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     ZDU_LOG_SHM_FAILED "cannot create %" APR_SIZE_T_FMT
                                        " bytes of shared memory for %" APR_SIZE_T_FMT
                                        " slots and %" APR_SIZE_T_FMT " session slots",
                     bytes, slots, session_slots);
        return nullptr;
    }
    return shm;
}

// Why the previous block cannot be used as it is; empty when it can.
std::string refusal(const std::optional<state::SharedBlock>& old, const std::string& why,
                    std::size_t slots, const std::vector<std::uint64_t>& keys,
                    std::size_t session_slots, std::size_t config_capacity) {
    if (!old) return why;
    if (old->session_capacity() != session_slots) {
        return std::to_string(old->session_capacity()) + " session slots, ZduSessionSlots " +
               std::to_string(session_slots);
    }
    if (old->record_capacity() < slots) {
        return std::to_string(old->record_capacity()) + " record slots, ZduStateSlots " +
               std::to_string(slots);
    }
    if (old->config_capacity() != config_capacity) {
        return std::to_string(old->config_capacity()) + " config bytes, ZduConfigMaxBytes " +
               std::to_string(config_capacity);
    }
    // Records are never removed: those of names the config dropped still hold their slots.
    const state::SharedTable table = old->records();
    std::size_t missing = 0;
    for (std::uint64_t key : keys) missing += table.find(key) ? 0 : 1;
    if (table.used() + missing > table.capacity()) {
        return std::to_string(table.used()) + " of " + std::to_string(table.capacity()) +
               " record slots used, the config adds " + std::to_string(missing);
    }
    return {};
}

// Fills a new block from the old one when it has this build's layout, else from the file.
void fill(server_rec* s, const std::optional<state::SharedBlock>& old, state::SharedBlock& block) {
    state::SharedTable table = block.records();
    if (!old) {
        // The sessions of the instances the file names were in a table that is gone.
        seed_from_state_file(s, table, block.created_ms());
        return;
    }
    std::size_t lost = state::copy_records(old->records(), table);
    state::copy_sessions(*old, block);
    const sessions::TableStats carried = block.sessions().stats();
    ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s,
                 ZDU_LOG_SHM_GROWN
                 "shared state table grown from %" APR_SIZE_T_FMT " to %" APR_SIZE_T_FMT
                 " slots: %" APR_SIZE_T_FMT " records copied, %" APR_SIZE_T_FMT
                 " lost; session table of %" APR_SIZE_T_FMT " slots copied, %" APR_UINT64_T_FMT
                 " sessions without room",
                 old->record_capacity(), block.record_capacity(), old->records().used() - lost,
                 lost, block.session_capacity(),
                 static_cast<apr_uint64_t>(carried.overflow - old->sessions().stats().overflow));
}

}  // namespace

std::optional<state::SharedBlock> shared_block(server_rec* s, std::size_t slots,
                                               const std::vector<std::uint64_t>& keys,
                                               std::size_t config_capacity) {
    apr_pool_t* process_pool = s->process->pool;
    apr_shm_t* old_shm = previous_shm(process_pool);
    std::optional<state::SharedBlock> old;
    std::string why = "none";
    if (old_shm) {
        const state::BlockSpan span = block_span(old_shm);
        old = state::SharedBlock::attach(span.memory, span.bytes, why);
        why = refusal(old, why, slots, keys, module_state().session_slots, config_capacity);
        if (why.empty()) return old;
    }
    slots = std::max(slots, 2 * (keys.size() + (old ? old->records().used() : 0)));
    const std::size_t session_slots = module_state().session_slots;
    apr_shm_t* shm = create_shm(s, process_pool, slots, session_slots, config_capacity);
    if (!shm) return std::nullopt;
    // A block carried from a live one keeps its hash seed: the session keys it copies were
    // hashed with it.
    const state::BlockSpan span = block_span(shm);
    state::SharedBlock block = state::SharedBlock::create(
        span.memory, span.bytes, slots, session_slots, old ? old->hash_seed() : random_seed(),
        now_ms(), config_capacity);
    ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s,
                 ZDU_LOG_SHM_NEW_BLOCK "new shared-memory block: layout %u, %" APR_SIZE_T_FMT
                                       " record slots, %" APR_SIZE_T_FMT
                                       " bytes (previous block: %s)",
                 static_cast<unsigned>(state::kLayoutVersion), block.record_capacity(),
                 apr_shm_size_get(shm), why.c_str());
    fill(s, old, block);
    apr_pool_userdata_set(shm, kUserdataKey, apr_pool_cleanup_null, process_pool);
    // Only the parent's mapping goes: children of the old generation keep theirs until they exit.
    if (old_shm) apr_shm_destroy(old_shm);
    return block;
}

void note_admin_change() {
    if (module_state().block) module_state().block->note_admin_change();
}

}  // namespace zdu::glue
