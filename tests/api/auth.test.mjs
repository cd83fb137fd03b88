// Sign-in, sessions, errors and request hygiene (issue #3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS, PASSWORD, BASE } from './helpers.mjs';

test('health answers ok', async () => {
  const res = await api('GET', '/api/health');
  assert.equal(res.status, 200);
  assert.deepEqual(res.json, { status: 'ok' });
});

test('each demo account signs in and /api/me shows its role', async () => {
  const expected = { admin: 'admin', agent: 'agent', ana: 'client', beto: 'client' };
  for (const [who, role] of Object.entries(expected)) {
    const res = await api('POST', '/api/auth/login', { body: { email: ACCOUNTS[who], password: PASSWORD } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.user.role, role);
    const setCookie = res.headers.get('set-cookie');
    assert.match(setCookie, /mds_session=[0-9a-f]{64}/);
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Lax/i);
    const cookie = setCookie.split(';')[0];
    const me = await api('GET', '/api/me', { cookie });
    assert.equal(me.status, 200);
    assert.equal(me.json.email, ACCOUNTS[who]);
    assert.equal(me.json.role, role);
    if (role === 'client') assert.ok(me.json.company?.name, 'clients belong to a company');
    else assert.equal(me.json.company, undefined);
  }
});

test('e-mail is matched case-insensitively and trimmed', async () => {
  const res = await api('POST', '/api/auth/login', { body: { email: '  AGENTE@Demo.MX ', password: PASSWORD } });
  assert.equal(res.status, 200);
});

test('wrong password and unknown e-mail give the identical 401', async () => {
  const wrong = await api('POST', '/api/auth/login', { body: { email: ACCOUNTS.beto, password: 'nope-nope' } });
  const unknown = await api('POST', '/api/auth/login', { body: { email: 'nadie@ejemplo.mx', password: 'nope-nope' } });
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.deepEqual(wrong.json, unknown.json);
  assert.equal(errorOf(wrong).code, 'invalid_credentials');
  assert.equal(wrong.headers.get('set-cookie'), null);
});

test('unknown e-mail costs about as much time as a wrong password', async () => {
  const time = async (email) => {
    const t = performance.now();
    await api('POST', '/api/auth/login', { body: { email, password: 'x-wrong-x' } });
    return performance.now() - t;
  };
  const wrong = [], unknown = [];
  for (let i = 0; i < 3; i++) {
    wrong.push(await time(ACCOUNTS.admin));
    unknown.push(await time(`nadie${i}@ejemplo.mx`));
  }
  const median = (xs) => xs.sort((a, b) => a - b)[1];
  // Both paths run PBKDF2; without the dummy hash an unknown e-mail would answer many times faster.
  assert.ok(median(unknown) > median(wrong) * 0.4, `unknown ${median(unknown)}ms vs wrong ${median(wrong)}ms`);
});

test('no cookie → 401 JSON', async () => {
  const res = await api('GET', '/api/me');
  assert.equal(res.status, 401);
  assert.equal(errorOf(res).code, 'unauthorized');
});

test('tampered or garbage cookie → 401', async () => {
  const cookie = await login(ACCOUNTS.ana);
  const token = cookie.split('=')[1];
  const flipped = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
  for (const c of [`mds_session=${flipped}`, 'mds_session=abc', "mds_session=' OR 1=1 --", 'other=1']) {
    const res = await api('GET', '/api/me', { cookie: c });
    assert.equal(res.status, 401, c);
  }
});

test('logout invalidates the session on the server', async () => {
  const cookie = await login(ACCOUNTS.agent, { fresh: true });
  assert.equal((await api('GET', '/api/me', { cookie })).status, 200);
  const out = await api('POST', '/api/auth/logout', { cookie });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /Max-Age=0/);
  // Replaying the old cookie must fail: the session row is gone.
  assert.equal((await api('GET', '/api/me', { cookie })).status, 401);
});

test('malformed JSON → 400 JSON error, never a 500', async () => {
  const res = await api('POST', '/api/auth/login', { raw: '{"email": "ana@alfa.mx", ', headers: { 'content-type': 'application/json' } });
  assert.equal(res.status, 400);
  assert.equal(errorOf(res).code, 'malformed_json');
});

test('missing field → 400 naming the field; empty values → 422 with field', async () => {
  const missing = await api('POST', '/api/auth/login', { body: { email: 'ana@alfa.mx' } });
  assert.equal(missing.status, 400);
  assert.equal(errorOf(missing).field, 'password');
  const empty = await api('POST', '/api/auth/login', { body: { email: '', password: 'x' } });
  assert.equal(empty.status, 422);
  assert.equal(errorOf(empty).field, 'email');
});

test('wrong content type → 415; oversized body → 413', async () => {
  const form = await api('POST', '/api/auth/login', { raw: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(form.status, 415);
  errorOf(form);
  const big = await api('POST', '/api/auth/login', { body: { email: 'a@b.mx', password: 'x'.repeat(70 * 1024) } });
  assert.equal(big.status, 413);
  errorOf(big);
});

test('unknown /api path → 404 JSON', async () => {
  const res = await api('GET', '/api/no-such-thing');
  assert.equal(res.status, 404);
  assert.equal(errorOf(res).code, 'not_found');
});

test('a cross-site Origin on POST → 403; our own origin is accepted', async () => {
  const evil = await api('POST', '/api/auth/login', {
    body: { email: ACCOUNTS.ana, password: PASSWORD },
    headers: { origin: 'https://evil.example' },
  });
  assert.equal(evil.status, 403);
  assert.equal(errorOf(evil).code, 'cross_origin');
  const own = await api('POST', '/api/auth/login', {
    body: { email: ACCOUNTS.beto, password: PASSWORD },
    headers: { origin: new URL(BASE).origin },
  });
  assert.equal(own.status, 200);
});

test('sign-in is rate limited per e-mail: 429 with Retry-After', async () => {
  const email = `fuerza-bruta-${Date.now()}@ejemplo.mx`;
  let limited = null;
  for (let i = 0; i < 30 && !limited; i++) {
    const res = await api('POST', '/api/auth/login', { body: { email, password: `intento-${i}` } });
    if (res.status === 429) limited = res;
    else assert.equal(res.status, 401);
  }
  assert.ok(limited, 'expected a 429 within 30 attempts');
  assert.equal(errorOf(limited).code, 'rate_limited');
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
});

test('the OpenAPI document lists the endpoints', async () => {
  const res = await api('GET', '/api/openapi.json');
  assert.equal(res.status, 200);
  assert.match(res.json.openapi, /^3\./);
  for (const p of ['/api/health', '/api/auth/login', '/api/auth/logout', '/api/me']) {
    assert.ok(res.json.paths[p], `missing ${p}`);
  }
});

test('errors carry the message in both languages next to the es-MX message', async () => {
  const res = await fetch(`${BASE}/api/me`);
  assert.equal(res.status, 401);
  const body = await res.json();
  assert.equal(body.error.code, 'unauthorized');
  assert.equal(body.error.message, body.error.messages.es);
  assert.ok(body.error.messages.es.length > 0 && body.error.messages.en.length > 0);
  assert.notEqual(body.error.messages.es, body.error.messages.en);
  assert.ok(!body.error.message.includes(' / '), 'no joined "es / en" text');
});
