#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# ValidateService: poll the local /health endpoint until it answers 200 with status "healthy" and
# the version this revision installed, or fail the deployment (which then rolls back).
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

retries="${HEALTH_RETRIES:-15}"
interval="${HEALTH_INTERVAL:-2}"
url="http://127.0.0.1:${PORT}/health"
expected_version=""
[ -f "${APP_ROOT}/VERSION" ] && expected_version="$(head -n 1 "${APP_ROOT}/VERSION")"

command -v curl >/dev/null 2>&1 || die "curl is not installed"

attempt=1
while [ "${attempt}" -le "${retries}" ]; do
  if body="$(curl --silent --show-error --fail --max-time 3 "${url}" 2>&1)"; then
    if printf '%s' "${body}" | grep -q '"status":"healthy"'; then
      if [ -z "${expected_version}" ] || printf '%s' "${body}" | grep -qF "\"version\":\"${expected_version}\""; then
        log "healthy after ${attempt} attempt(s): ${body}"
        exit 0
      fi
      log "attempt ${attempt}/${retries}: healthy but serving another version (want ${expected_version}): ${body}"
    else
      log "attempt ${attempt}/${retries}: unexpected body: ${body}"
    fi
  else
    log "attempt ${attempt}/${retries}: ${body}"
  fi
  attempt=$((attempt + 1))
  [ "${attempt}" -le "${retries}" ] && sleep "${interval}"
done
die "${url} did not report healthy after ${retries} attempts"
