// SLA at risk / breached sweeps notify once per target (issue 11).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, ACCOUNTS, BASE } from './helpers.mjs';
import { createTicket } from './tickets-helpers.mjs';

const sweep = () => fetch(`${BASE}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`).then((r) => r.status);
const shift = (admin, ticket_id, hours) =>
  api('POST', '/api/admin/debug/shift-ticket', { cookie: admin, body: { ticket_id, hours } });

async function notices(cookie, ticketId, kind) {
  const res = await api('GET', '/api/notifications', { cookie });
  assert.equal(res.status, 200);
  return res.json.notifications.filter((n) => n.ticket_id === ticketId && n.kind === kind);
}

async function mails(admin, to, number, re) {
  const res = await api('GET', `/api/dev/mailbox?to=${encodeURIComponent(to)}`, { cookie: admin });
  return res.json.messages.filter((m) => m.subject.includes(number) && re.test(m.subject));
}

test('at risk at 75 % and breached at 100 % notify once across repeated and concurrent runs', async () => {
  const admin = await login(ACCOUNTS.admin);
  const agent = await login(ACCOUNTS.agent);
  const ana = await login(ACCOUNTS.ana);
  const t = await createTicket(ana); // medium: 48 working hours, unassigned → every agent
  const runs = await api('GET', '/api/admin/sweeps', { cookie: admin });
  assert.equal(runs.status, 200);
  // Move the ticket back in 6 h steps until the sweep marks it at risk.
  let risk = [];
  for (let i = 0; i < 60 && risk.length === 0; i++) {
    assert.equal((await shift(admin, t.id, 6)).status, 200);
    assert.equal(await sweep(), 200);
    risk = await notices(agent, t.id, 'sla_at_risk');
  }
  assert.equal(risk.length, 1, 'at risk noticed');
  assert.equal((await notices(agent, t.id, 'sla_breached')).length, 0, 'not breached yet');
  // The client never hears about SLA marks.
  assert.equal((await notices(ana, t.id, 'sla_at_risk')).length, 0);
  let breached = [];
  for (let i = 0; i < 60 && breached.length === 0; i++) {
    await shift(admin, t.id, 6);
    await sweep();
    breached = await notices(admin, t.id, 'sla_breached');
  }
  assert.equal(breached.length, 1, 'breach noticed to admins');
  for (let i = 0; i < 10; i++) await sweep();
  await Promise.all([sweep(), sweep()]);
  await new Promise((r) => setTimeout(r, 800));
  assert.equal((await notices(agent, t.id, 'sla_at_risk')).length, 1);
  assert.equal((await notices(agent, t.id, 'sla_breached')).length, 1);
  assert.equal((await notices(admin, t.id, 'sla_breached')).length, 1);
  await sweep();
  assert.equal((await mails(admin, ACCOUNTS.agent, t.number, /riesgo/)).length, 1);
  assert.equal((await mails(admin, ACCOUNTS.agent, t.number, /vencido/)).length, 1);
  assert.equal((await mails(admin, ACCOUNTS.admin, t.number, /vencido/)).length, 1);
  // The sweep recorded its counts.
  const last = (await api('GET', '/api/admin/sweeps', { cookie: admin })).json.runs[0];
  const counts = JSON.parse(last.counts);
  assert.equal(typeof counts.sla_at_risk, 'number');
  assert.equal(typeof counts.mail.sent, 'number');
  assert.equal(typeof counts.mail.enqueued, 'number', 'the run re-enqueues due outbox rows');
});

test('48 h wait: one reminder halfway, then the auto-resolve notice, each once', async () => {
  const admin = await login(ACCOUNTS.admin);
  const agent = await login(ACCOUNTS.agent);
  const ana = await login(ACCOUNTS.ana);
  const t = await createTicket(ana);
  const res = await api('POST', `/api/tickets/${t.id}/messages`, {
    cookie: agent, body: { body: '¿Puedes confirmar tu versión de Outlook?', kind: 'awaiting_client' },
  });
  assert.equal(res.status, 201, res.text);
  assert.equal((await notices(ana, t.id, 'wait_reminder')).length, 0);
  let reminder = [];
  for (let i = 0; i < 40 && reminder.length === 0; i++) {
    await shift(admin, t.id, 3);
    await sweep();
    reminder = await notices(ana, t.id, 'wait_reminder');
  }
  assert.equal(reminder.length, 1, 'reminded');
  const detail = await api('GET', `/api/tickets/${t.id}`, { cookie: ana });
  assert.equal(detail.json.status, 'waiting_client', 'still waiting after the reminder');
  let resolved = [];
  for (let i = 0; i < 40 && resolved.length === 0; i++) {
    await shift(admin, t.id, 3);
    await sweep();
    resolved = await notices(ana, t.id, 'auto_resolved');
  }
  assert.equal(resolved.length, 1, 'auto-resolve noticed');
  for (let i = 0; i < 3; i++) await sweep();
  assert.equal((await notices(ana, t.id, 'wait_reminder')).length, 1);
  assert.equal((await notices(ana, t.id, 'auto_resolved')).length, 1);
  assert.equal((await api('GET', `/api/tickets/${t.id}`, { cookie: ana })).json.status, 'resolved');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await mails(admin, ACCOUNTS.ana, t.number, /Esperamos tu respuesta/)).length, 1);
  assert.equal((await mails(admin, ACCOUNTS.ana, t.number, /se dio por resuelto/)).length, 1);
});
