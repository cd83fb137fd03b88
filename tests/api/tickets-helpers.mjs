// Helpers for the ticket API tests (issue 5). Not a test file: xtask skips names with "helpers".
import assert from 'node:assert/strict';
import { api, login, BASE } from './helpers.mjs';

export const MORE = {
  carlos: 'carlos@alfa.mx',
  susana: 'susana@alfa.mx',
  gabriela: 'gabriela@gamma.mx',
  gustavo: 'gustavo@gamma.mx',
};

export const SERVICES = {
  alfaHosting: 's-alfa-hosting',
  alfaEmail: 's-alfa-email',
  betaDomain: 's-beta-domain',
  betaWeb: 's-beta-web',
  gammaSystem: 's-gamma-system',
  gammaSoftlik: 's-gamma-softlik',
};

let seq = 0;
/** A unique subject so tests do not see each other's tickets as duplicates. */
export const subject = (s = 'Prueba') => `${s} ${Date.now().toString(36)}-${++seq}`;

/** Creates a ticket as `cookie` and asserts 201; returns the ticket. */
export async function createTicket(cookie, fields = {}, headers = {}) {
  const body = {
    service_id: SERVICES.alfaEmail,
    priority: 'medium',
    category: 'incident',
    subject: subject('No puedo enviar correos'),
    description: 'Desde esta mañana Outlook marca error al enviar.',
    ...fields,
  };
  const res = await api('POST', '/api/tickets', { cookie, body, headers });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

export const getTicket = async (cookie, id) => api('GET', `/api/tickets/${id}`, { cookie });

export async function ticketOf(cookie, id) {
  const res = await getTicket(cookie, id);
  assert.equal(res.status, 200, res.text);
  return res.json;
}

export const post = (cookie, id, what, body) => api('POST', `/api/tickets/${id}/${what}`, { cookie, body });

export async function setStatus(cookie, id, status, reason) {
  const res = await post(cookie, id, 'status', reason ? { status, reason } : { status });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

export async function message(cookie, id, body, extra = {}) {
  const res = await post(cookie, id, 'messages', { body, ...extra });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

/** Runs the scheduled sweep like the cron trigger does. */
export async function sweep() {
  const res = await fetch(`${BASE}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`);
  assert.equal(res.status, 200);
}

/** Test hook: moves a ticket's instants `hours` into the past. */
export async function shift(id, hours) {
  const admin = await login('admin@demo.mx');
  const res = await api('POST', '/api/admin/debug/shift-ticket', { cookie: admin, body: { ticket_id: id, hours } });
  assert.equal(res.status, 200, res.text);
}

/** A small valid PNG (1×1) padded to at least `size` bytes. */
export function png(size = 0) {
  const base = Buffer.from(
    '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
      '1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f6a1c20000000049454e44ae426082',
    'hex',
  );
  return size > base.length ? Buffer.concat([base, Buffer.alloc(size - base.length)]) : base;
}

export const jpeg = () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
export const gif = () => Buffer.from('474946383961010001000000002c00000000010001000002003b', 'hex');

/** Uploads `bytes` as multipart field `file`. */
export async function upload(cookie, id, bytes, name = 'captura.png', type = 'image/png', extra = {}) {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  const headers = cookie ? { cookie } : {};
  const res = await fetch(`${BASE}/api/tickets/${id}/attachments`, { method: 'POST', headers, body: form });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, json, text };
}
