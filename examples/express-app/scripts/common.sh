#!/usr/bin/env bash
# Settings shared by the CodeDeploy lifecycle scripts. Sourced, never run.
# CodeDeploy runs hooks with a minimal environment; every setting has a production default and
# can be overridden from the environment (the repository's tests run the scripts in a temp dir).
# It also exports APPLICATION_NAME, DEPLOYMENT_ID, DEPLOYMENT_GROUP_NAME and LIFECYCLE_EVENT.

APP_NAME="${APP_NAME:-express-app}"
APP_ROOT="${APP_ROOT:-/opt/${APP_NAME}}"
APP_USER="${APP_USER:-${APP_NAME}}"
PORT="${PORT:-3000}"
HOST="${HOST:-0.0.0.0}"
RUN_DIR="${RUN_DIR:-/run/${APP_NAME}}"
LOG_DIR="${LOG_DIR:-/var/log/${APP_NAME}}"
CONF_DIR="${CONF_DIR:-/etc/${APP_NAME}}"
ENV_FILE="${ENV_FILE:-${CONF_DIR}/env}"
PID_FILE="${PID_FILE:-${RUN_DIR}/${APP_NAME}.pid}"
# auto: systemd when it is the running init, a pid file otherwise; yes | no force one or the other.
USE_SYSTEMD="${USE_SYSTEMD:-auto}"
UNIT_NAME="${UNIT_NAME:-${APP_NAME}.service}"
UNIT_DIR="${UNIT_DIR:-/etc/systemd/system}"
STOP_TIMEOUT="${STOP_TIMEOUT:-30}"
MIN_NODE_MAJOR="${MIN_NODE_MAJOR:-20}"
export APP_NAME APP_ROOT APP_USER PORT HOST RUN_DIR LOG_DIR CONF_DIR ENV_FILE PID_FILE USE_SYSTEMD UNIT_NAME UNIT_DIR STOP_TIMEOUT MIN_NODE_MAJOR

log() {
  printf '%s [%s] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${LIFECYCLE_EVENT:-manual}" "$*"
}

die() {
  log "ERROR: $*" >&2
  exit 1
}

# The deployment environment (dev, staging, prod ...): APP_ENV when set, otherwise the deployment
# group's name without the "<application>-" prefix (group "express-app-staging" -> "staging").
deploy_env() {
  if [ -n "${APP_ENV:-}" ]; then
    printf '%s\n' "${APP_ENV}"
  elif [ -n "${DEPLOYMENT_GROUP_NAME:-}" ]; then
    local group="${DEPLOYMENT_GROUP_NAME}"
    group="${group#"${APPLICATION_NAME:-${APP_NAME}}"-}"
    printf '%s\n' "${group##*-}"
  else
    printf 'local\n'
  fi
}

use_systemd() {
  case "${USE_SYSTEMD}" in
    yes) return 0 ;;
    no) return 1 ;;
    auto) [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 ;;
    *) die "USE_SYSTEMD must be auto, yes or no (got '${USE_SYSTEMD}')" ;;
  esac
}

# True when the process exists and is not a zombie waiting to be reaped (kill -0 succeeds on those).
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [ -r "/proc/$1/stat" ] || return 0
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != "Z" ]
}

# Prints the pid from the pid file when that process is alive and is this service's node process.
running_pid() {
  [ -f "${PID_FILE}" ] || return 1
  local pid
  pid="$(tr -dc '0-9' <"${PID_FILE}")"
  [ -n "${pid}" ] || return 1
  alive "${pid}" || return 1
  if [ -r "/proc/${pid}/cmdline" ] && ! tr '\0' ' ' <"/proc/${pid}/cmdline" | grep -q 'src/server.js'; then
    return 1
  fi
  printf '%s\n' "${pid}"
}

# Prints the command prefix (NUL-separated) that runs a program as APP_USER in the same process
# (setpriv execs, so a background job's $! is the service's own pid), or nothing when we already
# are that user.
as_app_user_prefix() {
  if [ "$(id -un)" = "${APP_USER}" ]; then
    return 0
  elif command -v setpriv >/dev/null 2>&1; then
    printf '%s\0' setpriv "--reuid=${APP_USER}" "--regid=$(id -gn "${APP_USER}")" --init-groups --
  else
    printf '%s\0' runuser -u "${APP_USER}" --
  fi
}
