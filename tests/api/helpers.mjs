// Shared helpers for the black-box API tests: they talk HTTP to a running `wrangler dev`.
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

/** Signs in (once per account per test file) and returns the `name=value` session cookie. */
export async function login(email, { fresh = false } = {}) {
  if (!fresh && sessions.has(email)) return sessions.get(email);
  const res = await fetch(BASE + '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('mds_session='));
  sessions.set(email, cookie);
  return cookie;
}

/** Asserts the error shape of API.md and returns the error object. */
export function errorOf(res) {
  if (!res.json || typeof res.json.error !== 'object') throw new Error(`not an API error: ${res.status} ${res.text}`);
  const { code, message } = res.json.error;
  if (typeof code !== 'string' || typeof message !== 'string' || !code || !message) throw new Error(`bad error body ${res.text}`);
  return res.json.error;
}
