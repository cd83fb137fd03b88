// Live, per person (issue 15): everyone's own socket (`GET /api/live`) rings the
// notification bell when a notice for them is written; one person holds at most
// MAX_SOCKETS_PER_PERSON sockets in all (tickets, lobby, own); what a sweep changes reaches
// the ticket's open pages.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS, BASE } from './helpers.mjs';
import { MORE, createTicket, message, ticketOf, sweep, shift } from './tickets-helpers.mjs';
import { openLive, frames, waitFor, upgrade } from './live-helpers.mjs';

/** domain::chat::MAX_SOCKETS_PER_PERSON */
const MAX_PER_PERSON = 16;
/** domain::chat::MAX_SOCKETS_PER_USER (one ticket) */
const MAX_PER_TICKET = 6;
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

const sockets = [];
after(() => {
  for (const s of sockets) s.close();
});
async function own(cookie) {
  const s = await openLive(cookie, null, { path: '/api/live' });
  sockets.push(s);
  return s;
}
async function live(cookie, id) {
  const s = await openLive(cookie, id);
  sockets.push(s);
  return s;
}

test('a person’s own socket: 401 anonymous, 403 from another site, 400 without an upgrade', async () => {
  assert.equal((await upgrade('/api/live')).status, 401);
  const ana = await login(ACCOUNTS.ana);
  const cross = await upgrade('/api/live', { cookie: ana, origin: 'https://evil.example' });
  assert.equal(cross.status, 403);
  assert.equal(errorOf(cross).code, 'cross_origin');
  const plain = await api('GET', '/api/live', { cookie: ana });
  assert.equal(plain.status, 400);
  assert.equal(errorOf(plain).code, 'upgrade_required');
});

test('a notice written for a person rings their own socket, and only theirs', async () => {
  const ana = await login(ACCOUNTS.ana);
  const beto = await login(ACCOUNTS.beto);
  const agent = await login(ACCOUNTS.agent);
  const t = await createTicket(ana, { subject: `Campana en vivo ${Date.now()}` });
  const anaBell = await own(ana);
  const betoBell = await own(beto);
  anaBell.send({ type: 'ping' });
  await waitFor(anaBell, (f) => f.type === 'pong');
  const before = frames(anaBell).filter((f) => f.type === 'notifications').length;
  await message(agent, t.id, 'Ya revisamos tu caso; ¿puedes confirmar?');
  await waitFor(anaBell, (f) => f.type === 'notifications' && frames(anaBell).filter((x) => x.type === 'notifications').length > before);
  // The bell's source of truth has it.
  const list = await api('GET', '/api/notifications', { cookie: ana });
  assert.ok(list.json.notifications.some((n) => n.ticket_id === t.id && !n.read), 'the notice is there, unread');
  // Beto (another company) was not told anything about Ana's ticket.
  await pause(500);
  assert.equal(frames(betoBell).filter((f) => f.type === 'notifications').length, 0);
});

test('one person holds at most MAX_SOCKETS_PER_PERSON sockets in all; a closed one frees its place', async () => {
  // Gustavo (Gamma) is used by no other live test: nothing of his is open.
  const gus = await login(MORE.gustavo);
  const tickets = [];
  for (let i = 0; i < 3; i++) tickets.push(await createTicket(gus, { subject: `Límite global ${i} ${Date.now()}`, service_id: 's-gamma-system' }));
  const open = [];
  // Two tickets at the per-ticket limit…
  for (const t of tickets.slice(0, 2)) {
    for (let i = 0; i < MAX_PER_TICKET; i++) open.push(await live(gus, t.id));
  }
  // …then his own sockets up to the limit in all.
  while (open.length < MAX_PER_PERSON) open.push(await own(gus));
  assert.equal(open.length, MAX_PER_PERSON);
  // A third ticket, the lobby-less person's own socket: both refused, with the reason.
  const over = await upgrade(`/api/tickets/${tickets[2].id}/live`, { cookie: gus, origin: BASE });
  assert.equal(over.status, 409, 'a third ticket over the limit');
  assert.equal(errorOf(over).code, 'too_many_sockets');
  assert.ok(errorOf(over).messages.es && errorOf(over).messages.en);
  const overOwn = await upgrade('/api/live', { cookie: gus, origin: BASE });
  assert.equal(overOwn.status, 409, 'an own socket over the limit');
  // Someone else is not affected.
  const ana = await login(ACCOUNTS.ana);
  await own(ana);
  // Closing one of his ticket sockets frees a place (the count asks the objects).
  open[0].close();
  await open[0].closed;
  let third = null;
  for (let i = 0; i < 20 && !third; i++) {
    try { third = await live(gus, tickets[2].id); } catch { await pause(250); }
  }
  assert.ok(third, 'after a close, a socket fits again');
  assert.equal((await upgrade('/api/live', { cookie: gus, origin: BASE })).status, 409, 'and it was the only place');
  for (const s of open) s.close();
});

test('what a sweep changes reaches the ticket’s open page live (auto-close after the wait, P17)', async () => {
  const ana = await login(ACCOUNTS.ana);
  const agent = await login(ACCOUNTS.agent);
  const t = await createTicket(ana, { subject: `Barrido en vivo ${Date.now()}` });
  await message(agent, t.id, '¿Sigue pasando?', { kind: 'awaiting_client' });
  const page = await live(ana, t.id);
  const bell = await own(ana);
  const rung = frames(bell).filter((f) => f.type === 'notifications').length;
  await shift(t.id, 24 * 14);
  await sweep();
  const changed = await waitFor(page, (f) => f.type === 'changed' && f.status === 'resolved');
  assert.equal(changed.what, 'status');
  assert.equal((await ticketOf(ana, t.id)).status, 'resolved', 'the socket told what was stored');
  // The client is told (issue 11's notice), and the bell rings with it.
  await waitFor(bell, () => frames(bell).filter((f) => f.type === 'notifications').length > rung);
});
