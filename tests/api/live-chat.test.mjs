// Live ticket and chat (issue 15): node's WebSocket against `wrangler dev`. A socket is
// authorized exactly as a ticket read; what is typed into it is stored (same rules as
// POST …/messages) before it is broadcast; notes reach staff sockets only.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS, BASE } from './helpers.mjs';
import { MORE, createTicket, message, ticketOf, SERVICES, upload, png } from './tickets-helpers.mjs';
import { writeFileSync, mkdirSync } from 'node:fs';
import { openLive, frames, waitFor, setOfficeClock, resetClock, upgrade, ownSession } from './live-helpers.mjs';

const sockets = [];
after(async () => {
  for (const s of sockets) s.close();
  await resetClock();
});
async function live(cookie, id, opts) {
  const s = await openLive(cookie, id, opts);
  sockets.push(s);
  return s;
}

test('two clients of one ticket receive each other’s messages live, in order, stored first', async () => {
  const ana = await login(ACCOUNTS.ana);
  const carlos = await login(MORE.carlos);
  const t = await createTicket(ana, { subject: `Chat en vivo ${Date.now()}` });
  const a = await live(ana, t.id);
  const c = await live(carlos, t.id);
  assert.equal(a.hello.you.name.length > 0, true);
  // Presence: Ana sees Carlos arrive.
  await waitFor(a, (f) => f.type === 'presence' && f.viewers.some((v) => v.role === 'client' && v.id !== a.hello.you.id));
  a.send({ type: 'send', body: 'Hola desde Ana', client_id: 'a1' });
  const ack = await waitFor(a, (f) => f.type === 'ack' && f.client_id === 'a1');
  const got = await waitFor(c, (f) => f.type === 'message' && f.message.id === ack.message_id);
  assert.equal(got.message.body, 'Hola desde Ana');
  assert.equal(got.message.seq, ack.seq);
  c.send({ type: 'send', body: 'Hola, Ana; soy Carlos', client_id: 'c1' });
  const back = await waitFor(a, (f) => f.type === 'message' && f.message.body === 'Hola, Ana; soy Carlos');
  assert.ok(back.message.seq > ack.seq);
  // Typing reaches the other one.
  c.send({ type: 'typing' });
  await waitFor(a, (f) => f.type === 'typing' && f.user.name && !f.internal);
  // On the record: the ticket has both, as ticket messages.
  const stored = await ticketOf(ana, t.id);
  const bodies = stored.messages.map((m) => m.body);
  assert.ok(bodies.includes('Hola desde Ana') && bodies.includes('Hola, Ana; soy Carlos'));
});

test('HTTP replies, notes, status changes and attachments arrive on the socket; notes only on staff sockets', async () => {
  const ana = await login(ACCOUNTS.ana);
  const agent = await login(ACCOUNTS.agent);
  const t = await createTicket(ana, { subject: `Nota interna en vivo ${Date.now()}` });
  const client = await live(ana, t.id);
  const staff = await live(agent, t.id);
  // Ana learns that support is looking at her ticket.
  await waitFor(client, (f) => f.type === 'presence' && f.viewers.some((v) => v.role === 'agent'));
  const note = await message(agent, t.id, 'Nota: revisar el DNS del cliente', { internal: true });
  const onStaff = await waitFor(staff, (f) => f.type === 'message' && f.message.id === note.id);
  assert.equal(onStaff.message.internal, true);
  const reply = await message(agent, t.id, 'Estamos revisando tu correo.');
  await waitFor(staff, (f) => f.type === 'message' && f.message.id === reply.id);
  const onClient = await waitFor(client, (f) => f.type === 'message' && f.message.id === reply.id);
  assert.equal(onClient.message.internal, false);
  // The status change (the reply took and opened the ticket) is announced too.
  await waitFor(client, (f) => f.type === 'changed');
  assert.ok(!frames(client).some((f) => f.type === 'message' && (f.message.internal || f.message.id === note.id)),
    'a client socket never receives an internal note');
  // A note typed into a client socket is refused like over HTTP (403), nothing stored.
  client.send({ type: 'send', body: 'intento de nota', internal: true, client_id: 'n1' });
  const refused = await waitFor(client, (f) => f.type === 'error' && f.client_id === 'n1');
  assert.ok(refused.error.code && refused.error.messages.es && refused.error.messages.en);
  // A note typed into the staff socket reaches staff only.
  staff.send({ type: 'send', body: 'Nota por socket', internal: true, client_id: 's1' });
  const sAck = await waitFor(staff, (f) => f.type === 'ack' && f.client_id === 's1');
  await waitFor(staff, (f) => f.type === 'message' && f.message.id === sAck.message_id);
  // A staff status change over HTTP.
  const st = await api('POST', `/api/tickets/${t.id}/status`, { cookie: agent, body: { status: 'waiting_third_party' } });
  assert.equal(st.status, 200, st.text);
  await waitFor(client, (f) => f.type === 'changed' && f.status === 'waiting_third_party');
  // An attachment.
  const up = await upload(ana, t.id, png());
  assert.equal(up.status, 201, up.text);
  await waitFor(staff, (f) => f.type === 'changed' && f.what === 'attachment');
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(!frames(client).some((f) => f.type === 'message' && f.message.internal));
});

test('authorization as the ticket: 401 anonymous, 404 for a stranger before upgrading, 403 from another site', async () => {
  const ana = await login(ACCOUNTS.ana);
  const beto = await login(ACCOUNTS.beto);
  const t = await createTicket(ana, { subject: `Ajeno ${Date.now()}` });
  const path = `/api/tickets/${t.id}/live`;
  assert.equal((await upgrade(path)).status, 401);
  const stranger = await upgrade(path, { cookie: beto });
  assert.equal(stranger.status, 404, stranger.text);
  assert.equal(errorOf(stranger).code, 'not_found');
  assert.equal((await upgrade('/api/tickets/T-does-not-exist/live', { cookie: ana })).status, 404);
  // The same answers through a real WebSocket handshake: it fails, nothing is opened.
  await assert.rejects(openLive(beto, t.id), /handshake/);
  const foreign = await upgrade(path, { cookie: ana, origin: 'https://evil.example' });
  assert.equal(foreign.status, 403, foreign.text);
  assert.equal(errorOf(foreign).code, 'cross_origin');
  await assert.rejects(openLive(ana, t.id, { origin: 'https://evil.example' }), /handshake/);
  assert.equal((await upgrade(path, { cookie: ana, origin: BASE })).status, 101);
  const plain = await api('GET', path, { cookie: ana });
  assert.equal(plain.status, 400);
  assert.equal(errorOf(plain).code, 'upgrade_required');
  // The lobby is for staff.
  assert.equal((await upgrade('/api/chat/live', { cookie: ana })).status, 403);
  assert.equal((await upgrade('/api/chat/live', { cookie: beto })).status, 403);
});

test('a suspended client reads live but cannot send (P27); a signed-out socket stops sending', async () => {
  const susana = await login(MORE.susana);
  const ana = await login(ACCOUNTS.ana);
  const t = await createTicket(ana, { subject: `Suspendida ${Date.now()}` });
  const s = await live(susana, t.id);
  s.send({ type: 'send', body: 'Quiero responder', client_id: 'x' });
  const err = await waitFor(s, (f) => f.type === 'error' && f.client_id === 'x');
  assert.equal(err.error.code, 'user_suspended');
  const chat = await api('POST', `/api/tickets/${t.id}/chat`, { cookie: susana });
  assert.equal(chat.status, 403, chat.text);
  // A session ended after the upgrade: the next send is refused and the socket closed.
  const fresh = await ownSession(MORE.carlos);
  const c = await live(fresh, t.id);
  assert.equal((await api('POST', '/api/auth/logout', { cookie: fresh, headers: { origin: BASE } })).status, 204);
  c.send({ type: 'send', body: 'después de salir', client_id: 'late' });
  const gone = await waitFor(c, (f) => f.type === 'error' && f.client_id === 'late');
  assert.equal(gone.error.code, 'unauthorized');
  await c.closed;
  const stored = await ticketOf(ana, t.id);
  assert.ok(!stored.messages.some((m) => m.body === 'después de salir' || m.body === 'Quiero responder'));
});

test('limits: an oversized message is refused like over HTTP, a burst gets a rate-limit frame, the socket survives', async () => {
  const ana = await login(ACCOUNTS.ana);
  const t = await createTicket(ana, { subject: `Límites ${Date.now()}` });
  const s = await live(ana, t.id);
  s.send({ type: 'send', body: 'x'.repeat(20_001), client_id: 'big' });
  const big = await waitFor(s, (f) => f.type === 'error' && f.client_id === 'big');
  assert.equal(big.error.field, 'body');
  s.send('not json');
  await waitFor(s, (f) => f.type === 'error' && f.error.code === 'bad_frame');
  for (let i = 0; i < 40; i++) s.send({ type: 'send', body: `ráfaga ${i}`, client_id: `r${i}` });
  await waitFor(s, (f) => f.type === 'error' && f.error.code === 'rate_limited', 30_000);
  s.send({ type: 'ping' });
  await waitFor(s, (f) => f.type === 'pong');
  // At most a handful of sockets per person per ticket.
  const extra = [];
  let refused = null;
  for (let i = 0; i < 8 && !refused; i++) {
    try { extra.push(await live(ana, t.id)); } catch (e) { refused = e; }
  }
  assert.ok(refused, 'too many sockets were accepted');
  const over = await upgrade(`/api/tickets/${t.id}/live`, { cookie: ana });
  assert.equal(over.status, 409);
  assert.equal(errorOf(over).code, 'too_many_sockets');
  for (const e of extra) e.close();
});

test('20 messages from each of 5 sockets at once: all 100 stored once, in one order seen by everyone', async () => {
  const ana = await login(ACCOUNTS.ana);
  const carlos = await login(MORE.carlos);
  const agent = await login(ACCOUNTS.agent);
  const admin = await login(ACCOUNTS.admin);
  const t = await createTicket(ana, { subject: `Concurrencia ${Date.now()}` });
  const who = [ana, ana, carlos, agent, admin];
  const ss = [];
  for (const c of who) ss.push(await live(c, t.id));
  const tag = `c${Date.now().toString(36)}`;
  await Promise.all(ss.map(async (s, i) => {
    for (let k = 0; k < 20; k++) s.send({ type: 'send', body: `${tag} socket ${i} mensaje ${k}`, client_id: `${i}-${k}` });
  }));
  const ours = (s) => frames(s).filter((f) => f.type === 'message' && f.message.body.startsWith(tag));
  for (const s of ss) await waitFor(s, () => ours(s).length >= 100, 60_000);
  const orders = ss.map((s) => ours(s).map((f) => f.message.id));
  for (const o of orders) assert.deepEqual(o, orders[0], 'every socket saw the same order');
  const seqs = ours(ss[0]).map((f) => f.message.seq);
  assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'broadcast in seq order');
  for (const s of ss) await waitFor(s, () => frames(s).filter((f) => f.type === 'ack').length >= 20, 30_000);
  for (const [i, s] of ss.entries()) {
    const acks = frames(s).filter((f) => f.type === 'ack');
    assert.equal(acks.length, 20, `socket ${i} acks`);
    assert.ok(!frames(s).some((f) => f.type === 'error'), `socket ${i}: no error frames`);
  }
  const stored = (await ticketOf(agent, t.id)).messages.filter((m) => m.body.startsWith(tag));
  assert.equal(stored.length, 100);
  assert.equal(new Set(stored.map((m) => m.body)).size, 100, 'each stored once');
  assert.deepEqual(stored.map((m) => m.id), orders[0], 'the stored order is the order seen');
});

test('what a socket stored survives the dev server: the deployed-configuration run reads it after a restart', async () => {
  const ana = await login(ACCOUNTS.ana);
  const t = await createTicket(ana, { subject: `Reinicio ${Date.now()}` });
  const s = await live(ana, t.id);
  const bodies = [0, 1, 2, 3, 4].map((k) => `antes del reinicio ${k} ${Date.now()}`);
  for (const [k, body] of bodies.entries()) s.send({ type: 'send', body, client_id: `b${k}` });
  await waitFor(s, () => frames(s).filter((f) => f.type === 'ack').length === 5);
  s.close();
  // Acknowledged means stored: the ticket has them now, with no socket open.
  const now = (await ticketOf(ana, t.id)).messages.map((m) => m.body);
  for (const b of bodies) assert.ok(now.includes(b), b);
  // tests/deployed/live-restart.test.mjs checks them again once wrangler dev has restarted.
  mkdirSync(new URL('../out/', import.meta.url), { recursive: true });
  writeFileSync(new URL('../out/live-restart.json', import.meta.url), JSON.stringify({ base: BASE, ticket: t.id, bodies }));
});

test('chat status follows office hours (P4) and available agents; a client starts a chat, an agent takes it', async () => {
  const ana = await login(ACCOUNTS.ana);
  const agent = await login(ACCOUNTS.agent);
  const admin = await login(ACCOUNTS.admin);
  // Outside office hours: unavailable, with the next opening.
  const cal = (await api('GET', '/api/calendar/status')).json;
  if (cal.open) {
    const after = new Date(Date.parse(cal.next_closing) + 60_000).toISOString();
    assert.equal((await api('POST', '/api/dev/clock', { cookie: admin, body: { now: after }, headers: { origin: BASE } })).status, 200);
  }
  const closedCal = (await api('GET', '/api/calendar/status')).json;
  const closed = await api('GET', '/api/chat/status', { cookie: ana });
  assert.equal(closed.status, 200, closed.text);
  assert.deepEqual(closed.json, { available: false, reason: 'closed', next_opening: closedCal.next_opening, agents: 0 });
  const t = await createTicket(ana, { subject: `Chat cerrado ${Date.now()}`, category: 'question' });
  const refused = await api('POST', `/api/tickets/${t.id}/chat`, { cookie: ana, headers: { origin: BASE } });
  assert.equal(refused.status, 409);
  assert.equal(errorOf(refused).code, 'chat_closed');
  // In office hours, without an available agent.
  await setOfficeClock(admin);
  const none = await api('GET', '/api/chat/status', { cookie: ana });
  assert.equal(none.json.available, false);
  assert.equal(none.json.reason, 'no_agents');
  // The agent marks themselves available on the lobby socket.
  const lobby = await openLive(agent, null);
  sockets.push(lobby);
  lobby.send({ type: 'available', on: true });
  await waitFor(lobby, (f) => f.type === 'agents' && f.you_available === true && f.available >= 1);
  const open = await api('GET', '/api/chat/status', { cookie: ana });
  assert.deepEqual(open.json, { available: true, agents: 0 });
  assert.equal((await api('GET', '/api/chat/status', { cookie: agent })).json.agents >= 1, true);
  // Ana starts the chat on a new ticket (the portal does exactly this).
  const c = await createTicket(ana, { subject: 'Necesito ayuda con mi buzón', category: 'question', service_id: SERVICES.alfaEmail });
  const client = await live(ana, c.id);
  const started = await api('POST', `/api/tickets/${c.id}/chat`, { cookie: ana, headers: { origin: BASE } });
  assert.equal(started.status, 200, started.text);
  assert.equal(started.json.taken_by, undefined);
  await waitFor(lobby, (f) => f.type === 'queue');
  const q = await api('GET', '/api/chat/queue', { cookie: agent });
  const mine = q.json.chats.find((x) => x.ticket_id === c.id);
  assert.ok(mine && mine.waiting_minutes >= 0 && !mine.taken_by, q.text);
  assert.equal(q.json.chats.findIndex((x) => x.ticket_id === c.id) <= q.json.chats.filter((x) => !x.taken_by).length - 1, true);
  assert.equal((await api('GET', '/api/chat/queue', { cookie: ana })).status, 403);
  const took = await api('POST', `/api/tickets/${c.id}/chat/take`, { cookie: agent, headers: { origin: BASE } });
  assert.equal(took.status, 200, took.text);
  const connected = await waitFor(client, (f) => f.type === 'chat_taken');
  assert.equal(connected.agent.role, 'agent');
  const again = await api('POST', `/api/tickets/${c.id}/chat/take`, { cookie: admin, headers: { origin: BASE } });
  assert.equal(again.status, 409);
  assert.equal(errorOf(again).code, 'chat_taken');
  const detail = await ticketOf(agent, c.id);
  assert.equal(detail.assignee?.id, connected.agent.id);
  // Availability ends with the socket.
  lobby.close();
  await lobby.closed;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await api('GET', '/api/chat/status', { cookie: ana })).json.reason, 'no_agents');
  // A new client message updates the agents' ticket queue live.
  const lobby2 = await openLive(agent, null);
  sockets.push(lobby2);
  await message(ana, c.id, 'Sigo sin correo');
  await waitFor(lobby2, (f) => f.type === 'tickets' && f.ticket_id === c.id && f.what === 'client_message');
  const fresh = await createTicket(ana, { subject: `Nuevo en la fila ${Date.now()}` });
  await waitFor(lobby2, (f) => f.type === 'tickets' && f.ticket_id === fresh.id && f.what === 'new_ticket');
  await resetClock();
});
