#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# BeforeInstall (runs as root): make sure the service account and directories exist, and clear
# the previous release so CodeDeploy's Install step copies into an empty application root.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

if ! id -u "${APP_USER}" >/dev/null 2>&1; then
  log "creating system user ${APP_USER}"
  useradd --system --no-create-home --home-dir "${APP_ROOT}" --shell /usr/sbin/nologin "${APP_USER}"
fi

for dir in "${APP_ROOT}" "${LOG_DIR}" "${CONF_DIR}" "${RUN_DIR}"; do
  mkdir -p "${dir}"
done
chown "${APP_USER}:" "${LOG_DIR}" "${RUN_DIR}"

# Clear the previous release; keep the directory itself (and its ownership).
if [ -d "${APP_ROOT}" ] && [ "${APP_ROOT}" != "/" ]; then
  log "removing the previous release from ${APP_ROOT}"
  find "${APP_ROOT}" -mindepth 1 -maxdepth 1 -exec rm -rf -- {} +
fi
log "ready for install into ${APP_ROOT}"
