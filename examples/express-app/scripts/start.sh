#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# ApplicationStart (runs as root): start the service under systemd when systemd is the init
# system, otherwise as a background process tracked by a pid file.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

[ -f "${ENV_FILE}" ] || die "${ENV_FILE} is missing; AfterInstall (install_dependencies.sh) did not run"
node_bin="$(command -v node)" || die "node is not installed"

if use_systemd; then
  log "installing ${UNIT_DIR}/${UNIT_NAME}"
  sed -e "s|@APP_NAME@|${APP_NAME}|g" -e "s|@APP_ROOT@|${APP_ROOT}|g" -e "s|@APP_USER@|${APP_USER}|g" \
    -e "s|@ENV_FILE@|${ENV_FILE}|g" -e "s|@NODE@|${node_bin}|g" -e "s|@STOP_TIMEOUT@|${STOP_TIMEOUT}|g" \
    "$(dirname "$0")/express-app.service" >"${UNIT_DIR}/${UNIT_NAME}"
  systemctl daemon-reload
  systemctl enable "${UNIT_NAME}"
  systemctl restart "${UNIT_NAME}"
  systemctl is-active --quiet "${UNIT_NAME}" || die "${UNIT_NAME} did not become active; see journalctl -u ${UNIT_NAME}"
  log "started ${UNIT_NAME}"
  exit 0
fi

if pid="$(running_pid)"; then
  die "${APP_NAME} is already running as pid ${pid}; ApplicationStop (stop.sh) should have stopped it"
fi
mkdir -p "${RUN_DIR}" "${LOG_DIR}"
chown "${APP_USER}:" "${RUN_DIR}" "${LOG_DIR}" 2>/dev/null || true

# Export the environment file's KEY=value lines without evaluating them.
while IFS='=' read -r key value; do
  case "${key}" in
    '' | '#'*) continue ;;
  esac
  [[ "${key}" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "invalid variable name '${key}' in ${ENV_FILE}"
  export "${key}=${value}"
done <"${ENV_FILE}"

# Every descriptor is redirected: a child holding the hook's stdout open makes CodeDeploy wait for
# it until the hook times out.
cd "${APP_ROOT}"
prefix=()
while IFS= read -r -d '' word; do prefix+=("${word}"); done < <(as_app_user_prefix)
"${prefix[@]}" nohup "${node_bin}" src/server.js </dev/null >>"${LOG_DIR}/${APP_NAME}.log" 2>&1 &
pid=$!
printf '%s\n' "${pid}" >"${PID_FILE}"
sleep 1
kill -0 "${pid}" 2>/dev/null || die "${APP_NAME} exited right after starting; see ${LOG_DIR}/${APP_NAME}.log"
log "started ${APP_NAME} as pid ${pid} (pid file ${PID_FILE})"
