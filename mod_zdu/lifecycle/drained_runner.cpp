#include "mod_zdu/lifecycle/drained_runner.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <list>

#include "mod_zdu/log_ids.hpp"

extern char** environ;

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

struct Running {
    pid_t pid = 0;
    std::string what;
};

// Only the sweep's thread touches it.
std::list<Running>& running() {
    static std::list<Running>* list =
        new std::list<Running>();  // never destroyed: see module_state.cpp
    return *list;
}

// httpd's child threads run with most signals blocked (one thread takes them with sigwait), and
// an exec keeps the mask: a command started with it could not be stopped with SIGTERM. So the
// command gets an empty mask and default dispositions, set by posix_spawn between fork and exec
// (apr_proc_create cannot set them, and changing this thread's mask around a fork would let
// the server's signals land here).
struct SpawnAttributes {
    posix_spawnattr_t attr;
    bool ok = false;
    SpawnAttributes() {
        if (posix_spawnattr_init(&attr) != 0) return;
        sigset_t none, all;
        sigemptyset(&none);
        sigfillset(&all);
        ok = posix_spawnattr_setsigmask(&attr, &none) == 0 &&
             posix_spawnattr_setsigdefault(&attr, &all) == 0 &&
             posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) == 0;
    }
    ~SpawnAttributes() { posix_spawnattr_destroy(&attr); }
};

void log_exit(const Running& r, int status, server_rec* s) {
    if (WIFEXITED(status)) {
        int code = WEXITSTATUS(status);
        ap_log_error(APLOG_MARK, code == 0 ? APLOG_NOTICE : APLOG_WARNING, 0, s,
                     ZDU_LOG_DRAINED_COMMAND_EXITED "%s: drained command (pid %ld) exited with %d",
                     r.what.c_str(), static_cast<long>(r.pid), code);
    } else if (WIFSIGNALED(status)) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     ZDU_LOG_DRAINED_COMMAND_EXITED
                     "%s: drained command (pid %ld) killed by signal %d",
                     r.what.c_str(), static_cast<long>(r.pid), WTERMSIG(status));
    }
}

}  // namespace

bool start_drained_command(const std::vector<std::string>& argv, const std::string& what,
                           server_rec* s) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    SpawnAttributes attrs;
    pid_t pid = 0;
    // posix_spawn (not posix_spawnp): the program is the absolute path the directive names, no
    // PATH search and no shell; stdin, stdout and stderr are this process's (stderr is the
    // error log), the environment is httpd's.
    int rc =
        attrs.ok ? posix_spawn(&pid, args[0], nullptr, &attrs.attr, args.data(), environ) : EINVAL;
    if (rc != 0) {
        ap_log_error(APLOG_MARK, APLOG_ERR, APR_FROM_OS_ERROR(rc), s,
                     ZDU_LOG_DRAINED_COMMAND_FAILED "%s: drained command %s could not start",
                     what.c_str(), argv[0].c_str());
        return false;
    }
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                 ZDU_LOG_DRAINED_COMMAND_STARTED "%s: drained command %s started, pid %ld",
                 what.c_str(), argv[0].c_str(), static_cast<long>(pid));
    running().push_back({pid, what});
    return true;
}

std::size_t reap_drained_commands(server_rec* s) {
    auto& list = running();
    for (auto it = list.begin(); it != list.end();) {
        int status = 0;
        pid_t done = waitpid(it->pid, &status, WNOHANG);
        if (done == 0 || (done < 0 && errno == EINTR)) {
            ++it;
            continue;
        }
        if (done == it->pid) {
            log_exit(*it, status, s);
        } else {
            // ECHILD: someone else reaped it (SIGCHLD ignored); its status is lost.
            ap_log_error(APLOG_MARK, APLOG_INFO, errno, s,
                         ZDU_LOG_DRAINED_COMMAND_EXITED
                         "%s: drained command (pid %ld) ended, status unknown",
                         it->what.c_str(), static_cast<long>(it->pid));
        }
        it = list.erase(it);
    }
    return list.size();
}

}  // namespace zdu::glue
