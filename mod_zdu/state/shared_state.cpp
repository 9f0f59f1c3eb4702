#include "mod_zdu/state/shared_state.hpp"

#include "mod_zdu/log_ids.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

constexpr const char* kUserdataKey = "zdu-shared-table";

struct Segment {
    apr_shm_t* shm;
    std::size_t slots;
};

Segment* existing_segment(apr_pool_t* process_pool) {
    void* data = nullptr;
    apr_pool_userdata_get(&data, kUserdataKey, process_pool);
    return static_cast<Segment*>(data);
}

Segment* create_segment(server_rec* s, apr_pool_t* process_pool, std::size_t slots) {
    apr_shm_t* shm = nullptr;
    apr_status_t rv =
        apr_shm_create(&shm, state::SharedTable::bytes_for(slots), nullptr, process_pool);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     ZDU_LOG_SHM_FAILED "cannot create %" APR_SIZE_T_FMT
                                        " bytes of shared memory for %" APR_SIZE_T_FMT " slots",
                     state::SharedTable::bytes_for(slots), slots);
        return nullptr;
    }
    state::SharedTable::create(apr_shm_baseaddr_get(shm), slots);
    auto* seg = static_cast<Segment*>(apr_palloc(process_pool, sizeof(Segment)));
    *seg = Segment{shm, slots};
    apr_pool_userdata_set(seg, kUserdataKey, apr_pool_cleanup_null, process_pool);
    return seg;
}

}  // namespace

std::optional<state::SharedTable> shared_table(server_rec* s, std::size_t slots) {
    apr_pool_t* process_pool = s->process->pool;
    Segment* seg = existing_segment(process_pool);
    if (!seg || seg->slots < slots) {
        // A larger ZduStateSlots takes effect with a fresh table; the old one is left unused.
        seg = create_segment(s, process_pool, slots);
        if (!seg) return std::nullopt;
    }
    return state::SharedTable::attach(apr_shm_baseaddr_get(seg->shm));
}

}  // namespace zdu::glue
