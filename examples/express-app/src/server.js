'use strict';
/**
 * HTTP entry point. Configuration comes from the environment:
 *   PORT (default 3000), HOST (default 0.0.0.0), APP_VERSION (default: package.json version),
 *   APP_ENV (default "local"), SHUTDOWN_TIMEOUT_MS (default 10000).
 * On SIGTERM/SIGINT it stops accepting connections, answers /health with 503 while in-flight
 * requests finish, and exits 0 — or exits 1 if they have not finished within the timeout.
 */
const http = require('node:http');
const { createState, handle } = require('./app');
const pkg = require('../package.json');

function log(level, message, fields = {}) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
}

function intFromEnv(name, fallback, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  return n;
}

function start() {
  const port = intFromEnv('PORT', 3000, { max: 65535 });
  const host = process.env.HOST || '0.0.0.0';
  const shutdownTimeout = intFromEnv('SHUTDOWN_TIMEOUT_MS', 10000, { min: 1 });
  const state = createState({ version: process.env.APP_VERSION || pkg.version, environment: process.env.APP_ENV });

  const server = http.createServer((req, res) => {
    const out = handle(req.method || 'GET', req.url || '/', state);
    if (state.draining) out.headers.connection = 'close';
    res.writeHead(out.status, out.headers);
    res.end(out.body);
  });
  server.keepAliveTimeout = 5000;

  let stopping = false;
  const shutdown = (signal) => {
    if (stopping) return;
    stopping = true;
    state.draining = true;
    log('info', 'shutting down', { signal });
    const timer = setTimeout(() => {
      log('error', 'in-flight requests did not finish in time', { timeoutMs: shutdownTimeout });
      process.exit(1);
    }, shutdownTimeout);
    timer.unref();
    server.close((err) => {
      if (err) {
        log('error', 'close failed', { error: err.message });
        process.exit(1);
      }
      log('info', 'stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  server.on('error', (err) => {
    log('error', 'server error', { error: err.message });
    process.exit(1);
  });
  server.listen(port, host, () => {
    const addr = server.address();
    log('info', 'listening', { host, port: typeof addr === 'object' && addr ? addr.port : port, version: state.version, environment: state.environment });
  });
  return server;
}

if (require.main === module) {
  try {
    start();
  } catch (err) {
    log('error', 'failed to start', { error: err instanceof Error ? err.message : String(err) });
    process.exit(2);
  }
}

module.exports = { start };
