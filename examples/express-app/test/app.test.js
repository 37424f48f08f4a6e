'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createState, handle } = require('../src/app');
const { handler } = require('../src/lambda');

test('root answers with the configured version and environment', () => {
  const state = createState({ version: '2.3.4', environment: 'staging' });
  const res = handle('GET', '/', state);
  assert.equal(res.status, 200);
  const body = JSON.parse(res.body);
  assert.equal(body.version, '2.3.4');
  assert.equal(body.environment, 'staging');
  assert.match(body.message, /v2\.3\.4/);
});

test('health is 200 JSON with uptime while serving, 503 while draining', () => {
  const state = createState({ version: '1.0.0', environment: 'dev', now: 1_000 });
  const ok = handle('GET', '/health?probe=alb', state, 61_500);
  assert.equal(ok.status, 200);
  assert.match(ok.headers['content-type'], /^application\/json/);
  assert.deepEqual(JSON.parse(ok.body), { status: 'healthy', version: '1.0.0', environment: 'dev', uptimeSeconds: 60 });
  state.draining = true;
  const draining = handle('GET', '/health', state);
  assert.equal(draining.status, 503);
  assert.equal(JSON.parse(draining.body).status, 'draining');
});

test('unknown paths are 404 and other methods 405 with an Allow header', () => {
  const state = createState({ version: '1.0.0' });
  assert.equal(handle('GET', '/nope', state).status, 404);
  const post = handle('POST', '/health', state);
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD');
  const head = handle('HEAD', '/health', state);
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
});

test('a missing version is refused', () => {
  assert.throws(() => createState({ version: '' }), /version must be a non-empty string/);
});

test('the Lambda handler serves the same routes and reports the published version', async () => {
  delete process.env.APP_VERSION;
  const res = await handler({ rawPath: '/health', requestContext: { http: { method: 'GET' } } }, { functionVersion: '7' });
  assert.equal(res.statusCode, 200);
  assert.match(JSON.parse(res.body).version, /\+lambda\.7$/);
  const missing = await handler({ path: '/missing', httpMethod: 'GET' }, { functionVersion: '7' });
  assert.equal(missing.statusCode, 404);
});
