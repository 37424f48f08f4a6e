#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# AfterInstall (runs as root): check the Node.js runtime, install production dependencies from the
# lockfile, and write the service's environment file for this deployment environment — including
# runtime settings read from Parameter Store under /<app>/<env>/runtime/ when the AWS CLI is present.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "$0")/common.sh"

command -v node >/dev/null 2>&1 || die "node is not installed; install Node.js ${MIN_NODE_MAJOR} or later on the instance"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "${node_major}" -ge "${MIN_NODE_MAJOR}" ] || die "Node.js ${MIN_NODE_MAJOR}+ required, found $(node --version)"

cd "${APP_ROOT}"
[ -f package-lock.json ] || die "${APP_ROOT}/package-lock.json is missing; the build artifact is incomplete"
if [ -d node_modules ]; then
  log "using the production dependencies bundled by the build"
else
  log "installing production dependencies with npm ci"
  npm ci --omit=dev --ignore-scripts --no-audit --no-fund
fi

env_name="$(deploy_env)"
version="unknown"
[ -f VERSION ] && version="$(head -n 1 VERSION)"

tmp_env="$(mktemp)"
trap 'rm -f "${tmp_env}"' EXIT
{
  printf 'APP_ENV=%s\n' "${env_name}"
  printf 'APP_VERSION=%s\n' "${version}"
  printf 'PORT=%s\n' "${PORT}"
  printf 'HOST=%s\n' "${HOST}"
  printf 'NODE_ENV=production\n'
} >"${tmp_env}"

if [ "${FETCH_PARAMETERS:-auto}" != "no" ] && command -v aws >/dev/null 2>&1; then
  param_path="/${APP_NAME}/${env_name}/runtime/"
  log "reading runtime settings from Parameter Store under ${param_path}"
  # Parameter names become variable names (last path segment, upper case, '-' -> '_'); values with
  # newlines, quotes or backslashes are refused rather than written half-escaped.
  # shellcheck disable=SC2016 # the single-quoted program is JavaScript for node, not shell
  aws ssm get-parameters-by-path --path "${param_path}" --recursive --with-decryption --output json |
    node -e '
      let raw = ""; process.stdin.on("data", (c) => (raw += c)).on("end", () => {
        for (const p of JSON.parse(raw).Parameters || []) {
          const key = p.Name.split("/").pop().toUpperCase().replace(/-/g, "_");
          if (!/^[A-Z_][A-Z0-9_]*$/.test(key)) { console.error(`skipping ${p.Name}: not a valid variable name`); continue; }
          if (/[\n\r"\x27\\]/.test(p.Value)) { console.error(`skipping ${p.Name}: value contains a newline, quote or backslash`); continue; }
          process.stdout.write(`${key}=${p.Value}\n`);
        }
      });' >>"${tmp_env}"
elif [ "${FETCH_PARAMETERS:-auto}" = "yes" ]; then
  die "FETCH_PARAMETERS=yes but the AWS CLI is not installed"
fi

install -m 0640 "${tmp_env}" "${ENV_FILE}"
chown "root:$(id -gn "${APP_USER}")" "${ENV_FILE}" 2>/dev/null || true
chown -R "${APP_USER}:" "${APP_ROOT}"
log "installed ${APP_NAME} ${version} for environment ${env_name}"
