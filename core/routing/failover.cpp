#include "routing/failover.hpp"

namespace zdu::routing {

std::int32_t jump_hash(std::uint64_t key, std::int32_t buckets) {
    std::int64_t b = -1, j = 0;
    while (j < buckets) {
        b = j;
        key = key * 2862933555777941757ull + 1;
        j = static_cast<std::int64_t>(
            (b + 1) * (static_cast<double>(1ll << 31) / static_cast<double>((key >> 33) + 1)));
    }
    return static_cast<std::int32_t>(b);
}

}  // namespace zdu::routing
