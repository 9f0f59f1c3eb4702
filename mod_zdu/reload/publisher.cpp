#include "mod_zdu/reload/publisher.hpp"

#include <unistd.h>

#include <exception>
#include <mutex>

#include "config/config_diff.hpp"
#include "config/content_hash.hpp"
#include "config/loader.hpp"
#include "config/retained.hpp"
#include "mod_zdu/config/cluster_checks.hpp"
#include "mod_zdu/config/room_check.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/reload/child_switch.hpp"
#include "mod_zdu/reload/publish_lock.hpp"
#include "mod_zdu/reload/snapshot.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/time_ms.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

struct Candidate {
    std::string text;
    std::uint64_t hash = 0;
    config::ConfigPtr file_model;  // the file as loaded
    config::ConfigPtr model;       // with the retained instances
    std::vector<config::RetainedInstance> kept;
    config::ConfigPtr served;  // what was published before
};

std::string joined(const std::vector<std::string>& errors) {
    std::string out;
    for (const auto& e : errors) out += (out.empty() ? "" : "\n") + e;
    return out;
}

ReloadOutcome refuse(server_rec* s, const Candidate& c, std::vector<std::string> errors) {
    state::ConfigRegion region = module_state().block->config();
    ReloadOutcome out;
    out.generation = region.generation();
    out.errors = std::move(errors);
    region.set_result({false, out.generation, now_ms(), joined(out.errors)});
    if (region.note_bad_content(c.hash)) {
        std::string all;
        for (const auto& e : out.errors) all += (all.empty() ? "" : "; ") + e;
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     ZDU_LOG_RELOAD_REFUSED
                     "reload of %s refused, still serving generation "
                     "%" APR_UINT64_T_FMT ": %s",
                     module_state().config_file.c_str(), out.generation, all.c_str());
    }
    return out;
}

std::vector<std::string> error_lines(const config::LoadResult& r) {
    std::vector<std::string> lines;
    for (const auto& d : r.diagnostics) {
        if (d.severity == config::Diagnostic::Severity::Error) lines.push_back(d.text());
    }
    return lines;
}

// The file through the loader and start-up's checks; errors, or none.
std::vector<std::string> validate(Candidate& c, apr_pool_t* pool) {
    config::LoadResult loaded = config::load_string(c.text, module_state().config_file);
    if (!loaded.ok()) return error_lines(loaded);
    c.file_model = loaded.config;
    std::string err = check_clusters(*c.file_model, pool);
    if (!err.empty()) return {module_state().config_file + ": " + err};
    return {};
}

void prepare_model(Candidate& c, const std::optional<state::PublishedConfig>& published) {
    std::string ignored;
    c.served = published ? published_model(*published, ignored) : nullptr;
    if (!c.served) c.served = module_state().loaded;
    c.kept = c.served ? config::retained_after(*c.served, *c.file_model)
                      : std::vector<config::RetainedInstance>{};
    c.model = c.kept.empty() ? c.file_model
                             : std::make_shared<const config::LoadBalancer>(
                                   config::with_retained(*c.file_model, c.kept));
}

void log_reloaded(server_rec* s, const Candidate& c, std::uint64_t generation, const char* trigger,
                  double ms) {
    config::ConfigCounts n = config::count(*c.file_model);
    std::string what = c.served ? config::describe(config::diff(*c.served, *c.model)) : "";
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                 ZDU_LOG_RELOADED "generation %" APR_UINT64_T_FMT
                                  " from %s (%s, pid %ld, %.1f ms): "
                                  "%" APR_SIZE_T_FMT " clusters, %" APR_SIZE_T_FMT
                                  " instances (%" APR_SIZE_T_FMT
                                  " removed ones kept), %" APR_SIZE_T_FMT " web-modules; %s",
                 generation, module_state().config_file.c_str(), trigger,
                 static_cast<long>(getpid()), ms, n.clusters, n.instances, c.kept.size(),
                 n.web_modules, what.c_str());
}

// "LINE: message" for a pushed body, which has no file name of its own.
std::vector<std::string> pushed_lines(const config::LoadResult& r) {
    std::vector<std::string> lines;
    for (const auto& d : r.diagnostics) {
        if (d.severity != config::Diagnostic::Severity::Error) continue;
        lines.push_back(d.line > 0 ? std::to_string(d.line) + ": " + d.message : d.message);
    }
    return lines;
}

std::vector<std::string> validate_pushed(Candidate& c) {
    config::LoadResult loaded = config::load_string(c.text, module_state().config_file);
    if (!loaded.ok()) return pushed_lines(loaded);
    c.file_model = loaded.config;
    apr_pool_t* pool = nullptr;
    apr_pool_create_unmanaged_ex(&pool, nullptr, nullptr);
    std::string err = check_clusters(*c.file_model, pool);
    apr_pool_destroy(pool);
    if (!err.empty()) return {err};
    return {};
}

using WriteFile = std::function<std::string()>;

// Builds this process's snapshot, publishes, installs. Under both locks. A push's
// `write_file` runs once the snapshot is built, before anything shared changes.
ReloadOutcome publish(server_rec* s, Candidate& c, const char* trigger,
                      const WriteFile* write_file = nullptr) {
    const ModuleState& st = module_state();
    state::ConfigRegion region = st.block->config();
    auto start = apr_time_now();
    state::PublishedConfig next{0, c.hash, now_ms(), c.text, config::format_retained(c.kept)};
    if (next.file.size() + next.retained.size() > region.capacity()) {
        return refuse(s, c,
                      {st.config_file + ": " + std::to_string(next.file.size()) +
                       " bytes do not fit ZduConfigMaxBytes (" + std::to_string(region.capacity()) +
                       "): raise ZduConfigMaxBytes, then a graceful restart loads it (without, a "
                       "graceful restart with this file stops httpd)"});
    }
    Snapshot snap;
    try {
        snap = build_snapshot(next, s);
    } catch (const std::exception& e) {
        return refuse(s, c, {st.config_file + ": " + e.what()});
    }
    if (write_file) {
        if (std::string why = (*write_file)(); !why.empty()) {
            ReloadOutcome out{false, false, region.generation(), {}, {}};
            out.write_error = why;
            return out;  // the snapshot goes with `snap`; nothing was published
        }
    }
    // Before the publish: a child that switches at once must find the quiesce clocks running.
    note_disabled_since(*snap.runtime, next.loaded_ms);
    snap.generation = region.publish(next.file, next.retained, c.hash, next.loaded_ms);
    ReloadOutcome out{true, true, snap.generation, {}, {}};
    region.set_result({true, out.generation, next.loaded_ms, {}});
    region.forget_bad_content();
    // A failed install (every slot pinned) leaves this child to switch at a later request.
    install(std::move(snap));
    log_reloaded(s, c, out.generation, trigger, (apr_time_now() - start) / 1000.0);
    return out;
}

}  // namespace

bool file_unchanged(const std::string& text) {
    const ModuleState& st = module_state();
    if (!st.block) return true;
    std::uint64_t hash = config::content_hash(text);
    state::ConfigRegion region = st.block->config();
    if (hash == region.last_bad_content()) return true;
    // Back to the published content after a refusal: a reload call marks the result ok again.
    return hash == region.published_hash() && region.result().ok;
}

ReloadOutcome reload_config(server_rec* s, const char* trigger) {
    const ModuleState& st = module_state();
    if (!st.block || st.config_file.empty()) return {false, false, 0, {"no ZduConfigFile"}, {}};
    PublishLock lock;
    if (!lock.locked()) return {false, false, 0, {"the reload mutex is not available"}, {}};
    std::lock_guard<std::mutex> local(switch_mutex());
    Candidate c;
    std::string why;
    if (!config::read_whole_file(st.config_file, c.text, why)) {
        c.hash = config::content_hash("unreadable: " + why);
        return refuse(s, c, {st.config_file + ":0: cannot read the file: " + why});
    }
    c.hash = config::content_hash(c.text);
    state::ConfigRegion region = st.block->config();
    std::optional<state::PublishedConfig> published = region.read();
    if (published && published->hash == c.hash) {
        region.set_result({true, published->generation, now_ms(), {}});
        region.forget_bad_content();
        return {true, false, published->generation, {}, {}};
    }
    apr_pool_t* pool = nullptr;
    apr_pool_create_unmanaged_ex(&pool, nullptr, nullptr);
    std::vector<std::string> errors = validate(c, pool);
    apr_pool_destroy(pool);
    if (!errors.empty()) return refuse(s, c, std::move(errors));
    prepare_model(c, published);
    return publish(s, c, trigger);
}

std::vector<std::string> check_pushed(const std::string& text, server_rec* s) {
    Candidate c;
    c.text = text;
    std::vector<std::string> errors = validate_pushed(c);
    // The room a commit would need: refused here, a front-end that cannot take the config says
    // so before any front-end commits it.
    if (errors.empty()) {
        if (std::string why = check_room(*c.file_model, s); !why.empty()) {
            errors.push_back(module_state().config_file + ": " + why);
        }
    }
    return errors;
}

ReloadOutcome push_config(server_rec* s, const std::string& text, const WriteFile& write_file,
                          const char* trigger) {
    const ModuleState& st = module_state();
    if (!st.block || st.config_file.empty()) return {false, false, 0, {"no ZduConfigFile"}, {}};
    PublishLock lock;
    if (!lock.locked()) return {false, false, 0, {"the reload mutex is not available"}, {}};
    std::lock_guard<std::mutex> local(switch_mutex());
    Candidate c;
    c.text = text;
    c.hash = config::content_hash(c.text);
    std::vector<std::string> errors = validate_pushed(c);
    state::ConfigRegion region = st.block->config();
    // Not through refuse(): a pushed body that is refused is not the file, so neither the
    // last reload result nor the poller's bad-content memory is about it.
    if (!errors.empty()) return {false, false, region.generation(), std::move(errors), {}};
    std::optional<state::PublishedConfig> published = region.read();
    if (published && published->hash == c.hash) {
        ReloadOutcome out{true, false, published->generation, {}, {}};
        out.write_error = write_file();
        out.ok = out.write_error.empty();
        if (out.ok) {
            region.set_result({true, published->generation, now_ms(), {}});
            region.forget_bad_content();
        }
        return out;
    }
    prepare_model(c, published);
    return publish(s, c, trigger, &write_file);
}

bool publish_startup(server_rec* s) {
    ModuleState& st = module_state();
    state::ConfigRegion region = st.block->config();
    std::uint64_t hash = config::content_hash(st.config_text);
    std::int64_t now = now_ms();
    std::uint64_t generation = region.publish(st.config_text, "", hash, now);
    if (generation == 0) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s,
                     ZDU_LOG_RELOAD_FAILED "%s is %" APR_SIZE_T_FMT
                                           " bytes, more than ZduConfigMaxBytes (%" APR_SIZE_T_FMT
                                           "): raise it",
                     st.config_file.c_str(), st.config_text.size(), region.capacity());
        return false;
    }
    region.set_pass_generation(generation);
    region.set_result({true, generation, now, {}});
    region.forget_bad_content();
    install_initial(st.runtime.get(), generation, hash, now);
    return true;
}

}  // namespace zdu::glue
