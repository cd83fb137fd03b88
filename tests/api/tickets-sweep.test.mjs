// The 48-hour auto-close sweep (issue 5, P17): set-based, idempotent, with event rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, ACCOUNTS } from './helpers.mjs';
import { createTicket, ticketOf, message, sweep, shift, setStatus } from './tickets-helpers.mjs';

const as = (who) => login(ACCOUNTS[who]);
// Status changes made by the sweep (its SLA at-risk/breach marks are separate events, issue 11).
const sweepEvents = (t) => t.events.filter((e) => e.actor_kind === 'sweep' && e.kind === 'status');

test('waiting_client resolves, then resolved closes; running the sweep twice changes nothing more', async () => {
  const ana = await as('ana');
  const agent = await as('agent');
  const t = await createTicket(ana);
  await message(agent, t.id, '¿Sigue pasando?', { kind: 'awaiting_client' });
  await sweep();
  assert.equal((await ticketOf(ana, t.id)).status, 'waiting_client', 'not before the deadline');

  await shift(t.id, 24 * 14);
  await sweep();
  let now = await ticketOf(ana, t.id);
  assert.equal(now.status, 'resolved');
  assert.equal(sweepEvents(now).length, 1);
  assert.deepEqual([sweepEvents(now)[0].data.from, sweepEvents(now)[0].data.to], ['waiting_client', 'resolved']);
  assert.match(now.reopen_until, /-06:00$/, 'the warranty starts');
  assert.ok(now.auto_close_at, 'and a new 48 h wait to close');
  assert.equal(now.can_reopen, true);

  await sweep();
  now = await ticketOf(ana, t.id);
  assert.equal(now.status, 'resolved');
  assert.equal(sweepEvents(now).length, 1, 'no double effect');

  await shift(t.id, 24 * 14);
  await Promise.all([sweep(), sweep()]);
  now = await ticketOf(ana, t.id);
  assert.equal(now.status, 'closed');
  assert.equal(now.auto_close_at, null);
  assert.deepEqual(sweepEvents(now).map((e) => e.data.to), ['resolved', 'closed'], 'concurrent runs: one event');
  await sweep();
  assert.equal(sweepEvents(await ticketOf(ana, t.id)).length, 2);

  const runs = await api('GET', '/api/admin/sweeps', { cookie: await as('admin') });
  const counts = JSON.parse(runs.json.runs[0].counts);
  assert.equal(typeof counts.auto_resolved, 'number');
  assert.equal(typeof counts.auto_closed, 'number');
});

test('"resolved — please confirm" closes after the wait', async () => {
  const ana = await as('ana');
  const t = await createTicket(ana);
  await message(await as('agent'), t.id, 'Quedó resuelto, ¿nos confirmas?', { kind: 'resolved_confirm' });
  await shift(t.id, 24 * 14);
  await sweep();
  const now = await ticketOf(ana, t.id);
  assert.equal(now.status, 'closed');
  assert.equal(sweepEvents(now).length, 1);
});

test('a client reply before the deadline cancels the auto-close', async () => {
  const ana = await as('ana');
  const agent = await as('agent');
  const t = await createTicket(ana);
  await message(agent, t.id, '¿Nos mandas el dato?', { kind: 'awaiting_client' });
  await message(ana, t.id, 'Sí, aquí está.');
  assert.equal((await ticketOf(ana, t.id)).auto_close_at, null);
  await shift(t.id, 24 * 14);
  await sweep();
  const now = await ticketOf(ana, t.id);
  assert.equal(now.status, 'open');
  assert.equal(sweepEvents(now).length, 0);
});

test('other statuses are never touched by the sweep', async () => {
  const ana = await as('ana');
  const t = await createTicket(ana);
  await setStatus(await as('agent'), t.id, 'waiting_third_party');
  await shift(t.id, 24 * 14);
  await sweep();
  assert.equal((await ticketOf(ana, t.id)).status, 'waiting_third_party');
});

test('the test hook needs an admin', async () => {
  const res = await api('POST', '/api/admin/debug/shift-ticket', { cookie: await as('agent'), body: { ticket_id: 'x', hours: 1 } });
  assert.equal(res.status, 403);
});
