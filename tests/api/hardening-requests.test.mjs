// Hardening, issue 16 point 6: sessions with an absolute lifetime and "sign out everywhere",
// strict JSON media types, 405 for a known path under another method, Server-Timing kept to
// development, partial calendar updates (in calendar.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS, PASSWORD } from './helpers.mjs';

const CARLOS = 'carlos@alfa.mx';

async function freshCookie(email) {
  const res = await api('POST', '/api/auth/login', { body: { email, password: PASSWORD } });
  assert.equal(res.status, 200, res.text);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('mds_session='));
}

test('sign out everywhere ends every session of the caller, and only theirs', async () => {
  const phone = await freshCookie(CARLOS);
  const laptop = await freshCookie(CARLOS);
  const ana = await freshCookie(ACCOUNTS.ana);
  assert.equal((await api('POST', '/api/auth/logout-everywhere')).status, 401);
  const out = await api('POST', '/api/auth/logout-everywhere', { cookie: phone });
  assert.equal(out.status, 204, out.text);
  assert.match(out.headers.get('set-cookie'), /mds_session=;.*Max-Age=0/i);
  assert.equal((await api('GET', '/api/me', { cookie: phone })).status, 401);
  assert.equal((await api('GET', '/api/me', { cookie: laptop })).status, 401, 'the other device is signed out too');
  assert.equal((await api('GET', '/api/me', { cookie: ana })).status, 200, 'another user keeps her session');
});

test('a session ends 30 days after sign-in however active it is (sliding 7 days inside that)', async () => {
  const carlos = await freshCookie(CARLOS);
  let admin = await freshCookie(ACCOUNTS.admin);
  try {
    // Active every 5 days: the 7-day sliding expiry alone would keep it forever.
    for (let day = 5; day <= 25; day += 5) {
      const moved = await api('POST', '/api/dev/clock', { cookie: admin, body: { advance_hours: 120 } });
      assert.equal(moved.status, 200, moved.text);
      assert.equal((await api('GET', '/api/me', { cookie: carlos })).status, 200, `still signed in on day ${day}`);
    }
    // Day 30 and two hours: past the absolute lifetime, still inside the sliding window.
    await api('POST', '/api/dev/clock', { cookie: admin, body: { advance_hours: 122 } });
    const late = await api('GET', '/api/me', { cookie: carlos });
    assert.equal(late.status, 401, 'the absolute lifetime ended the session');
    assert.equal(errorOf(late).code, 'unauthorized');
  } finally {
    admin = await freshCookie(ACCOUNTS.admin);
    assert.equal((await api('DELETE', '/api/dev/clock', { cookie: admin })).status, 200);
  }
});

test('only application/json bodies are JSON: application/jsonx and friends → 415, changing nothing', async () => {
  const cookie = await login(ACCOUNTS.admin);
  for (const type of ['application/jsonx', 'application/json-patch+json', 'text/json', 'application/x-www-form-urlencoded']) {
    const res = await api('PUT', '/api/admin/calendar', { cookie, headers: { 'content-type': type }, raw: JSON.stringify({ clock: 'office_hours' }) });
    assert.equal(res.status, 415, `${type}: ${res.text}`);
    assert.equal(errorOf(res).code, 'unsupported_media_type');
  }
  assert.equal((await api('GET', '/api/admin/calendar', { cookie })).json.settings.clock, 'working_days');
  const ok = await api('POST', '/api/auth/login', {
    headers: { 'content-type': 'Application/JSON; charset=UTF-8' },
    raw: JSON.stringify({ email: ACCOUNTS.ana, password: PASSWORD }),
  });
  assert.equal(ok.status, 200, 'parameters and case do not matter');
});

test('a known path under another method → 405 with Allow; an unknown path → 404', async () => {
  const cookie = await login(ACCOUNTS.admin);
  const del = await api('DELETE', '/api/tickets', { cookie });
  assert.equal(del.status, 405, del.text);
  assert.deepEqual(del.headers.get('allow').split(', ').sort(), ['GET', 'POST']);
  assert.equal(errorOf(del).code, 'method_not_allowed');
  const put = await api('PUT', '/api/tickets/T-00001/status', { cookie, body: {} });
  assert.equal(put.status, 405);
  assert.equal(put.headers.get('allow'), 'POST');
  assert.equal((await api('GET', '/api/no-such-thing', { cookie })).status, 404);
  assert.equal((await api('PATCH', '/api/tickets/T-00001/nothing', { cookie })).status, 404);
});
