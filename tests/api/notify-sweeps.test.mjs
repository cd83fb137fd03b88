// Sweeps 3 and 4 of issue 11: the warranty end (P18), póliza notices (P19, P22) and overdue
// invoices (P26) — once each across repeated and concurrent runs, with counts in sweep_runs;
// and the breach reason + the queue's `sla` filter (P9).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS } from './helpers.mjs';
import { createTicket, ticketOf, message, sweep, shift, MORE, subject } from './tickets-helpers.mjs';

const unique = (s) => `${s}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

async function notices(cookie, pred) {
  const res = await api('GET', '/api/notifications', { cookie });
  assert.equal(res.status, 200, res.text);
  return res.json.notifications.filter(pred);
}

async function mailbox(admin, to) {
  const res = await api('GET', `/api/dev/mailbox?to=${encodeURIComponent(to)}`, { cookie: admin });
  assert.equal(res.status, 200, res.text);
  return res.json.messages;
}

async function manySweeps() {
  for (let i = 0; i < 10; i++) await sweep();
  await Promise.all([sweep(), sweep()]);
  await pause(600); // the drain after the runs
  await sweep();
}

const lastCounts = async (admin) =>
  JSON.parse((await api('GET', '/api/admin/sweeps', { cookie: admin })).json.runs[0].counts);

const isoDay = (d) => d.toISOString().slice(0, 10);
const daysAgo = (n) => isoDay(new Date(Date.now() - n * 86_400_000));

/** A fresh company with one invited client (notices reach invited people by e-mail too). */
async function company(admin, name) {
  let res = await api('POST', '/api/admin/companies', { cookie: admin, body: { name: unique(name) } });
  assert.equal(res.status, 201, res.text);
  const c = res.json;
  const email = `${unique('cliente')}@example.com`;
  res = await api('POST', '/api/admin/users', {
    cookie: admin, body: { email, name: 'Cliente de prueba', role: 'client', company_id: c.id },
  });
  assert.equal(res.status, 201, res.text);
  return { id: c.id, name: c.name, email };
}

async function contract(admin, companyId, starts_on, plan = 'basica') {
  const res = await api('POST', `/api/admin/companies/${companyId}/contracts`, { cookie: admin, body: { plan, starts_on } });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

test('warranty end: the ticket becomes final once, the client is told and sees it on the timeline', async () => {
  const ana = await login(ACCOUNTS.ana);
  const agent = await login(ACCOUNTS.agent);
  const admin = await login(ACCOUNTS.admin);
  const t = await createTicket(ana);
  await message(agent, t.id, 'Quedó resuelto, ¿nos confirmas?', { kind: 'resolved_confirm' });
  await sweep();
  let now = await ticketOf(ana, t.id);
  assert.equal(now.events.filter((e) => e.kind === 'warranty_ended').length, 0, 'not while the window is open');
  // Past the 5 working days (and the 48 h close).
  await shift(t.id, 24 * 14);
  await manySweeps();
  now = await ticketOf(ana, t.id);
  const ended = now.events.filter((e) => e.kind === 'warranty_ended');
  assert.equal(ended.length, 1, 'one event across repeated and concurrent runs');
  assert.equal(ended[0].actor_kind, 'sweep');
  assert.equal(now.can_reopen, false);
  assert.equal((await notices(ana, (n) => n.ticket_id === t.id && n.kind === 'warranty_ended')).length, 1);
  const mails = (await mailbox(admin, ACCOUNTS.ana)).filter((m) => m.subject.includes(t.number) && /garantía/.test(m.subject));
  assert.equal(mails.length, 1, 'one e-mail');
  assert.match(mails[0].text, /definitivo/);
  // Staff reopen it and resolve again: a new window, declared final again when it ends.
  const reopened = await api('POST', `/api/tickets/${t.id}/reopen`, { cookie: agent });
  assert.equal(reopened.status, 200, reopened.text);
  await message(agent, t.id, 'Corregido otra vez.', { kind: 'resolved_confirm' });
  await shift(t.id, 24 * 14);
  await sweep();
  now = await ticketOf(agent, t.id);
  assert.equal(now.events.filter((e) => e.kind === 'warranty_ended').length, 2, 'once per window');
});

test('pólizas: 30 days before the expiry date, 80 % of the hours, expired by date or by hours — each once', async () => {
  const admin = await login(ACCOUNTS.admin);
  // Expires in 20 days (a year after its start).
  const soon = await company(admin, 'Por vencer');
  const k1 = await contract(admin, soon.id, daysAgo(365 - 20));
  // Expired 5 days ago.
  const old = await company(admin, 'Vencida');
  await contract(admin, old.id, daysAgo(365 + 5));
  // Started a month ago; 8 of 10 hours, later all 10.
  const busy = await company(admin, 'Horas');
  const k3 = await contract(admin, busy.id, daysAgo(30));
  await sweep();
  // The póliza notices (the invitation each new client got is not one of them).
  const kinds = async (c) => (await mailbox(admin, c.email)).map((m) => m.subject).filter((s) => /póliza/i.test(s));
  assert.equal((await kinds(busy)).length, 0, 'a fresh póliza with hours left: nothing');
  let res = await api('POST', '/api/dev/contract-hours', { cookie: admin, body: { contract_id: k3.id, hours_used: 8 } });
  assert.equal(res.status, 200, res.text);
  await manySweeps();
  const soonMail = await kinds(soon);
  assert.equal(soonMail.length, 1, JSON.stringify(soonMail));
  assert.match(soonMail[0], /vence el \d{4}-\d\d-\d\d/);
  const oldMail = await kinds(old);
  assert.equal(oldMail.length, 1, JSON.stringify(oldMail));
  assert.match(oldMail[0], /venció/);
  const busyMail = await kinds(busy);
  assert.equal(busyMail.length, 1, JSON.stringify(busyMail));
  assert.match(busyMail[0], /80 %/);
  assert.equal(k1.plan ?? 'basica', 'basica');
  // Admins get them in-app too, once each.
  const adminNotes = await notices(admin, (n) => n.kind.startsWith('poliza_') && [soon, old, busy].some((c) => n.title.includes(c.name)));
  assert.deepEqual(adminNotes.map((n) => n.kind).sort(), ['poliza_expired', 'poliza_expiring', 'poliza_hours_low']);
  // All hours used: expired by hours, once.
  res = await api('POST', '/api/dev/contract-hours', { cookie: admin, body: { contract_id: k3.id, hours_used: 10 } });
  assert.equal(res.status, 200);
  await manySweeps();
  const after = await kinds(busy);
  assert.equal(after.length, 2, JSON.stringify(after));
  assert.match(after[0], /venció/);
  assert.match((await mailbox(admin, busy.email))[0].text, /10 horas/);
  assert.equal(typeof (await lastCounts(admin)).poliza_expired, 'number');
});

test('an overdue invoice tells the company\'s clients and the admins once; the company has debts', async () => {
  const admin = await login(ACCOUNTS.admin);
  const c = await company(admin, 'Deudora');
  // Delivered 8 days ago → due 2 days ago → overdue.
  let res = await api('POST', '/api/dev/invoices', { cookie: admin, body: { company_id: c.id, amount_cents: 348000, delivered_on: daysAgo(8) } });
  assert.equal(res.status, 201, res.text);
  // Not yet due: nothing.
  res = await api('POST', '/api/dev/invoices', { cookie: admin, body: { company_id: c.id, amount_cents: 1000, delivered_on: daysAgo(1) } });
  assert.equal(res.status, 201, res.text);
  await manySweeps();
  const mails = (await mailbox(admin, c.email)).filter((m) => /Factura vencida/.test(m.subject));
  assert.equal(mails.length, 1, JSON.stringify(mails.map((m) => m.subject)));
  assert.match(mails[0].subject, /\$3,480\.00 MXN/);
  assert.match(mails[0].text, /adeudo/);
  const inApp = await notices(admin, (n) => n.kind === 'invoice_overdue' && n.title.includes(c.name));
  assert.equal(inApp.length, 1);
  const detail = await api('GET', `/api/admin/companies/${c.id}`, { cookie: admin });
  assert.equal(detail.status, 200);
  assert.equal(detail.json.has_overdue_invoice, true, 'with debts');
  // The seeded Gamma invoice too (clients of Gamma hear it once).
  const gabriela = await login(MORE.gabriela);
  assert.equal((await notices(gabriela, (n) => n.kind === 'invoice_overdue')).length, 1);
});

test('dev billing hooks: admin only, field errors', async () => {
  const admin = await login(ACCOUNTS.admin);
  const ana = await login(ACCOUNTS.ana);
  assert.equal((await api('POST', '/api/dev/invoices', { cookie: ana, body: {} })).status, 403);
  assert.equal((await api('POST', '/api/dev/contract-hours', { body: {} })).status, 401);
  let res = await api('POST', '/api/dev/invoices', { cookie: admin, body: { company_id: 'c-alfa', amount_cents: 1, delivered_on: 'ayer' } });
  assert.equal(res.status, 422);
  assert.equal(errorOf(res).field, 'delivered_on');
  res = await api('POST', '/api/dev/contract-hours', { cookie: admin, body: { contract_id: 'nope', hours_used: 1 } });
  assert.equal(res.status, 404);
});

test('breach reason: staff record it on a breached ticket; the queue flags and filters at-risk / breached', async () => {
  const ana = await login(ACCOUNTS.ana);
  const agent = await login(ACCOUNTS.agent);
  const admin = await login(ACCOUNTS.admin);
  const t = await createTicket(ana, { subject: subject('Vencimiento') });
  // Not breached yet: 409, nothing changed.
  let res = await api('POST', `/api/tickets/${t.id}/breach-reason`, { cookie: agent, body: { reason: 'team_workload' } });
  assert.equal(res.status, 409, res.text);
  assert.equal(errorOf(res).code, 'not_breached');
  // 75 % of 48 working hours: at risk.
  await shift(t.id, 24);
  await sweep();
  let list = await api('GET', '/api/tickets?sla=at_risk&per_page=100&sort=newest', { cookie: agent });
  assert.equal(list.status, 200, list.text);
  const mine = (l) => l.json.tickets.find((x) => x.id === t.id);
  // Steps shorter than the at-risk window (the last 12 working hours), until marked.
  for (let i = 0; i < 30 && !mine(list); i++) {
    await shift(t.id, 6);
    await sweep();
    list = await api('GET', '/api/tickets?sla=at_risk&per_page=100&sort=newest', { cookie: agent });
  }
  assert.equal(mine(list)?.sla_flag, 'at_risk');
  assert.ok(list.json.tickets.every((x) => x.sla_flag === 'at_risk'));
  for (let i = 0; i < 20; i++) {
    await shift(t.id, 12);
    await sweep();
    list = await api('GET', '/api/tickets?sla=breached&per_page=100&sort=newest', { cookie: agent });
    if (mine(list)) break;
  }
  assert.equal(mine(list)?.sla_flag, 'breached');
  assert.ok(list.json.tickets.every((x) => x.sla_flag === 'breached'));
  assert.ok(!(await api('GET', '/api/tickets?sla=at_risk&per_page=100&sort=newest', { cookie: agent })).json.tickets.some((x) => x.id === t.id));
  // Bad input: 400 on the query, 422 with the field on the body, the client 403.
  res = await api('GET', '/api/tickets?sla=late', { cookie: agent });
  assert.equal(res.status, 400);
  assert.equal(errorOf(res).field, 'sla');
  res = await api('POST', `/api/tickets/${t.id}/breach-reason`, { cookie: agent, body: { reason: 'lazy' } });
  assert.equal(res.status, 422);
  assert.equal(errorOf(res).field, 'reason');
  res = await api('POST', `/api/tickets/${t.id}/breach-reason`, { cookie: agent, body: { reason: 'other' } });
  assert.equal(res.status, 422);
  assert.equal(errorOf(res).field, 'note');
  res = await api('POST', `/api/tickets/${t.id}/breach-reason`, { cookie: ana, body: { reason: 'team_workload' } });
  assert.equal(res.status, 403);
  assert.equal((await ticketOf(agent, t.id)).sla.breach_reason, undefined, 'nothing stored by refused requests');
  res = await api('POST', `/api/tickets/${t.id}/breach-reason`, { cookie: agent, body: { reason: 'team_workload', note: 'Dos ingenieros de vacaciones' } });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.sla.breach_reason.reason, 'team_workload');
  assert.equal(res.json.sla.breach_reason.label.es, 'Carga de trabajo del equipo');
  assert.equal(res.json.sla.breach_reason.note, 'Dos ingenieros de vacaciones');
  assert.equal(res.json.events.filter((e) => e.kind === 'breach_reason').length, 1);
  // The client never sees the reason.
  const seen = await ticketOf(ana, t.id);
  assert.equal(seen.sla.breach_reason, undefined);
  assert.equal(seen.sla.breach_recordable, false);
  // Admin may change it.
  res = await api('POST', `/api/tickets/${t.id}/breach-reason`, { cookie: admin, body: { reason: 'complexity' } });
  assert.equal(res.status, 200);
  assert.equal(res.json.sla.breach_reason.reason, 'complexity');
});
