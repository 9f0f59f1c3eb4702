#!/usr/bin/env bash
# Installs mod_zdu into an existing Apache httpd 2.4, uninstalls it, or upgrades its binaries.
# Every change is journalled; on any failure (a check, a copy, the httpd config test) the journal
# is undone, so the file tree is what it was before. Run with --help for options and answers keys.
# Installed as <conf>/zdu/uninstall.sh it uninstalls what its manifest lists.
set -uo pipefail
umask 022
# bash 5.2 reads '&' in a ${s//pat/rep} replacement as the match, which would turn xml_attr's
# &quot; into "quot;: the replacements here are meant literally.
shopt -u patsub_replacement 2>/dev/null || true

SELF=$(readlink -f "${BASH_SOURCE[0]}")
SELF_DIR=${SELF%/*}
REPO_DIR=${SELF_DIR%/*}
ME_USER=$(id -un) ME_GROUP=$(id -gn)

# ---------------------------------------------------------------------------------------------
# Answers keys: name|default shown in --help|meaning. Defaults are resolved in resolve_defaults.
KEYS=(
  "layout|auto|debian (mods-available/mods-enabled), apxs (an Include in httpd.conf), or auto: debian when <httpd_root>/mods-available exists"
  "httpd_root|/etc/apache2, else apxs SYSCONFDIR|httpd's config directory; zdu.conf and the zdu/ directory (DTDs, manifest, uninstall.sh) go here"
  "apxs|apxs or apxs2 on PATH|apxs of the target httpd, asked for LIBEXECDIR, SYSCONFDIR, SBINDIR and TARGET"
  "httpd_bin|/usr/sbin/apache2, else apxs SBINDIR/TARGET|httpd binary run for the config test (-t) and to find the pid file"
  "server_root|httpd_root (debian), none (apxs)|passed to httpd_bin as -d; empty: not passed"
  "httpd_conf|<httpd_root>/apache2.conf or httpd.conf|main config file, passed to httpd_bin as -f"
  "envvars|<httpd_root>/envvars when it exists|shell file sourced before httpd_bin runs (Debian's APACHE_RUN_DIR and friends); empty: none"
  "apachectl|none|if set, '<apachectl> configtest' and '<apachectl> graceful' are run instead of httpd_bin"
  "reload|auto|graceful restart after a change: yes, no, or auto (only when httpd runs, by its PidFile)"
  "httpd_modules_dir|apxs LIBEXECDIR, else /usr/lib/apache2/modules|where mod_proxy.so and the other modules mod_zdu needs are"
  "module_dir|httpd_modules_dir|where mod_zdu.so is installed"
  "bin_dir|/usr/local/bin|where lbxml-gen is installed"
  "state_dir|/var/lib/zdu|directory owned by httpd_user: the served loadbalancer.xml (so the manager's push can replace it) and the state file"
  "httpd_user|APACHE_RUN_USER from envvars, else www-data, else the current user|owner of state_dir (the User httpd's children run as)"
  "httpd_group|httpd_user's primary group|group of state_dir"
  "module|<repo>/build/mod_zdu/mod_zdu.so|the mod_zdu.so to install"
  "lbxml_gen|<repo>/build/lbxml-gen/lbxml-gen|the lbxml-gen to install (also validates the xml)"
  "dtd_dir|<repo>/dtd|directory of the DTDs to install"
  "xml_file|none|an existing loadbalancer.xml to serve (validated, copied into state_dir); none: a starter one from cluster/instances/context_root"
  "cluster|cluster1|starter xml: the cluster's name"
  "instances|instance1=http://127.0.0.1:8080|starter xml: space-separated name=listener pairs"
  "context_root|/app|starter xml: the web-module's context root"
  "status|on|on: a zdu-status <Location> at status_url"
  "status_url|/zdu-status|URL of the status document"
  "status_allow|127.0.0.1 ::1|'Require ip' list for the status URL (closed to the outside by default)"
  "manager|off|on: a zdu-manager <Location> at manager_url, with ZduManagerSecret"
  "manager_url|/zdu-manager|URL of the manager"
  "manager_allow|127.0.0.1 ::1|'Require ip' list for the manager URL"
  "manager_secret|random when manager is on|ZduManagerSecret (zdu.conf is then mode 0640)"
  "config_push|off|on: ZduConfigPush On, so 'lbxml-gen apply-http-lb-changes' can push (needs manager on)"
)
ASKED=(httpd_root httpd_bin state_dir httpd_user xml_file cluster instances context_root status manager manager_secret)
NEEDED_MODULES=(proxy proxy_http proxy_balancer lbmethod_byrequests slotmem_shm watchdog authz_core authz_host)

declare -A A=()        # answers, after defaults
declare -A GIVEN=()    # answers given by file, --set or options
MODE=install DRY_RUN=0 SILENT="" WRITE_ANSWERS="" PURGE=0 INTERACTIVE=1
JOURNAL=() TXN_DIR="" CHANGES=0 RELOADED=0

dir_of() { local d=${1%/*}; printf '%s' "${d:-/}"; }

say() { printf 'install.sh: %s\n' "$*"; }
warn() { printf 'install.sh: warning: %s\n' "$*" >&2; }
fail() {
    printf 'install.sh: error: %s\n' "$*" >&2
    rollback
    exit 1
}

usage() {
    cat <<EOF
Usage: install.sh [OPTIONS]
Installs mod_zdu into an existing Apache httpd 2.4 (Debian layout or an apxs-described build).
When mod_zdu is already installed (a manifest exists), only the module binary, the DTDs and
lbxml-gen are replaced (upgrade); config and xml are kept. Nothing changes when nothing differs.

Options:
  --silent FILE        no prompts: answers from FILE (key=value lines, # comments)
  --write-answers FILE record the answers used as an answers file (written even with --dry-run)
  --dry-run            print every change that would be made, change nothing
  --uninstall          remove what the install added (as <httpd_root>/zdu/uninstall.sh does)
  --purge              with --uninstall: also remove state_dir and the served loadbalancer.xml
  --httpd-root DIR     answers key httpd_root
  --apxs PATH          answers key apxs
  --module PATH        answers key module
  --lbxml-gen PATH     answers key lbxml_gen
  --dtd-dir DIR        answers key dtd_dir
  --set KEY=VALUE      any answers key (applied after --silent's file)
  -h, --help           this text

Without --silent the answers are asked for on stdin, each with its default.
Files: <module_dir>/mod_zdu.so, <bin_dir>/lbxml-gen, <httpd_root>/zdu/{dtd/,manifest,
uninstall.sh,loadbalancer.xml -> <state_dir>/loadbalancer.xml}; debian: mods-available/zdu.load
and zdu.conf, enabled in mods-enabled/; apxs: <httpd_root>/zdu/zdu.conf and one Include line
appended to httpd_conf. Exit status: 0 done (or nothing to do), 1 failed (nothing changed).

Answers keys (default; meaning):
EOF
    local entry
    for entry in "${KEYS[@]}"; do
        IFS='|' read -r k d m <<<"$entry"
        printf '  %-18s (%s)\n      %s\n' "$k" "$d" "$m"
    done
}

is_key() {
    local entry
    for entry in "${KEYS[@]}"; do [[ ${entry%%|*} == "$1" ]] && return 0; done
    return 1
}

set_answer() {
    is_key "$1" || fail "unknown answers key '$1' (see --help)"
    A[$1]=$2
    GIVEN[$1]=1
}

trim() {
    local s=$1
    s=${s#"${s%%[![:space:]]*}"}
    s=${s%"${s##*[![:space:]]}"}
    [[ $s == \"*\" && ${#s} -ge 2 ]] && s=${s:1:-1}
    printf '%s' "$s"
}

read_answers() {
    [[ -f $1 && -r $1 ]] || fail "answers file '$1' cannot be read"
    local line n=0 key value
    while IFS= read -r line || [[ -n $line ]]; do
        n=$((n + 1))
        [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
        [[ $line == *=* ]] || fail "$1:$n: expected key=value, got '$line'"
        key=$(trim "${line%%=*}")
        value=$(trim "${line#*=}")
        is_key "$key" || fail "$1:$n: unknown key '$key' (see --help)"
        set_answer "$key" "$value"
    done <"$1"
}

parse_args() {
    while (($#)); do
        case $1 in
        -h | --help) usage; exit 0 ;;
        --silent) (($# >= 2)) || fail "--silent needs a file"; SILENT=$2; INTERACTIVE=0; shift ;;
        --write-answers) (($# >= 2)) || fail "--write-answers needs a file"; WRITE_ANSWERS=$2; shift ;;
        --dry-run) DRY_RUN=1 ;;
        --uninstall) MODE=uninstall ;;
        --purge) PURGE=1 ;;
        --httpd-root | --apxs | --module | --lbxml-gen | --dtd-dir)
            (($# >= 2)) || fail "$1 needs a value"
            local key=${1#--}
            OPTS+=("${key//-/_}=$2")
            shift ;;
        --set) (($# >= 2)) || fail "--set needs KEY=VALUE"; [[ $2 == *=* ]] || fail "--set needs KEY=VALUE"; OPTS+=("$2"); shift ;;
        *) fail "unknown option '$1' (see --help)" ;;
        esac
        shift
    done
}

# ---------------------------------------------------------------------------------------------
# Defaults

# apxs is asked once (a perl start is slow), and only for a default that is not given.
declare -A APXS=()
apxs_q() {
    [[ -n ${A[apxs]:-} ]] || return 0
    if [[ -z ${APXS[asked]:-} ]]; then
        local out
        # TARGET first: apxs 2.4 drops an internal variable asked for after a config one.
        out=$("${A[apxs]}" -q TARGET LIBEXECDIR SYSCONFDIR SBINDIR 2>/dev/null)
        local parts=()
        mapfile -t parts <<<"${out//;;/$'\n'}" # keeps empty values in their place
        APXS[TARGET]=${parts[0]:-} APXS[LIBEXECDIR]=${parts[1]:-}
        APXS[SYSCONFDIR]=${parts[2]:-} APXS[SBINDIR]=${parts[3]:-}
        APXS[asked]=1
    fi
    printf '%s' "${APXS[$1]:-}"
}

default() { [[ -n ${GIVEN[$1]:-} ]] || A[$1]=$2; }

envvar_of() { # envvars file, variable name
    [[ -f $1 ]] || return 0
    # shellcheck source=/dev/null
    (unset APACHE_RUN_USER; APACHE_CONFDIR=${A[httpd_root]} . "$1" >/dev/null 2>&1; eval "printf '%s' \"\${$2:-}\"")
}

resolve_defaults() {
    if [[ -z ${GIVEN[apxs]:-} ]]; then
        A[apxs]=$(command -v apxs || command -v apxs2 || true)
    fi
    if [[ -z ${GIVEN[httpd_root]:-} ]]; then
        apxs_q SYSCONFDIR >/dev/null
        local sysconf=${APXS[SYSCONFDIR]:-}
        if [[ -d /etc/apache2/mods-available && ( -z $sysconf || $sysconf == /etc/apache2 ) ]]; then
            A[httpd_root]=/etc/apache2
        else
            A[httpd_root]=$sysconf
        fi
    fi
    A[httpd_root]=${A[httpd_root]%/}
    local root=${A[httpd_root]}
    default layout auto
    if [[ ${A[layout]} == auto ]]; then
        [[ -d $root/mods-available ]] && A[layout]=debian || A[layout]=apxs
    fi
    if [[ ${A[layout]} != debian && -z ${GIVEN[httpd_bin]:-} || -z ${GIVEN[httpd_modules_dir]:-} ]]; then
        apxs_q LIBEXECDIR >/dev/null
    fi
    local libexec=${APXS[LIBEXECDIR]:-} sbin=${APXS[SBINDIR]:-} target=${APXS[TARGET]:-}
    if [[ ${A[layout]} == debian ]]; then
        default httpd_bin /usr/sbin/apache2
        default server_root "$root"
        default httpd_conf "$root/apache2.conf"
        [[ -f $root/envvars ]] && default envvars "$root/envvars" || default envvars ""
    else
        default httpd_bin "${sbin:+$sbin/${target:-httpd}}"
        default server_root ""
        if [[ -f $root/httpd.conf ]]; then default httpd_conf "$root/httpd.conf"
        else default httpd_conf "$root/conf/httpd.conf"; fi
        default envvars ""
    fi
    default apachectl ""
    default reload auto
    default httpd_modules_dir "${libexec:-/usr/lib/apache2/modules}"
    default module_dir "${A[httpd_modules_dir]}"
    default bin_dir /usr/local/bin
    default state_dir /var/lib/zdu
    local user=""
    [[ -n ${A[envvars]} ]] && user=$(envvar_of "${A[envvars]}" APACHE_RUN_USER)
    if [[ -z $user ]]; then id -u www-data >/dev/null 2>&1 && user=www-data || user=$(id -un); fi
    default httpd_user "$user"
    default httpd_group "$(id -gn "${A[httpd_user]}" 2>/dev/null)"
    default module "$REPO_DIR/build/mod_zdu/mod_zdu.so"
    default lbxml_gen "$REPO_DIR/build/lbxml-gen/lbxml-gen"
    default dtd_dir "$REPO_DIR/dtd"
    default xml_file ""
    default cluster cluster1
    default instances "instance1=http://127.0.0.1:8080"
    default context_root /app
    default status on
    default status_url /zdu-status
    default status_allow "127.0.0.1 ::1"
    default manager off
    default manager_url /zdu-manager
    default manager_allow "127.0.0.1 ::1"
    default manager_secret ""
    default config_push off
    A[state_dir]=${A[state_dir]%/}
    ZDU_DIR=$root/zdu
    MANIFEST=$ZDU_DIR/manifest
}

ask() {
    local key=$1 meaning="" entry answer
    for entry in "${KEYS[@]}"; do [[ ${entry%%|*} == "$key" ]] && meaning=${entry##*|}; done
    printf '%s\n  %s [%s]: ' "$key" "$meaning" "${A[$key]}" >&2
    if IFS= read -r answer && [[ -n $answer ]]; then set_answer "$key" "$(trim "$answer")"; fi
    printf '\n' >&2
}

# An upgrade installs where the install did: its recorded answers win over defaults.
use_recorded_answers() {
    local line k
    [[ -f $ZDU_DIR/answers ]] || fail "$MANIFEST exists but $ZDU_DIR/answers does not: cannot upgrade"
    while IFS= read -r line; do
        k=${line%%=*}
        case $k in module | lbxml_gen | dtd_dir | reload) continue ;; esac
        is_key "$k" && [[ -z ${GIVEN[$k]:-} ]] && A[$k]=${line#*=} && GIVEN[$k]=1
    done <"$ZDU_DIR/answers"
    resolve_defaults
}

interactive() {
    local key
    ask httpd_root
    GIVEN[httpd_root]=1
    resolve_defaults
    [[ -f $MANIFEST ]] && return 0 # installed: an upgrade asks nothing more
    for key in "${ASKED[@]:1}"; do
        [[ $key == manager_secret && ${A[manager]} != on ]] && continue
        [[ ($key == cluster || $key == instances || $key == context_root) && -n ${A[xml_file]} ]] && continue
        ask "$key"
    done
    resolve_defaults
}

write_answers() {
    [[ -n $WRITE_ANSWERS ]] || return 0
    # mktemp makes the file 0600 before a secret is in it, and mv replaces a symlink at the
    # name instead of writing through it.
    local tmp
    tmp=$(mktemp "$WRITE_ANSWERS.XXXXXX") || fail "cannot write answers file '$WRITE_ANSWERS'"
    {
        printf '# mod_zdu installer answers, for: install.sh --silent %s\n' "$WRITE_ANSWERS"
        local entry k
        for entry in "${KEYS[@]}"; do
            k=${entry%%|*}
            printf '# %s\n%s=%s\n' "${entry##*|}" "$k" "${A[$k]}"
        done
    } >"$tmp" || { rm -f "$tmp"; fail "cannot write answers file '$WRITE_ANSWERS'"; }
    mv -f "$tmp" "$WRITE_ANSWERS" || { rm -f "$tmp"; fail "cannot write answers file '$WRITE_ANSWERS'"; }
    say "answers written to $WRITE_ANSWERS"
}

# ---------------------------------------------------------------------------------------------
# Checks, before anything changes

on_off() { [[ ${A[$1]} == on || ${A[$1]} == off ]] || fail "$1 must be on or off, not '${A[$1]}'"; }

# The directory itself if it exists, else its nearest existing ancestor, which must be a
# writable directory for install to create it.
check_writable() { # key-or-label path
    local p=$2
    [[ $p == /* ]] || fail "$1 must be an absolute path, not '$2'"
    while [[ ! -e $p ]]; do p=$(dir_of "$p"); done
    [[ -d $p ]] || fail "$1: '$2' cannot be created: '$p' is not a directory"
    [[ -w $p ]] || fail "$1: '$2' is not writable ('$p' is not writable by $(id -un))"
}

# httpd reads a double quote or a backslash inside a quoted argument as syntax, and replaces
# ${NAME} by the environment's NAME: a value written into zdu.conf must hold none of them.
conf_safe() { # key value
    [[ $2 != *[\"\\]* && $2 != *'${'* ]] || fail "$1 may not hold a double quote, a backslash or \${ (httpd would read them as syntax): '$2'"
}

check_common() {
    [[ -n ${A[httpd_root]} ]] || fail "no httpd found: give --httpd-root or --apxs (no /etc/apache2, no apxs)"
    [[ ${A[httpd_root]} == /* ]] || fail "httpd_root must be an absolute path, not '${A[httpd_root]}'"
    [[ -d ${A[httpd_root]} ]] || fail "httpd_root '${A[httpd_root]}' is not a directory"
    [[ ${A[layout]} == debian || ${A[layout]} == apxs ]] || fail "layout must be auto, debian or apxs"
    if [[ -n ${A[apachectl]} ]]; then
        command -v "${A[apachectl]%% *}" >/dev/null || fail "apachectl '${A[apachectl]}' not found"
    fi
    [[ -n ${A[httpd_bin]} && -x ${A[httpd_bin]} ]] || fail "httpd binary '${A[httpd_bin]}' not found or not executable (answers key httpd_bin)"
    [[ -f ${A[httpd_conf]} ]] || fail "httpd config '${A[httpd_conf]}' not found (answers key httpd_conf)"
    [[ -z ${A[envvars]} || -f ${A[envvars]} ]] || fail "envvars '${A[envvars]}' not found"
    [[ ${A[reload]} =~ ^(auto|yes|no)$ ]] || fail "reload must be auto, yes or no"
}

check_install() {
    check_common
    local k
    for k in status manager config_push; do on_off "$k"; done
    [[ ${A[config_push]} == off || ${A[manager]} == on ]] || fail "config_push on needs manager on (the push goes through the manager)"
    [[ -f ${A[module]} ]] || fail "module '${A[module]}' not found (--module)"
    [[ -x ${A[lbxml_gen]} ]] || fail "lbxml-gen '${A[lbxml_gen]}' not found or not executable (--lbxml-gen)"
    compgen -G "${A[dtd_dir]}/*.dtd" >/dev/null || fail "no DTDs in '${A[dtd_dir]}' (--dtd-dir)"
    [[ -f ${A[httpd_modules_dir]}/mod_proxy.so ]] || fail "mod_proxy.so not in '${A[httpd_modules_dir]}' (answers key httpd_modules_dir)"
    id -u "${A[httpd_user]}" >/dev/null 2>&1 || fail "httpd_user '${A[httpd_user]}' does not exist"
    getent group "${A[httpd_group]}" >/dev/null || fail "httpd_group '${A[httpd_group]}' does not exist"
    if [[ $(id -u) != 0 && ${A[httpd_user]} != "$(id -un)" ]]; then
        fail "state_dir must be owned by ${A[httpd_user]}, which only root can arrange (run as root, or set httpd_user to $(id -un))"
    fi
    for k in module_dir bin_dir state_dir; do check_writable "$k" "${A[$k]}"; done
    if [[ -d ${A[state_dir]} && $(stat -c %U "${A[state_dir]}") != "${A[httpd_user]}" ]]; then
        fail "state_dir ${A[state_dir]} exists and is not owned by ${A[httpd_user]}: the children could not write into it"
    fi
    check_writable httpd_root "$ZDU_DIR"
    [[ ${A[layout]} == debian ]] && for k in mods-available mods-enabled; do
        [[ -d ${A[httpd_root]}/$k ]] || fail "debian layout without ${A[httpd_root]}/$k"
        check_writable httpd_root "${A[httpd_root]}/$k"
    done
    [[ ${A[layout]} == apxs ]] && { [[ -w ${A[httpd_conf]} ]] || fail "httpd_conf '${A[httpd_conf]}' is not writable"; }
    local url
    for url in "${A[status_url]}" "${A[manager_url]}" "${A[context_root]}"; do
        [[ $url == /* && $url != *[[:space:]\"\<\>]* ]] || fail "'$url' is not a URL path"
    done
    [[ ${A[status_allow]}${A[manager_allow]} != *[\"\<\>]* ]] || fail "status_allow/manager_allow hold a quote or <>"
    [[ ${A[manager_secret]} != *[[:space:]\"\\]* ]] || fail "manager_secret may not hold spaces, quotes or backslashes"
    for k in httpd_root httpd_modules_dir module_dir state_dir status_url status_allow manager_url manager_allow manager_secret; do
        conf_safe "$k" "${A[$k]}"
    done
}

# ---------------------------------------------------------------------------------------------
# Journalled changes: each is undone by rollback() when a later step fails.

checksum() { sha256sum "$1" | cut -d' ' -f1; }

txn_dir() {
    [[ -n $TXN_DIR ]] || TXN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/zdu-install.XXXXXX") || fail "no temp dir"
}

rollback() {
    local i entry kind path extra
    ((${#JOURNAL[@]})) || { cleanup; return 0; }
    printf 'install.sh: putting every file back as it was\n' >&2
    for ((i = ${#JOURNAL[@]} - 1; i >= 0; i--)); do
        IFS=$'\t' read -r kind path extra <<<"${JOURNAL[i]}"
        case $kind in
        created-file | created-link) rm -f -- "$path" ;;
        created-dir) rmdir -- "$path" 2>/dev/null || rm -rf -- "$path" ;;
        replaced | removed) rm -f -- "$path"; cp -a -- "$extra" "$path" ;;
        removed-dir) mkdir -p -- "$path"; chmod --reference="$extra" "$path"; chown --reference="$extra" "$path" 2>/dev/null ;;
        esac
    done
    JOURNAL=()
    cleanup
}

cleanup() { [[ -z $TXN_DIR ]] || rm -rf -- "$TXN_DIR"; TXN_DIR=""; }

journal() { JOURNAL+=("$(printf '%s\t%s\t%s' "$@")"); }

make_dir() { # path mode [owner group]
    local p=$1 missing=() d
    [[ -d $p ]] && return 0
    d=$p
    while [[ ! -e $d ]]; do missing=("$d" "${missing[@]}"); d=$(dir_of "$d"); done
    for d in "${missing[@]}"; do
        CHANGES=$((CHANGES + 1))
        if ((DRY_RUN)); then say "would create directory $d"; continue; fi
        # Only p itself gets the mode and owner asked for: a parent the httpd user owned would
        # let it swap p for a link to anywhere root later writes or removes in.
        if [[ $d == "$p" ]]; then mkdir -m "$2" -- "$d"; else mkdir -m 755 -- "$d"; fi ||
            fail "cannot create directory $d"
        journal created-dir "$d"
        [[ -z ${3:-} || $d != "$p" ]] || chown "$3:$4" "$d" || fail "cannot give $d to $3:$4"
        say "created directory $d"
    done
}

# Puts src at dest (temp file in dest's directory + rename, so a running httpd keeps its mapped
# copy of a module); a differing dest is backed up first. Same bytes and mode: nothing to do.
put_file() { # src dest mode [owner group]
    local src=$1 dest=$2 mode=$3 existed=0 tmp backup
    if [[ -e $dest || -L $dest ]]; then
        existed=1
        if [[ -f $dest && ! -L $dest ]] && cmp -s "$src" "$dest" &&
            [[ $(stat -c '%a %U:%G' "$dest") == "${mode#0} ${4:-$ME_USER}:${5:-$ME_GROUP}" ]]; then
            return 0
        fi
    fi
    CHANGES=$((CHANGES + 1))
    if ((DRY_RUN)); then
        ((existed)) && say "would replace $dest" || say "would create $dest"
        return 0
    fi
    if ((existed)); then
        txn_dir
        backup=$(mktemp "$TXN_DIR/backup.XXXXXX") && rm -f "$backup" && cp -a -- "$dest" "$backup" || fail "cannot back up $dest"
    fi
    tmp=$(mktemp "$(dir_of "$dest")/.zdu-install.XXXXXX") || fail "cannot write in $(dir_of "$dest")"
    if ! cp -- "$src" "$tmp" || ! chmod "$mode" "$tmp" || { [[ -n ${4:-} ]] && ! chown "$4:$5" "$tmp"; }; then
        rm -f -- "$tmp"
        fail "cannot write $dest"
    fi
    if ! mv -f -T -- "$tmp" "$dest"; then rm -f -- "$tmp"; fail "cannot write $dest"; fi
    if ((existed)); then journal replaced "$dest" "$backup"; say "replaced $dest"
    else journal created-file "$dest"; say "created $dest"; fi
}

put_text() { # text dest mode [owner group]
    txn_dir
    local tmp
    tmp=$(mktemp "$TXN_DIR/text.XXXXXX") || fail "no temp file"
    printf '%s\n' "$1" >"$tmp" # $(...) took the text's last newline
    put_file "$tmp" "${@:2}"
}

put_link() { # target link
    if [[ -L $2 && $(readlink "$2") == "$1" ]]; then return 0; fi
    [[ ! -e $2 && ! -L $2 ]] || fail "$2 exists and is not the link to $1 this install makes"
    CHANGES=$((CHANGES + 1))
    if ((DRY_RUN)); then say "would link $2 -> $1"; return 0; fi
    ln -s -- "$1" "$2" || fail "cannot link $2"
    journal created-link "$2"
    say "linked $2 -> $1"
}

# ---------------------------------------------------------------------------------------------
# httpd

run_httpd() {
    if [[ -n ${A[envvars]} ]]; then
        # shellcheck source=/dev/null
        (export APACHE_CONFDIR=${A[httpd_root]}; . "${A[envvars]}" >/dev/null 2>&1
         exec "${A[httpd_bin]}" ${A[server_root]:+-d "${A[server_root]}"} -f "${A[httpd_conf]}" "$@")
    else
        "${A[httpd_bin]}" ${A[server_root]:+-d "${A[server_root]}"} -f "${A[httpd_conf]}" "$@"
    fi
}

config_test() {
    local out
    if ((DRY_RUN)); then say "would run the httpd config test"; return 0; fi
    if [[ -n ${A[apachectl]} ]]; then out=$(${A[apachectl]} configtest 2>&1)
    else out=$(run_httpd -t 2>&1); fi
    local rc=$?
    if ((rc != 0)); then
        printf '%s\n' "$out" | sed 's/^/  httpd: /' >&2
        fail "the httpd config test failed (exit $rc)"
    fi
    say "httpd config test passed"
}

running_pid() {
    local pidfile pid
    pidfile=$(run_httpd -t -D DUMP_RUN_CFG 2>/dev/null | sed -n 's/^PidFile: "\(.*\)"$/\1/p')
    [[ -n $pidfile && -f $pidfile ]] || return 1
    pid=$(<"$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && printf '%s' "$pid"
}

reload_httpd() {
    [[ ${A[reload]} == no ]] && { say "not reloaded (reload=no): run a graceful restart to apply"; return 0; }
    if ((DRY_RUN)); then say "would reload httpd gracefully"; return 0; fi
    # 'apachectl graceful' starts an httpd that is not running: auto asks the PidFile first.
    if [[ ${A[reload]} == auto ]] && ! running_pid >/dev/null; then
        say "httpd is not running: the change applies when it starts"
        return 0
    fi
    if [[ -n ${A[apachectl]} ]]; then
        ${A[apachectl]} graceful || fail "'${A[apachectl]} graceful' failed"
        RELOADED=1
        say "httpd reloaded gracefully"
        return 0
    fi
    local pid
    if pid=$(running_pid); then
        kill -USR1 "$pid" || fail "cannot signal httpd (pid $pid)"
        RELOADED=1
        say "httpd (pid $pid) reloaded gracefully"
    elif [[ ${A[reload]} == yes ]]; then
        fail "httpd is not running: cannot reload (reload=yes)"
    else
        say "httpd is not running: the change applies when it starts"
    fi
}

# ---------------------------------------------------------------------------------------------
# What install writes

xml_attr() { local s=${1//&/&amp;}; s=${s//\"/&quot;}; s=${s//</&lt;}; printf '%s' "$s"; }

starter_xml() {
    local pair out
    out='<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE loadbalancer PUBLIC "-//mod_zdu//DTD Load Balancer 1.4//EN" "zdu-loadbalancer_1_4.dtd">
<!-- Starter configuration written by the mod_zdu installer: name your clusters, instances and
     context roots, check with `lbxml-gen validate`, then reload httpd gracefully. -->
<loadbalancer>
'
    out+="  <cluster name=\"$(xml_attr "${A[cluster]}")\">"$'\n'
    for pair in ${A[instances]}; do
        [[ $pair == ?*=?* ]] || fail "instances: '$pair' is not name=listener"
        out+="    <instance name=\"$(xml_attr "${pair%%=*}")\" listeners=\"$(xml_attr "${pair#*=}")\"/>"$'\n'
    done
    out+="    <web-module context-root=\"$(xml_attr "${A[context_root]}")\"/>"$'\n'
    out+='  </cluster>
</loadbalancer>
'
    printf '%s' "$out"
}

load_text() {
    local m so out="# Written by the mod_zdu installer: the modules mod_zdu needs, then mod_zdu.
"
    for m in "${NEEDED_MODULES[@]}"; do
        so=${A[httpd_modules_dir]}/mod_$m.so
        [[ -f $so ]] || continue # watchdog is often compiled in
        out+="<IfModule !${m}_module>
    LoadModule ${m}_module \"$so\"
</IfModule>
"
    done
    out+="LoadModule zdu_module \"${A[module_dir]}/mod_zdu.so\"
"
    printf '%s' "$out"
}

conf_text() {
    local xml=${A[state_dir]}/loadbalancer.xml out
    out="# Written by the mod_zdu installer; kept by upgrades, removed by $ZDU_DIR/uninstall.sh.
# See docs/directives.md for every directive. The xml lives in ${A[state_dir]}, which the
# httpd user owns, so the manager's push can replace it; $ZDU_DIR/loadbalancer.xml links to it.
<IfModule zdu_module>
    ZduConfigFile \"$xml\"
    ZduStateFile \"$xml.state\"
    ZduConfigPush $([[ ${A[config_push]} == on ]] && echo On || echo Off)
"
    if [[ ${A[status]} == on ]]; then
        out+="    <Location \"${A[status_url]}\">
        SetHandler zdu-status
        Require ip ${A[status_allow]}
    </Location>
"
    fi
    if [[ ${A[manager]} == on ]]; then
        out+="    ZduManagerSecret \"${A[manager_secret]}\"
    <Location \"${A[manager_url]}\">
        SetHandler zdu-manager
        Require ip ${A[manager_allow]}
    </Location>
"
    fi
    out+="</IfModule>
"
    printf '%s' "$out"
}

include_line() { printf 'Include "%s"' "$ZDU_DIR/zdu.conf"; }

with_include() { # httpd.conf as install leaves it
    cat "$1"
    [[ ! -s $1 || $(tail -c 1 "$1" | od -An -c) == *'\n'* ]] || printf '\n'
    printf '%s\n' "$(include_line)"
}

validate_xml() { # file label
    local out
    out=$("${A[lbxml_gen]}" validate "$1" 2>&1) || {
        printf '%s\n' "$out" | sed 's/^/  lbxml-gen: /' >&2
        fail "$2 is not a valid loadbalancer.xml"
    }
}

manifest_line() { printf '%s\t%s\t%s\n' "$@"; }

# ---------------------------------------------------------------------------------------------
# Install, upgrade

put_binaries() {
    local d
    make_dir "${A[module_dir]}" 755
    put_file "${A[module]}" "${A[module_dir]}/mod_zdu.so" 644
    make_dir "${A[bin_dir]}" 755
    put_file "${A[lbxml_gen]}" "${A[bin_dir]}/lbxml-gen" 755
    make_dir "$ZDU_DIR/dtd" 755
    for d in "${A[dtd_dir]}"/*.dtd; do put_file "$d" "$ZDU_DIR/dtd/${d##*/}" 644; done
}

# The manifest lists, in the order made, what install added (created-*), what it replaced or
# edited (with the backup kept under zdu/backup), and the operator's data (kept unless --purge).
manifest_of_journal() {
    local entry kind path extra backup n=0
    for entry in "${JOURNAL[@]}"; do
        IFS=$'\t' read -r kind path extra <<<"$entry"
        case $kind in
        created-file | created-link | created-dir)
            [[ $path == "$ZDU_DIR/backup"* ]] && continue
            # The state dir and the xml are the operator's data, listed as such below.
            [[ $path == "${A[state_dir]}" || $path == "${A[state_dir]}"/* ]] && continue
            [[ $path == "$ZDU_DIR" ]] && kind=zdu-dir
            manifest_line "$kind" "$path" "" ;;
        replaced)
            n=$((n + 1))
            backup=$ZDU_DIR/backup/$n.${path##*/}
            manifest_line replaced "$path" "$backup" ;;
        esac
    done
}

save_backups() { # copies each replaced file's original next to the manifest
    local entry kind path extra backup n=0
    for entry in "${JOURNAL[@]}"; do
        IFS=$'\t' read -r kind path extra <<<"$entry"
        [[ $kind == replaced ]] || continue
        n=$((n + 1))
        backup=$ZDU_DIR/backup/$n.${path##*/}
        make_dir "$ZDU_DIR/backup" 700
        cp -a -- "$extra" "$backup" || fail "cannot keep a backup of $path"
        journal created-file "$backup"
    done
}

install_fresh() {
    local root=${A[httpd_root]} xml=${A[state_dir]}/loadbalancer.xml conf_path conf_mode=644
    if [[ -n ${A[xml_file]} ]]; then
        [[ -f ${A[xml_file]} ]] || fail "xml_file '${A[xml_file]}' not found"
        validate_xml "${A[xml_file]}" "xml_file '${A[xml_file]}'"
    fi
    if [[ ${A[manager]} == on && -z ${A[manager_secret]} ]]; then
        A[manager_secret]=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
        say "manager_secret generated (in zdu.conf)"
    fi
    [[ ${A[manager]} == on ]] && conf_mode=640

    put_binaries
    local state_existed=0
    [[ -d ${A[state_dir]} ]] && state_existed=1
    make_dir "${A[state_dir]}" 750 "${A[httpd_user]}" "${A[httpd_group]}"
    local keep_xml=0
    if [[ -e $xml ]]; then
        keep_xml=1
        say "keeping the existing $xml"
        ((DRY_RUN)) || validate_xml "$xml" "the existing $xml"
    elif [[ -n ${A[xml_file]} ]]; then
        put_file "${A[xml_file]}" "$xml" 644 "${A[httpd_user]}" "${A[httpd_group]}"
    else
        txn_dir
        starter_xml >"$TXN_DIR/starter.xml" || exit 1
        validate_xml "$TXN_DIR/starter.xml" "the starter xml (cluster/instances/context_root)"
        put_file "$TXN_DIR/starter.xml" "$xml" 644 "${A[httpd_user]}" "${A[httpd_group]}"
    fi
    put_link "$xml" "$ZDU_DIR/loadbalancer.xml"

    if [[ ${A[layout]} == debian ]]; then
        put_text "$(load_text)" "$root/mods-available/zdu.load" 644
        put_text "$(conf_text)" "$root/mods-available/zdu.conf" "$conf_mode"
        put_link ../mods-available/zdu.load "$root/mods-enabled/zdu.load"
        put_link ../mods-available/zdu.conf "$root/mods-enabled/zdu.conf"
        conf_path=$root/mods-available/zdu.conf
    else
        conf_path=$ZDU_DIR/zdu.conf
        put_text "$(load_text)"$'\n'"$(conf_text)" "$conf_path" "$conf_mode"
        if ! grep -qxF "$(include_line)" "${A[httpd_conf]}"; then
            txn_dir
            with_include "${A[httpd_conf]}" >"$TXN_DIR/httpd.conf"
            put_file "$TXN_DIR/httpd.conf" "${A[httpd_conf]}" "$(stat -c %a "${A[httpd_conf]}")"
        fi
    fi
    put_file "$SELF" "$ZDU_DIR/uninstall.sh" 755
    txn_dir
    local answers=$TXN_DIR/answers
    { local entry k; for entry in "${KEYS[@]}"; do k=${entry%%|*}; [[ $k == manager_secret ]] || printf '%s=%s\n' "$k" "${A[$k]}"; done; } >"$answers"
    put_file "$answers" "$ZDU_DIR/answers" 644
    ((DRY_RUN)) || save_backups
    local manifest_tmp=$TXN_DIR/manifest
    {
        printf '# mod_zdu install manifest: what %s/uninstall.sh removes, in reverse order.\n' "$ZDU_DIR"
        manifest_of_journal
        ((keep_xml)) || manifest_line data "$xml" ""
        ((state_existed)) || manifest_line data-dir "${A[state_dir]}" ""
    } >"$manifest_tmp"
    ((DRY_RUN)) && say "would write $MANIFEST" || put_file "$manifest_tmp" "$MANIFEST" 644

    config_test
    ((DRY_RUN)) && { reload_httpd; say "dry run: $CHANGES changes, none made"; cleanup; return 0; }
    reload_httpd
    cleanup
    JOURNAL=()
    say "installed: config $conf_path, xml $xml, uninstall with $ZDU_DIR/uninstall.sh"
}

upgrade() {
    say "mod_zdu is installed ($MANIFEST): upgrading the module, the DTDs and lbxml-gen only"
    local before=${#JOURNAL[@]}
    put_binaries
    if ((CHANGES == 0)); then say "nothing to change: already installed and up to date"; cleanup; return 0; fi
    ((DRY_RUN)) && { config_test; reload_httpd; say "dry run: $CHANGES changes, none made"; return 0; }
    # Files an upgrade adds (a new DTD) join the manifest, so uninstall removes them too.
    local entry kind path extra new=""
    for entry in "${JOURNAL[@]:before}"; do
        IFS=$'\t' read -r kind path extra <<<"$entry"
        [[ $kind == created-* ]] && new+=$(manifest_line "$kind" "$path" "")$'\n'
    done
    if [[ -n $new ]]; then
        txn_dir
        { cat "$MANIFEST"; printf '%s' "$new"; } >"$TXN_DIR/manifest.new"
        put_file "$TXN_DIR/manifest.new" "$MANIFEST" 644
    fi
    config_test
    reload_httpd
    cleanup
    JOURNAL=()
    say "upgraded"
}

# ---------------------------------------------------------------------------------------------
# Uninstall: undoes the manifest in reverse; a failing config test puts it all back.

remove_path() { # path
    txn_dir
    local backup
    if ((DRY_RUN)); then say "would remove $1"; CHANGES=$((CHANGES + 1)); return 0; fi
    backup=$(mktemp -u "$TXN_DIR/removed.XXXXXX")
    if [[ -d $1 && ! -L $1 ]]; then
        mkdir "$backup" && chmod --reference="$1" "$backup" && chown --reference="$1" "$backup" 2>/dev/null
        rmdir -- "$1" 2>/dev/null || { warn "$1 is not empty: kept"; rmdir "$backup"; return 0; }
        journal removed-dir "$1" "$backup"
    else
        cp -a -- "$1" "$backup" || fail "cannot back up $1"
        rm -f -- "$1" || fail "cannot remove $1"
        journal removed "$1" "$backup"
    fi
    CHANGES=$((CHANGES + 1))
    say "removed $1"
}

restore_path() { # path backup
    if ((DRY_RUN)); then say "would restore $1 from $2"; return 0; fi
    [[ -f $2 ]] || fail "backup $2 of $1 is missing"
    if [[ $1 == "${A[httpd_conf]}" && ${A[layout]} == apxs ]]; then
        # Edited since install: keep the operator's edits, take out only the Include line.
        txn_dir
        with_include "$2" >"$TXN_DIR/expected"
        if ! cmp -s "$TXN_DIR/expected" "$1"; then
            grep -vxF "$(include_line)" "$1" >"$TXN_DIR/without"
            put_file "$TXN_DIR/without" "$1" "$(stat -c %a "$1")"
            return 0
        fi
    fi
    put_file "$2" "$1" "$(stat -c %a "$2")" "$(stat -c %U "$2")" "$(stat -c %G "$2")"
}

purge_data() { # state dir if install made it, then the data files install put elsewhere
    local f
    for f in "${@:2}"; do [[ -e $f ]] && remove_path "$f"; done
    [[ -n $1 && -d $1 ]] && purge_dir "$1"
    return 0
}

purge_dir() { # state dir: everything in it came from install or from httpd
    if ((DRY_RUN)); then say "would remove $1 and everything in it"; return 0; fi
    local f
    while IFS= read -r -d '' f; do remove_path "$f"; done < <(find "$1" -mindepth 1 -depth -print0)
    remove_path "$1"
}

uninstall() {
    [[ -f $MANIFEST ]] || fail "mod_zdu is not installed under ${A[httpd_root]} (no $MANIFEST)"
    local lines=() i kind path extra zdu_dir_made=0 purge="" purge_files=()
    mapfile -t lines < <(grep -v '^#' "$MANIFEST")
    for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
        IFS=$'\t' read -r kind path extra <<<"${lines[i]}"
        case $kind in
        created-file | created-link) [[ -e $path || -L $path ]] && remove_path "$path" ;;
        created-dir) [[ -d $path ]] && remove_path "$path" ;;
        replaced) restore_path "$path" "$extra" ;;
        zdu-dir) zdu_dir_made=1 ;;
        data) purge_files+=("$path") ;;
        data-dir) purge=$path ;;
        esac
    done
    ((PURGE)) || say "kept ${A[state_dir]} and its loadbalancer.xml (--purge removes them)"
    # What is left of zdu/: the backups, answers, manifest and this script.
    local f
    for f in "$ZDU_DIR"/backup/* "$ZDU_DIR/backup" "$ZDU_DIR/answers" "$MANIFEST" "$ZDU_DIR/uninstall.sh"; do
        [[ -e $f ]] && remove_path "$f"
    done
    ((zdu_dir_made)) && [[ -d $ZDU_DIR ]] && remove_path "$ZDU_DIR"
    config_test
    if ((DRY_RUN)); then
        ((PURGE)) && purge_data "$purge" "${purge_files[@]}"
        say "dry run: $CHANGES changes, none made"
        return 0
    fi
    reload_httpd
    # The state dir goes last: the parent writes its state file when the reload reaches it.
    if ((PURGE)); then
        ((RELOADED)) && sleep 1
        purge_data "$purge" "${purge_files[@]}"
    fi
    cleanup
    JOURNAL=()
    say "uninstalled"
}

# ---------------------------------------------------------------------------------------------

main() {
    OPTS=()
    if [[ ${0##*/} == uninstall.sh ]]; then
        MODE=uninstall
        # An installed copy uninstalls the install it sits in, with the answers it recorded.
        read_answers "$SELF_DIR/answers"
        GIVEN=(); for k in "${!A[@]}"; do GIVEN[$k]=1; done
    fi
    parse_args "$@"
    [[ -z $SILENT ]] || read_answers "$SILENT"
    local o
    for o in "${OPTS[@]}"; do set_answer "$(trim "${o%%=*}")" "${o#*=}"; done
    [[ $MODE == uninstall ]] && INTERACTIVE=0
    resolve_defaults
    ((INTERACTIVE)) && interactive
    # Upgrade and uninstall act on the install the manifest describes, with the answers it used.
    [[ -f $MANIFEST ]] && use_recorded_answers
    write_answers
    trap 'fail "interrupted"' INT TERM
    trap cleanup EXIT # the journal's backups never outlive a run, whichever way it ends
    if [[ $MODE == uninstall ]]; then
        check_common
        uninstall
    elif [[ -f $MANIFEST ]]; then
        check_common
        [[ -f ${A[module]} ]] || fail "module '${A[module]}' not found (--module)"
        [[ -x ${A[lbxml_gen]} ]] || fail "lbxml-gen '${A[lbxml_gen]}' not found (--lbxml-gen)"
        upgrade
    else
        check_install
        install_fresh
    fi
}

main "$@"
