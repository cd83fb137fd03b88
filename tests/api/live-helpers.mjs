// Helpers for the live (WebSocket) API tests and the fan-out benchmark. Not a test file.
import http from 'node:http';
import { api, login, ACCOUNTS, BASE } from './helpers.mjs';

/** Opens the ticket's live socket (`id`) or, with `id` null, the staff lobby (or `path`,
 *  e.g. the person's own `/api/live`). Resolves once
 *  open (with `hello` for a ticket); rejects with "handshake …" when the upgrade is refused. */
export function openLive(cookie, id, { origin = BASE, path } = {}) {
  const url = BASE.replace(/^http/, 'ws') + (path ?? (id ? `/api/tickets/${id}/live` : '/api/chat/live'));
  const ws = new WebSocket(url, { headers: { cookie, origin } });
  const s = {
    ws,
    frames: [],
    waiters: new Set(),
    hello: null,
    send: (f) => ws.send(typeof f === 'string' ? f : JSON.stringify(f)),
    close: () => { try { ws.close(); } catch { /* closed */ } },
  };
  s.closed = new Promise((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
  ws.addEventListener('message', (e) => {
    const f = JSON.parse(e.data);
    f.received_at = performance.now();
    s.frames.push(f);
    for (const w of s.waiters) w();
  });
  return new Promise((resolve, reject) => {
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
      if (!id) return resolve(s);
      waitFor(s, (f) => f.type === 'hello').then((h) => { s.hello = h; resolve(s); }, reject);
    });
    ws.addEventListener('error', () => { if (!opened) reject(new Error('handshake refused')); });
  });
}

export const frames = (s) => s.frames;

/** The first frame (so far or to come) for which `pred` holds. */
export function waitFor(s, pred, ms = 15_000) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const f = s.frames.find((x) => pred(x));
      if (f) { clearTimeout(timer); s.waiters.delete(check); resolve(f); return true; }
      return false;
    };
    const timer = setTimeout(() => {
      s.waiters.delete(check);
      reject(new Error(`no such frame within ${ms} ms; last: ${JSON.stringify(s.frames.slice(-3))}`));
    }, ms);
    if (!check()) s.waiters.add(check);
  });
}

/** Moves the dev clock into office hours (P4) unless it is there with half an hour left. */
export async function setOfficeClock(admin) {
  const cal = (await api('GET', '/api/calendar/status')).json;
  const now = Date.parse(cal.now);
  if (cal.open && Date.parse(cal.next_closing) - now > 30 * 60_000) return;
  const at = new Date(Date.parse(cal.next_opening) + 60 * 60_000).toISOString();
  const res = await api('POST', '/api/dev/clock', { cookie: admin, body: { now: at }, headers: { origin: BASE } });
  if (res.status !== 200) throw new Error(`dev clock: ${res.status} ${res.text}`);
}

export async function resetClock() {
  const admin = await login(ACCOUNTS.admin);
  await api('DELETE', '/api/dev/clock', { cookie: admin, headers: { origin: BASE } });
}

/** A WebSocket handshake by hand (node:http): the status the upgrade got and, when refused,
 *  the JSON error body. fetch() refuses an `Upgrade` header, and a WebSocket hides both. */
export function upgrade(path, { cookie, origin } = {}) {
  const url = new URL(BASE + path);
  const headers = {
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-version': '13',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  };
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = origin;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, headers });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve({ status: res.statusCode, json: null }); });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, json, text });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Signs in without touching the shared session cache (for a session the test ends). */
export async function ownSession(email) {
  const res = await fetch(BASE + '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'demo1234' }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('mds_session='));
}
