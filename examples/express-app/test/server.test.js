'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');

const SERVER = path.join(__dirname, '..', 'src', 'server.js');

/** Starts the server on an ephemeral loopback port and resolves with its port once it logs "listening". */
function startServer(env = {}) {
  const child = spawn(process.execPath, [SERVER], { env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const ready = new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (chunk) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = JSON.parse(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        lines.push(line);
        if (line.message === 'listening') resolve(line.port);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, ready, exited, lines };
}

test('serves /health over HTTP with the version from APP_VERSION', async () => {
  const srv = startServer({ APP_VERSION: '9.9.9-test', APP_ENV: 'dev' });
  try {
    const port = await srv.ready;
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.status, 'healthy');
    assert.equal(body.version, '9.9.9-test');
  } finally {
    srv.child.kill('SIGTERM');
  }
  assert.deepEqual(await srv.exited, { code: 0, signal: null });
});

test('SIGTERM drains gracefully: exit code 0 and a "stopped" log line', async () => {
  const srv = startServer();
  const port = await srv.ready;
  const res = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(res.status, 200);
  await res.text();
  srv.child.kill('SIGTERM');
  assert.deepEqual(await srv.exited, { code: 0, signal: null });
  assert.ok(srv.lines.some((l) => l.message === 'stopped'), 'expected a "stopped" log line');
});

test('an invalid PORT is refused with exit code 2', async () => {
  const child = spawn(process.execPath, [SERVER], { env: { ...process.env, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 2);
  assert.match(out, /PORT must be an integer/);
});
