// Runs against `wrangler dev` configured as `wrangler deploy` ships the Worker (no MDS_DEV,
// no test hooks): the development-only features must not exist there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, ACCOUNTS } from '../api/helpers.mjs';

test('the dev mailbox and dev clock answer 404 in the deployed configuration, even to an admin', async () => {
  const admin = await login(ACCOUNTS.admin);
  for (const [method, path, body] of [
    ['GET', '/api/dev/mailbox'],
    ['POST', '/api/dev/mail', { to: 'x@example.com' }],
    ['POST', '/api/dev/mailbox/failures', { count: 1 }],
    ['POST', '/api/dev/clock', { advance_hours: 24 }],
    ['DELETE', '/api/dev/clock'],
  ]) {
    const res = await api(method, path, { cookie: admin, body });
    assert.equal(res.status, 404, `${method} ${path}: ${res.text}`);
  }
});

test('the test hook that shifts a ticket’s clock is off', async () => {
  const admin = await login(ACCOUNTS.admin);
  const res = await api('POST', '/api/admin/debug/shift-ticket', { cookie: admin, body: { id: 'T-00001', hours: 1 } });
  assert.equal(res.status, 404, res.text);
});

test('no Server-Timing header outside development (it tells how much work a request caused)', async () => {
  const admin = await login(ACCOUNTS.admin);
  for (const [path, cookie] of [['/api/health'], ['/api/tickets', admin], ['/api/kb/search?q=correo']]) {
    const res = await api('GET', path, { cookie });
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    assert.equal(res.headers.get('server-timing'), null, path);
  }
});

test('without the CREDENTIALS_KEY secret, credentials are refused (503) before anything is read', async () => {
  const admin = await login(ACCOUNTS.admin);
  const res = await api('POST', '/api/tickets/any-ticket/credentials', { cookie: admin, body: { label: 'PC', username: 'ana', secret: 'x1' } });
  assert.equal(res.status, 503, res.text);
  assert.equal(res.json.error.code, 'credentials_unavailable');
});
