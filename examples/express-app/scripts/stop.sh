#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# ApplicationStop (runs as root): stop the running service, waiting for it to drain.
# CodeDeploy runs the ApplicationStop script of the *previously* deployed revision, and none at
# all on an instance's first deployment, so this script must succeed when nothing is running.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

if use_systemd; then
  if systemctl list-unit-files "${UNIT_NAME}" >/dev/null 2>&1 && systemctl is-active --quiet "${UNIT_NAME}"; then
    log "stopping ${UNIT_NAME}"
    systemctl stop "${UNIT_NAME}"
  else
    log "${UNIT_NAME} is not running"
  fi
  exit 0
fi

if ! pid="$(running_pid)"; then
  log "${APP_NAME} is not running"
  rm -f "${PID_FILE}"
  exit 0
fi

log "sending SIGTERM to ${APP_NAME} (pid ${pid})"
kill -TERM "${pid}"
deadline=$((SECONDS + STOP_TIMEOUT))
while alive "${pid}"; do
  if [ "${SECONDS}" -ge "${deadline}" ]; then
    log "still running after ${STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "${pid}" 2>/dev/null || true
    break
  fi
  sleep 0.2
done
rm -f "${PID_FILE}"
log "stopped ${APP_NAME}"
