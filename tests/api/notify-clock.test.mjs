// The 48 h wait on the business calendar, driven by the dev clock (issue 11, P17), and a
// drain that dies after claiming its rows (the lease hands them to the next one).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, ACCOUNTS } from './helpers.mjs';
import { createTicket, ticketOf, message, sweep } from './tickets-helpers.mjs';

const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const DAY = 86_400_000;

after(async () => {
  const admin = await login(ACCOUNTS.admin, { fresh: true });
  await api('DELETE', '/api/dev/clock', { cookie: admin });
  await api('POST', '/api/dev/mailbox/failures', { cookie: admin, body: { count: 0, stall_drains: 0 } });
});

async function holidays(year) {
  const res = await api('GET', `/api/calendar/holidays?year=${year}`);
  assert.equal(res.status, 200);
  return new Set(res.json.holidays.map((h) => h.date));
}

/** A Friday (office date, UTC−6) at least 5 days back whose Monday and Tuesday are working
 * days: the whole wait then lies in the past, where moving the clock touches no other test. */
async function pastFriday() {
  const off = 6 * 3_600_000;
  let d = new Date(Date.now() - off - 5 * DAY);
  while (d.getUTCDay() !== 5) d = new Date(d - DAY);
  for (;;) {
    const day = (n) => new Date(d.getTime() + n * DAY).toISOString().slice(0, 10);
    const h = new Set([...(await holidays(day(0).slice(0, 4))), ...(await holidays(day(4).slice(0, 4)))]);
    if (![0, 3, 4].some((n) => h.has(day(n)))) return day;
    d = new Date(d - 7 * DAY);
  }
}

const at = (day, n, hhmm) => `${day(n)}T${hhmm}:00-06:00`;

async function clock(admin, now) {
  const res = await api('POST', '/api/dev/clock', { cookie: admin, body: { now } });
  assert.equal(res.status, 200, res.text);
}

async function kinds(cookie, ticketId) {
  const res = await api('GET', '/api/notifications', { cookie });
  return res.json.notifications.filter((n) => n.ticket_id === ticketId).map((n) => n.kind);
}

test('"waiting for your answer" Friday 17:00: reminder Monday 17:00, auto-resolve Tuesday 17:00, never on Sunday; a Monday reply cancels both', async () => {
  const admin = await login(ACCOUNTS.admin);
  const day = await pastFriday();
  await clock(admin, at(day, 0, '16:58'));
  const ana = await login(ACCOUNTS.ana, { fresh: true });
  const agent = await login(ACCOUNTS.agent, { fresh: true });
  const waiting = await createTicket(ana);
  const answered = await createTicket(ana);
  await clock(admin, at(day, 0, '17:00'));
  for (const t of [waiting, answered]) {
    await message(agent, t.id, '¿Nos confirmas el modelo del equipo?', { kind: 'awaiting_client' });
  }
  const t0 = await ticketOf(ana, waiting.id);
  assert.equal(t0.status, 'waiting_client');
  assert.ok(t0.auto_close_at.startsWith(`${day(4)}T17:00`), `deadline Tuesday 17:00, got ${t0.auto_close_at}`);

  // Saturday and Sunday do not count: nothing happens.
  for (const [n, hhmm] of [[1, '12:00'], [2, '12:00'], [2, '23:30']]) {
    await clock(admin, at(day, n, hhmm));
    await sweep();
  }
  assert.deepEqual((await kinds(ana, waiting.id)).filter((k) => k === 'wait_reminder'), [], 'no reminder on the weekend');
  // Monday: the client answers the second ticket at noon.
  await clock(admin, at(day, 3, '12:00'));
  await message(ana, answered.id, 'Es un ThinkPad T14.');
  await clock(admin, at(day, 3, '16:55'));
  await sweep();
  assert.ok(!(await kinds(ana, waiting.id)).includes('wait_reminder'), 'not before Monday 17:00');
  await clock(admin, at(day, 3, '17:05'));
  await sweep();
  assert.equal((await kinds(ana, waiting.id)).filter((k) => k === 'wait_reminder').length, 1, 'reminded Monday 17:00');
  assert.equal((await ticketOf(ana, waiting.id)).status, 'waiting_client');
  // Tuesday: resolves at 17:00, not before.
  await clock(admin, at(day, 4, '16:55'));
  await sweep();
  assert.equal((await ticketOf(ana, waiting.id)).status, 'waiting_client', 'not before Tuesday 17:00');
  await clock(admin, at(day, 4, '17:05'));
  await sweep();
  await sweep();
  const done = await ticketOf(ana, waiting.id);
  assert.equal(done.status, 'resolved');
  const k = await kinds(ana, waiting.id);
  assert.equal(k.filter((x) => x === 'auto_resolved').length, 1);
  assert.equal(k.filter((x) => x === 'wait_reminder').length, 1);
  // The ticket answered on Monday: neither the reminder nor the auto-resolve.
  const other = await ticketOf(ana, answered.id);
  assert.equal(other.status, 'open');
  assert.equal(other.auto_close_at, null);
  const ok = await kinds(ana, answered.id);
  assert.ok(!ok.includes('wait_reminder') && !ok.includes('auto_resolved'), JSON.stringify(ok));
  await api('DELETE', '/api/dev/clock', { cookie: admin });
});

test('a drain that dies after claiming loses nothing: the row is sent once after its lease', async () => {
  const admin = await login(ACCOUNTS.admin, { fresh: true });
  const to = `dies-${Date.now().toString(36)}@example.com`;
  // Let the queue finish the deliveries of the previous test: the knob stops the next
  // consumer that claims anything.
  await pause(2000);
  let res = await api('POST', '/api/dev/mailbox/failures', { cookie: admin, body: { count: 0, stall_drains: 1 } });
  assert.equal(res.status, 200, res.text);
  res = await api('POST', '/api/dev/mail', { cookie: admin, body: { to, subject: 'Sobrevive', text: 'x', dedupe_key: to } });
  assert.equal(res.status, 202, res.text);
  await pause(800); // the drain after the response claims it and "dies"
  const box = async () => (await api('GET', `/api/dev/mailbox?to=${encodeURIComponent(to)}`, { cookie: admin })).json.messages;
  assert.equal((await box()).length, 0);
  await sweep();
  assert.equal((await box()).length, 0, 'still leased to the dead drain');
  res = await api('POST', '/api/dev/clock', { cookie: admin, body: { advance_hours: 0.05 } });
  assert.equal(res.status, 200);
  await sweep();
  await Promise.all([sweep(), sweep()]);
  const got = await box();
  assert.equal(got.length, 1);
  assert.equal(got[0].subject, 'Sobrevive');
  await api('DELETE', '/api/dev/clock', { cookie: admin });
});
