'use strict';
/**
 * The service's routes, as a pure function of (method, path, state) so the same behaviour
 * serves the HTTP server (EC2/on-premises and ECS) and the Lambda handler.
 */

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * @typedef {{ version: string, environment: string, startedAt: number, draining: boolean }} AppState
 * @typedef {{ status: number, headers: Record<string, string>, body: string }} AppResponse
 */

/** @returns {AppState} */
function createState({ version, environment, now = Date.now() }) {
  if (typeof version !== 'string' || version.length === 0) throw new Error('createState: version must be a non-empty string');
  return { version, environment: environment || 'local', startedAt: now, draining: false };
}

/** @returns {AppResponse} */
function json(status, payload, extra = {}) {
  return { status, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...extra }, body: JSON.stringify(payload) };
}

/**
 * Answers one request.
 * @param {string} method
 * @param {string} rawPath  path with an optional query string
 * @param {AppState} state
 * @param {number} [now]
 * @returns {AppResponse}
 */
function handle(method, rawPath, state, now = Date.now()) {
  const path = (rawPath || '/').split('?')[0].replace(/\/+$/, '') || '/';
  const routes = {
    '/': () => json(200, { message: `Hello from the Gantry sample service v${state.version}`, version: state.version, environment: state.environment }),
    '/health': () =>
      state.draining
        ? json(503, { status: 'draining', version: state.version })
        : json(200, { status: 'healthy', version: state.version, environment: state.environment, uptimeSeconds: Math.max(0, Math.floor((now - state.startedAt) / 1000)) }),
  };
  const route = routes[path];
  if (!route) return json(404, { error: 'not found', path });
  if (method !== 'GET' && method !== 'HEAD') return json(405, { error: 'method not allowed', allow: 'GET, HEAD' }, { allow: 'GET, HEAD' });
  const res = route();
  return method === 'HEAD' ? { ...res, body: '' } : res;
}

module.exports = { createState, handle };
