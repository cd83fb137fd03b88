// Shared helpers for the black-box API tests: they talk HTTP to a running `wrangler dev`.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';

export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8788';
export const PASSWORD = 'demo1234';
export const ACCOUNTS = {
  admin: 'admin@demo.mx',
  agent: 'agente@demo.mx',
  ana: 'ana@alfa.mx',
  beto: 'beto@beta.mx',
};

/** Calls the API; `body` objects are sent as JSON. Returns {status, headers, json, text}. */
export async function api(method, path, { body, cookie, headers = {}, raw } = {}) {
  const h = { ...headers };
  if (cookie) h.cookie = cookie;
  let payload = raw;
  if (body !== undefined) {
    h['content-type'] ??= 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(BASE + path, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, json, text };
}

const sessions = new Map();
// Sessions are shared by the test files of one run (each file is its own process), so the
// suite signs in a handful of times instead of once per file and account: sign-in is rate
// limited per client address (LOGIN_IP_LIMITER), and every test comes from 127.0.0.1.
const SHARED = new URL('../out/sessions.json', import.meta.url);
const shared = () => { try { return JSON.parse(readFileSync(SHARED, 'utf8')); } catch { return {}; } };
function share(email, cookie) {
  try {
    mkdirSync(new URL('.', SHARED), { recursive: true });
    writeFileSync(SHARED, JSON.stringify({ ...shared(), [BASE + ' ' + email]: cookie }));
  } catch { /* a cache only */ }
}

/** Signs in (once per account per run; reused while `/api/me` accepts it) and returns the
 *  `name=value` session cookie. `fresh` always signs in anew. A 429 waits and retries. */
export async function login(email, { fresh = false } = {}) {
  if (!fresh && sessions.has(email)) return sessions.get(email);
  const known = !fresh && shared()[BASE + ' ' + email];
  if (known) {
    const me = await fetch(BASE + '/api/me', { headers: { cookie: known } });
    if (me.status === 200 && (await me.json()).email === email) {
      sessions.set(email, known);
      return known;
    }
  }
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(BASE + '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    if (res.status === 429 && attempt < 2) {
      const wait = Number(res.headers.get('retry-after') ?? 60);
      await new Promise((r) => setTimeout(r, Math.min(Math.max(wait, 1), 70) * 1000));
      continue;
    }
    if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('mds_session='));
    sessions.set(email, cookie);
    if (!fresh) share(email, cookie);
    return cookie;
  }
}

/** Asserts the error shape of API.md and returns the error object. */
export function errorOf(res) {
  if (!res.json || typeof res.json.error !== 'object') throw new Error(`not an API error: ${res.status} ${res.text}`);
  const { code, message } = res.json.error;
  if (typeof code !== 'string' || typeof message !== 'string' || !code || !message) throw new Error(`bad error body ${res.text}`);
  return res.json.error;
}

/** The `mds_session=…` cookie a response sets (sign-in, activation). */
export const cookieOf = (res) => res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('mds_session='));

/** Asserts the status (200 by default) and returns the JSON body. */
export async function expectJson(res, status = 200) {
  assert.equal(res.status, status, res.text);
  return res.json;
}

/** The invitation token the dev mailbox holds for `to` (waits for delivery). */
export async function invitationToken(to) {
  for (let i = 0; i < 25; i++) {
    const box = await expectJson(await api('GET', `/api/dev/mailbox?to=${encodeURIComponent(to)}`, { cookie: await login(ACCOUNTS.admin) }));
    const m = box.messages.find((x) => /token=[0-9a-f]{64}/.test(x.text));
    if (m) return m.text.match(/token=([0-9a-f]{64})/)[1];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no invitation for ${to}`);
}
