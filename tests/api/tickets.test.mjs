// Tickets end to end (issue 5): every rule the API enforces, per role, and the client journey.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS } from './helpers.mjs';
import {
  MORE, SERVICES, subject, createTicket, getTicket, ticketOf, post, setStatus, message, shift,
} from './tickets-helpers.mjs';

const as = (who) => login(ACCOUNTS[who] ?? MORE[who]);
const OFFICE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-06:00$/;

test('anonymous callers get 401 on every ticket endpoint', async () => {
  const ana = await as('ana');
  const t = await createTicket(ana);
  const calls = [
    ['GET', '/api/tickets'], ['POST', '/api/tickets'], ['GET', `/api/tickets/${t.id}`],
    ['POST', `/api/tickets/${t.id}/messages`], ['POST', `/api/tickets/${t.id}/status`],
    ['POST', `/api/tickets/${t.id}/reopen`], ['POST', `/api/tickets/${t.id}/close`],
    ['POST', `/api/tickets/${t.id}/attachments`], ['GET', '/api/services'], ['GET', '/api/contract'],
    ['GET', '/api/companies'], ['GET', '/api/tickets/options'], ['GET', '/api/tickets/similar?service_id=x'],
  ];
  for (const [m, p] of calls) {
    const res = await api(m, p, m === 'POST' ? { body: {} } : {});
    assert.equal(res.status, 401, `${m} ${p}`);
    assert.equal(errorOf(res).code, 'unauthorized');
  }
});

test('services: clients see their own with eligibility and reason (P2)', async () => {
  const ana = await api('GET', '/api/services', { cookie: await as('ana') });
  assert.equal(ana.status, 200);
  assert.deepEqual(ana.json.map((s) => s.id).sort(), [SERVICES.alfaEmail, SERVICES.alfaHosting]);
  assert.ok(ana.json.every((s) => s.eligible && !s.reason));

  const beto = await api('GET', '/api/services', { cookie: await as('beto') });
  const web = beto.json.find((s) => s.id === SERVICES.betaWeb);
  const domain = beto.json.find((s) => s.id === SERVICES.betaDomain);
  assert.equal(domain.eligible, true);
  assert.equal(web.eligible, false);
  assert.equal(web.status, 'ended');
  assert.equal(web.reason, 'service_ended');
  assert.ok(web.reason_message.es && web.reason_message.en);
  assert.ok(!beto.json.some((s) => s.company_id !== 'c-beta'), 'only his company');

  // An end-of-life service with a póliza that is not current (overdue invoice) is not eligible.
  const gamma = await api('GET', '/api/services', { cookie: await as('gabriela') });
  assert.equal(gamma.json.find((s) => s.id === SERVICES.gammaSoftlik).reason, 'service_end_of_life');

  const staff = await api('GET', '/api/services?company_id=c-beta', { cookie: await as('agent') });
  assert.equal(staff.status, 200);
  assert.ok(staff.json.every((s) => s.company_id === 'c-beta'));
  const all = await api('GET', '/api/services', { cookie: await as('agent') });
  assert.ok(all.json.length >= 6);
  assert.equal((await api('GET', '/api/services?company_id=nope', { cookie: await as('agent') })).status, 404);
});

test('contract: current póliza, none, or not current with the reason (P19)', async () => {
  const ana = await api('GET', '/api/contract', { cookie: await as('ana') });
  assert.equal(ana.status, 200);
  assert.equal(ana.json.plan, 'basica');
  assert.equal(ana.json.hours_total, 10);
  assert.equal(ana.json.current, true);
  assert.match(ana.json.expires_on, /^\d{4}-\d\d-\d\d$/);

  const beto = await api('GET', '/api/contract', { cookie: await as('beto') });
  assert.equal(beto.status, 200);
  assert.equal(beto.json, null);

  const gamma = await api('GET', '/api/contract', { cookie: await as('gabriela') });
  assert.equal(gamma.json.current, false);
  assert.equal(gamma.json.reason, 'overdue_invoice');

  const staff = await api('GET', '/api/contract?company_id=c-alfa', { cookie: await as('agent') });
  assert.equal(staff.json.plan, 'basica');
  assert.equal((await api('GET', '/api/contract', { cookie: await as('agent') })).status, 400);
});

test('ticket form options: coverage by póliza, per event, refused with debts (P3, P19, P10)', async () => {
  const opts = async (who) => (await api('GET', '/api/tickets/options', { cookie: await as(who) })).json;
  const ana = await opts('ana');
  const cat = (o, c) => o.categories.find((x) => x.category === c);
  assert.equal(cat(ana, 'support_case').coverage, 'contract');
  assert.deepEqual(cat(ana, 'question').priorities, ['low', 'medium']);
  assert.equal(cat(await opts('beto'), 'support_case').coverage, 'per_event');
  const gamma = await opts('gabriela');
  assert.equal(cat(gamma, 'remote_assistance').available, false);
  assert.equal(cat(gamma, 'remote_assistance').reason, 'overdue_invoice');
  assert.equal(cat(gamma, 'incident').available, true);
  assert.deepEqual(ana.out_of_scope.map((o) => o.reason), ['development', 'training', 'third_party', 'consulting']);
  assert.equal(ana.max_attachments, 5);
});

test('companies are for staff; flagged counts for admins only', async () => {
  assert.equal((await api('GET', '/api/companies', { cookie: await as('ana') })).status, 403);
  const agent = await api('GET', '/api/companies', { cookie: await as('agent') });
  assert.equal(agent.status, 200);
  const alfa = agent.json.find((c) => c.id === 'c-alfa');
  assert.equal(alfa.contract.plan, 'basica');
  assert.equal(alfa.flagged_messages, undefined);
  const admin = await api('GET', '/api/companies', { cookie: await as('admin') });
  assert.equal(typeof admin.json.find((c) => c.id === 'c-alfa').flagged_messages, 'number');
  const gamma = admin.json.find((c) => c.id === 'c-gamma');
  assert.equal(gamma.has_overdue_invoice, true);
  assert.equal(gamma.only_own_tickets, true);
});

test('create: 201 with number, SLA target, due time in office offset, opening message and event', async () => {
  const ana = await as('ana');
  const s = subject('Sitio lento');
  const t = await createTicket(ana, {
    service_id: SERVICES.alfaHosting, subject: `  ${s}  `, priority: 'low', category: 'question',
    steps: '1. Abrir el sitio\n2. Esperar', client_info: { browser: 'Firefox 140', os: 'Linux', language: 'es-MX', time_zone: 'America/Mexico_City', screen: '1920x1080', app_version: '0.1.0', ip: '6.6.6.6' },
  });
  assert.match(t.number, /^T-\d{4}-\d{6}$/);
  assert.match(t.id, /^[0-9a-f]{32}$/);
  assert.equal(t.subject, s, 'trimmed');
  assert.equal(t.status, 'new');
  assert.equal(t.priority, 'low');
  assert.equal(t.coverage, 'free');
  assert.equal(t.target_hours, 72);
  assert.equal(t.sla.target_hours, 72);
  assert.match(t.due_at, OFFICE);
  assert.match(t.created_at, OFFICE);
  assert.ok(t.due_at > t.created_at);
  assert.equal(t.paused, null);
  assert.equal(typeof t.queue_position, 'number');
  assert.equal(t.service.id, SERVICES.alfaHosting);
  assert.equal(t.messages.length, 1);
  assert.equal(t.messages[0].kind, 'client');
  assert.equal(t.messages[0].body, 'Desde esta mañana Outlook marca error al enviar.');
  assert.equal(t.events[0].kind, 'created');
  assert.equal(t.events[0].actor.id, 'u-ana');
  assert.equal(t.client_info, undefined, 'submitter data is staff-only');
  assert.equal(t.steps, '1. Abrir el sitio\n2. Esperar');

  const staffView = await ticketOf(await as('agent'), t.id);
  assert.equal(staffView.client_info.browser, 'Firefox 140');
  assert.equal(staffView.client_info.screen, '1920x1080');
  assert.notEqual(staffView.client_info.ip, '6.6.6.6', 'the IP comes from the connection, not the body');
  assert.ok(staffView.client_info.ip);

  const byNumber = await ticketOf(ana, t.number);
  assert.equal(byNumber.id, t.id);

  const paid = await createTicket(ana, { category: 'support_case', priority: 'high' });
  assert.equal(paid.coverage, 'contract');
  assert.equal(paid.target_hours, 24);
  const perEvent = await createTicket(await as('beto'), { service_id: SERVICES.betaDomain, category: 'remote_assistance', priority: 'high' });
  assert.equal(perEvent.coverage, 'per_event');
});

test('ineligible service → 422 with reason (P2); other company service → 422', async () => {
  const beto = await as('beto');
  const res = await api('POST', '/api/tickets', { cookie: beto, body: { service_id: SERVICES.betaWeb, priority: 'medium', category: 'incident', subject: 'Mi sitio no abre', description: 'x' } });
  assert.equal(res.status, 422);
  const e = errorOf(res);
  assert.equal(e.code, 'service_ended');
  assert.equal(e.field, 'service_id');
  const other = await api('POST', '/api/tickets', { cookie: beto, body: { service_id: SERVICES.alfaEmail, priority: 'medium', category: 'incident', subject: 'x', description: 'x' } });
  assert.equal(other.status, 422);
  assert.equal(errorOf(other).field, 'service_id');
});

test('priority not allowed → 422 field priority; paid with debts → 422 field category (P3, P19)', async () => {
  const ana = await as('ana');
  const base = { service_id: SERVICES.alfaEmail, subject: 'Prioridad', description: 'x' };
  for (const [category, priority] of [['question', 'high'], ['incident', 'high'], ['support_case', 'low'], ['phone_advice', 'medium']]) {
    const res = await api('POST', '/api/tickets', { cookie: ana, body: { ...base, category, priority } });
    assert.equal(res.status, 422, `${category}/${priority}`);
    assert.equal(errorOf(res).field, 'priority');
    assert.equal(errorOf(res).code, 'priority_not_allowed');
  }
  const bad = await api('POST', '/api/tickets', { cookie: ana, body: { ...base, category: 'incident', priority: 'urgent' } });
  assert.equal(bad.status, 422);
  assert.equal(errorOf(bad).field, 'priority');
  const badCat = await api('POST', '/api/tickets', { cookie: ana, body: { ...base, category: 'chat', priority: 'low' } });
  assert.equal(errorOf(badCat).field, 'category');
  const gamma = await api('POST', '/api/tickets', { cookie: await as('gabriela'), body: { ...base, service_id: SERVICES.gammaSystem, category: 'support_case', priority: 'high' } });
  assert.equal(gamma.status, 422);
  assert.equal(errorOf(gamma).code, 'overdue_invoice');
  assert.equal(errorOf(gamma).field, 'category');
});

test('bad subject or description → 422 with field; missing field → 400 with field', async () => {
  const ana = await as('ana');
  const base = { service_id: SERVICES.alfaEmail, priority: 'medium', category: 'incident', description: 'x' };
  const cases = [
    [{ subject: '' }, 'subject', 'required'],
    [{ subject: '    ' }, 'subject', 'required'],
    [{ subject: 'a'.repeat(10_000) }, 'subject', 'too_long'],
    [{ subject: 'Hola\u0000mundo' }, 'subject', 'invalid_characters'],
    [{ subject: 'Hola\u001bmundo' }, 'subject', 'invalid_characters'],
    [{ subject: 'Salto\nde línea' }, 'subject', 'invalid_characters'],
    [{ subject: 'ok', description: '' }, 'description', 'required'],
    [{ subject: 'ok', description: 'x'.repeat(20_001) }, 'description', 'too_long'],
    [{ subject: 'ok', steps: 'a\u0007b' }, 'steps', 'invalid_characters'],
  ];
  for (const [fields, field, code] of cases) {
    const res = await api('POST', '/api/tickets', { cookie: ana, body: { ...base, ...fields } });
    assert.equal(res.status, 422, JSON.stringify(fields).slice(0, 60));
    assert.equal(errorOf(res).field, field);
    assert.equal(errorOf(res).code, code);
  }
  const missing = await api('POST', '/api/tickets', { cookie: ana, body: { service_id: SERVICES.alfaEmail, priority: 'low', category: 'question', description: 'x' } });
  assert.equal(missing.status, 400);
  assert.equal(errorOf(missing).field, 'subject');
  const malformed = await api('POST', '/api/tickets', { cookie: ana, raw: '{"subject":', headers: { 'content-type': 'application/json' } });
  assert.equal(malformed.status, 400);
});

test('suspended user → 403; staff cannot open tickets', async () => {
  const res = await api('POST', '/api/tickets', { cookie: await as('susana'), body: { service_id: SERVICES.alfaEmail, priority: 'medium', category: 'incident', subject: 'x', description: 'x' } });
  assert.equal(res.status, 403);
  assert.equal(errorOf(res).code, 'user_suspended');
  const staff = await api('POST', '/api/tickets', { cookie: await as('agent'), body: { service_id: SERVICES.alfaEmail, priority: 'medium', category: 'incident', subject: 'x', description: 'x' } });
  assert.equal(staff.status, 403);
});

test('idempotent create: the same key returns the same ticket, one row, even concurrently', async () => {
  const ana = await as('ana');
  const s = subject('Doble clic');
  const key = `k-${s}`.replace(/\s/g, '_');
  const first = await createTicket(ana, { subject: s }, { 'idempotency-key': key });
  const same = { service_id: SERVICES.alfaEmail, priority: 'medium', category: 'incident', subject: s, description: 'Desde esta mañana Outlook marca error al enviar.' };
  // The same body with its keys in another order is the same request.
  const reordered = Object.fromEntries(Object.entries(same).reverse());
  const again = await api('POST', '/api/tickets', { cookie: ana, headers: { 'idempotency-key': key }, body: reordered });
  assert.equal(again.status, 201, again.text);
  assert.equal(again.json.id, first.id);
  assert.equal(again.json.number, first.number);
  assert.equal(again.headers.get('idempotency-replayed'), 'true');
  // Issue 16: the key reused with another body is refused, not answered with the old ticket.
  const other = await api('POST', '/api/tickets', { cookie: ana, headers: { 'idempotency-key': key }, body: { ...same, description: 'Otra cosa' } });
  assert.equal(other.status, 422, other.text);
  assert.equal(errorOf(other).code, 'idempotency_key_reused');
  assert.equal(errorOf(other).field, 'Idempotency-Key');

  const key2 = `${key}-b`;
  const burst = await Promise.all(Array.from({ length: 8 }, () => api('POST', '/api/tickets', {
    cookie: ana, headers: { 'idempotency-key': key2 },
    body: { service_id: SERVICES.alfaEmail, priority: 'medium', category: 'incident', subject: `${s} b`, description: 'x' },
  })));
  assert.ok(burst.every((r) => r.status === 201), burst.map((r) => r.status).join());
  assert.equal(new Set(burst.map((r) => r.json.id)).size, 1);

  const list = await api('GET', `/api/tickets?q=${encodeURIComponent(s)}&per_page=100`, { cookie: ana });
  assert.equal(list.json.tickets.length, 2, 'one row per key');
  const bad = await api('POST', '/api/tickets', { cookie: ana, headers: { 'idempotency-key': 'a b' }, body: {} });
  assert.equal(bad.status, 400);
  assert.equal(errorOf(bad).field, 'Idempotency-Key');
});

test('a client of another company gets 404 for reading, replying, attaching, acting', async () => {
  const t = await createTicket(await as('ana'));
  const beto = await as('beto');
  assert.equal((await getTicket(beto, t.id)).status, 404);
  assert.equal((await getTicket(beto, t.number)).status, 404);
  assert.equal((await post(beto, t.id, 'messages', { body: 'hola' })).status, 404);
  assert.equal((await post(beto, t.id, 'reopen')).status, 404);
  assert.equal((await post(beto, t.id, 'close')).status, 404);
  assert.equal((await post(beto, t.id, 'status', { status: 'closed' })).status, 404);
  const form = new FormData();
  form.append('file', new Blob([Buffer.from('89504e470d0a1a0a00000000', 'hex')], { type: 'image/png' }), 'a.png');
  const att = await fetch(`${process.env.BASE_URL ?? 'http://127.0.0.1:8788'}/api/tickets/${t.id}/attachments`, { method: 'POST', headers: { cookie: beto }, body: form });
  assert.equal(att.status, 404);
  const notFound = await getTicket(beto, 'ffffffffffffffffffffffffffffffff');
  assert.deepEqual(notFound.json, (await getTicket(beto, t.id)).json, 'same answer as a missing ticket');
  const list = await api('GET', '/api/tickets?per_page=100', { cookie: beto });
  assert.ok(list.json.tickets.every((x) => x.company.id === 'c-beta'));
  // Same company: a second Alfa client sees it.
  assert.equal((await getTicket(await as('carlos'), t.id)).status, 200);
});

test('only_own_tickets: a Gamma client sees only their own tickets', async () => {
  const mine = await createTicket(await as('gabriela'), { service_id: SERVICES.gammaSystem });
  const gustavo = await as('gustavo');
  assert.equal((await getTicket(gustavo, mine.id)).status, 404);
  const list = await api('GET', '/api/tickets?per_page=100', { cookie: gustavo });
  assert.ok(!list.json.tickets.some((x) => x.id === mine.id));
  assert.equal((await getTicket(await as('gabriela'), mine.id)).status, 200);
});

test('clients cannot post internal notes, staff-only messages, or change status → 403', async () => {
  const ana = await as('ana');
  const t = await createTicket(ana);
  const note = await post(ana, t.id, 'messages', { body: 'nota', internal: true });
  assert.equal(note.status, 403);
  assert.equal(errorOf(note).code, 'staff_only');
  for (const kind of ['awaiting_client', 'resolved_confirm']) {
    assert.equal((await post(ana, t.id, 'messages', { body: 'x', kind })).status, 403, kind);
  }
  for (const status of ['resolved', 'closed', 'open']) {
    assert.equal((await post(ana, t.id, 'status', { status })).status, 403, status);
  }
  for (const what of ['assign', 'merge', 'out-of-scope']) {
    assert.equal((await post(ana, t.id, what, { into: t.id, reason: 'training' })).status, 403, what);
  }
  const bad = await post(ana, t.id, 'messages', { body: '' });
  assert.equal(bad.status, 422);
  assert.equal(errorOf(bad).field, 'body');
  const badKind = await post(await as('agent'), t.id, 'messages', { body: 'x', kind: 'shout' });
  assert.equal(errorOf(badKind).field, 'kind');
});

test('internal notes and their content never reach clients', async () => {
  const ana = await as('ana');
  const agent = await as('agent');
  const t = await createTicket(ana);
  await message(agent, t.id, 'NOTA-SECRETA: el cliente debe 3 facturas', { internal: true });
  const forAna = await getTicket(ana, t.id);
  assert.ok(!forAna.text.includes('NOTA-SECRETA'));
  assert.ok(forAna.json.messages.every((m) => !m.internal));
  const forStaff = await ticketOf(agent, t.id);
  const note = forStaff.messages.find((m) => m.internal);
  assert.equal(note.kind, 'note');
  assert.equal(forStaff.status, 'new', 'a note does not change the status');
});

test('illegal transition → 409 with the code; unknown status → 422', async () => {
  const agent = await as('agent');
  const t = await createTicket(await as('ana'));
  await setStatus(agent, t.id, 'closed');
  const res = await post(agent, t.id, 'status', { status: 'waiting_client' });
  assert.equal(res.status, 409);
  assert.equal(errorOf(res).code, 'invalid_transition');
  const toNew = await post(agent, t.id, 'status', { status: 'new' });
  assert.equal(toNew.status, 409);
  const again = await post(agent, t.id, 'status', { status: 'closed' });
  assert.equal(again.status, 409);
  const reply = await post(await as('ana'), t.id, 'messages', { body: 'sigue fallando' });
  assert.equal(reply.status, 409);
  assert.equal(errorOf(reply).code, 'ticket_closed');
  const bogus = await post(agent, t.id, 'status', { status: 'done' });
  assert.equal(bogus.status, 422);
  assert.equal(errorOf(bogus).field, 'status');
  const confirm = await post(await as('ana'), (await createTicket(await as('ana'))).id, 'close');
  assert.equal(confirm.status, 409, 'a client confirms only a resolved ticket');
});

test('journey: create → awaiting client → client reply → resolve → reopen → resolve → close', async () => {
  const ana = await as('ana');
  const agent = await as('agent');
  const t = await createTicket(ana, { subject: subject('Recorrido') });

  const queue = await api('GET', '/api/tickets?status=new&per_page=100', { cookie: agent });
  const inQueue = queue.json.tickets.find((x) => x.id === t.id);
  assert.ok(inQueue, 'the agent sees it in the queue');
  assert.equal(inQueue.queue_position, t.queue_position);

  await message(agent, t.id, '¿Nos compartes una captura del error?', { kind: 'awaiting_client' });
  let now = await ticketOf(ana, t.id);
  assert.equal(now.status, 'waiting_client');
  assert.equal(now.assignee.id, 'u-agente', 'the first answer takes the ticket');
  assert.match(now.auto_close_at, OFFICE);
  assert.equal(now.paused.reason, 'waiting_client');
  assert.equal(now.due_at, null, 'no target runs while staff has answered');
  assert.equal(now.queue_position, null);

  await message(ana, t.id, 'Aquí va la captura.');
  now = await ticketOf(ana, t.id);
  assert.equal(now.status, 'open');
  assert.equal(now.auto_close_at, null, 'the reply cancels the auto-close');
  assert.equal(now.paused, null);
  assert.match(now.due_at, OFFICE, 'a new response target runs');

  await message(agent, t.id, 'Listo, ya quedó. ¿Nos confirmas?', { kind: 'resolved_confirm' });
  now = await ticketOf(ana, t.id);
  assert.equal(now.status, 'resolved');
  assert.match(now.reopen_until, OFFICE);
  assert.match(now.auto_close_at, OFFICE);
  assert.equal(now.can_reopen, true);

  const reopened = await post(ana, t.id, 'reopen');
  assert.equal(reopened.status, 200, reopened.text);
  assert.equal(reopened.json.status, 'open');
  assert.equal(reopened.json.reopen_until, null);

  await setStatus(agent, t.id, 'resolved');
  const closed = await post(ana, t.id, 'close');
  assert.equal(closed.status, 200);
  assert.equal(closed.json.status, 'closed');
  assert.match(closed.json.reopen_until, OFFICE, 'the warranty still shows after closing');

  const statuses = closed.json.events.filter((e) => e.kind === 'status').map((e) => `${e.data.from}>${e.data.to}`);
  assert.deepEqual(statuses, ['new>waiting_client', 'waiting_client>open', 'open>resolved', 'resolved>open', 'open>resolved', 'resolved>closed']);
  for (const e of closed.json.events) {
    assert.ok(e.actor && e.actor_kind, 'who');
    assert.match(e.created_at, OFFICE, 'when');
  }
  const kinds = closed.json.messages.map((m) => m.kind);
  assert.deepEqual(kinds, ['client', 'awaiting_client', 'client', 'resolved_confirm']);
  assert.equal(closed.json.sla.missed_targets, 0);
});

test('reopen after the warranty window → 409 warranty_expired; a reply too', async () => {
  const ana = await as('ana');
  const t = await createTicket(ana);
  await setStatus(await as('agent'), t.id, 'resolved');
  await shift(t.id, 24 * 30);
  const seen = await ticketOf(ana, t.id);
  assert.equal(seen.can_reopen, false);
  const res = await post(ana, t.id, 'reopen');
  assert.equal(res.status, 409);
  assert.equal(errorOf(res).code, 'warranty_expired');
  const reply = await post(ana, t.id, 'messages', { body: 'sigue igual' });
  assert.equal(reply.status, 409);
  assert.equal(errorOf(reply).code, 'warranty_expired');
  // Staff may still reopen; a new ticket can be linked to the old one.
  const linked = await createTicket(ana, { linked_to: t.number });
  assert.equal(linked.linked_to.id, t.id);
  const unlinked = await api('POST', '/api/tickets', { cookie: await as('beto'), body: { service_id: SERVICES.betaDomain, priority: 'low', category: 'question', subject: 'x', description: 'x', linked_to: t.id } });
  assert.equal(unlinked.status, 422);
  assert.equal(errorOf(unlinked).field, 'linked_to');
  assert.equal((await post(await as('agent'), t.id, 'reopen')).status, 200);
});

test('waiting on a third party or a release pauses the clock with the reason (P9)', async () => {
  const agent = await as('agent');
  const ana = await as('ana');
  const t = await createTicket(ana);
  const paused = await setStatus(agent, t.id, 'waiting_third_party', 'Esperamos al registrador del dominio');
  assert.equal(paused.paused.reason, 'waiting_third_party');
  assert.match(paused.paused.since, OFFICE);
  assert.ok(paused.paused.label.es);
  assert.equal(paused.due_at, null);
  const ev = paused.events.find((e) => e.kind === 'status');
  assert.equal(ev.data.reason, 'Esperamos al registrador del dominio');
  const list = await api('GET', `/api/tickets?status=waiting_third_party&per_page=100`, { cookie: ana });
  assert.equal(list.json.tickets.find((x) => x.id === t.id).paused.reason, 'waiting_third_party');
  const release = await setStatus(agent, t.id, 'waiting_release');
  assert.equal(release.paused.reason, 'waiting_release');
  const resumed = await setStatus(agent, t.id, 'open');
  assert.equal(resumed.paused, null);
  assert.match(resumed.due_at, OFFICE);
});

test('50 replies posted concurrently are all stored, in order', async () => {
  const ana = await as('ana');
  const t = await createTicket(ana);
  const bodies = Array.from({ length: 50 }, (_, i) => `respuesta ${i}`);
  const results = await Promise.all(bodies.map((body) => post(ana, t.id, 'messages', { body })));
  assert.deepEqual(results.map((r) => r.status), bodies.map(() => 201), results.find((r) => r.status !== 201)?.text);
  const bySeq = results.map((r) => r.json).sort((a, b) => a.seq - b.seq).map((m) => m.body);
  const detail = await ticketOf(ana, t.id);
  const stored = detail.messages.slice(1).map((m) => m.body);
  assert.equal(stored.length, 50);
  assert.deepEqual([...stored].sort(), [...bodies].sort(), 'all 50, none twice');
  assert.deepEqual(stored, bySeq, 'listed in the order the server accepted them');
  const seqs = detail.messages.map((m) => m.seq);
  assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]));
  const times = detail.messages.map((m) => m.created_at);
  assert.ok(times.every((s, i) => i === 0 || s >= times[i - 1]));
});

test('message seq counts within the ticket: other companies\' activity does not show (issue 16)', async () => {
  const ana = await as('ana');
  const beto = await as('beto');
  const mine = await createTicket(ana);
  const first = await ticketOf(ana, mine.id);
  assert.deepEqual(first.messages.map((m) => m.seq), [1]);
  // Another company writes in between.
  const theirs = await createTicket(beto, { service_id: SERVICES.betaDomain });
  for (const body of ['uno', 'dos', 'tres']) assert.equal((await post(beto, theirs.id, 'messages', { body })).status, 201);
  const reply = await post(ana, mine.id, 'messages', { body: 'sigo sin correo' });
  assert.equal(reply.status, 201, reply.text);
  assert.equal(reply.json.seq, 2, 'the next number of this ticket, whatever happened elsewhere');
  assert.deepEqual((await ticketOf(ana, mine.id)).messages.map((m) => m.seq), [1, 2]);
});

test('assign: take a new ticket (opens it), assign to someone, unknown staff → 422', async () => {
  const agent = await as('agent');
  const t = await createTicket(await as('ana'));
  const taken = await post(agent, t.id, 'assign', {});
  assert.equal(taken.status, 200, taken.text);
  assert.equal(taken.json.assignee.id, 'u-agente');
  assert.equal(taken.json.status, 'open');
  const toAdmin = await post(agent, t.id, 'assign', { assignee_id: 'u-admin' });
  assert.equal(toAdmin.json.assignee.id, 'u-admin');
  const bad = await post(agent, t.id, 'assign', { assignee_id: 'u-ana' });
  assert.equal(bad.status, 422);
  assert.equal(errorOf(bad).field, 'assignee_id');
  const events = toAdmin.json.events.filter((e) => e.kind === 'assigned');
  assert.deepEqual(events.map((e) => e.data.assignee.id), ['u-agente', 'u-admin']);
  const mine = await api('GET', '/api/tickets?assignee=u-admin&per_page=100', { cookie: agent });
  assert.ok(mine.json.tickets.some((x) => x.id === t.id));
});

test('staff list: whom a ticket can be assigned to; staff only', async () => {
  const list = await api('GET', '/api/staff', { cookie: await as('agent') });
  assert.equal(list.status, 200, list.text);
  const ids = list.json.map((u) => u.id);
  assert.ok(ids.includes('u-agente') && ids.includes('u-admin'), ids.join());
  assert.ok(list.json.every((u) => ['agent', 'admin'].includes(u.role) && u.name), JSON.stringify(list.json));
  assert.ok(!ids.includes('u-ana'), 'clients are never listed');
  assert.equal((await api('GET', '/api/staff', { cookie: await as('ana') })).status, 403);
  assert.equal((await api('GET', '/api/staff')).status, 401);
});

test('FIFO: arrival order and place in line (P8)', async () => {
  const ana = await as('ana');
  const a = await createTicket(ana);
  const b = await createTicket(ana);
  assert.ok(b.queue_position > a.queue_position);
  assert.ok(b.number > a.number);
  const list = await api('GET', '/api/tickets?status=new,open&per_page=100&page=1', { cookie: await as('agent') });
  const numbers = list.json.tickets.map((x) => x.number);
  assert.deepEqual(numbers, [...numbers].sort(), 'arrival order');
  const positions = list.json.tickets.map((x) => x.queue_position);
  assert.deepEqual(positions, positions.map((_, i) => i + 1), 'the first page of the line is 1..n');
  await setStatus(await as('agent'), a.id, 'resolved');
  const after = await ticketOf(ana, b.id);
  assert.equal(after.queue_position, b.queue_position - 1, 'moves up when one ahead is served');
  assert.equal((await ticketOf(ana, a.id)).queue_position, null);
});

test('list filters, search, paging and bad parameters', async () => {
  const agent = await as('agent');
  const t = await createTicket(await as('ana'), { subject: subject('Búsqueda única zeta') });
  const byQ = await api('GET', `/api/tickets?q=${encodeURIComponent('única zeta')}`, { cookie: agent });
  assert.ok(byQ.json.tickets.some((x) => x.id === t.id));
  const byNumber = await api('GET', `/api/tickets?q=${t.number}`, { cookie: agent });
  assert.equal(byNumber.json.tickets[0].id, t.id);
  const wild = await api('GET', `/api/tickets?q=${encodeURIComponent('%')}`, { cookie: agent });
  assert.equal(wild.status, 200);
  const filtered = await api('GET', `/api/tickets?priority=medium&company_id=c-alfa&service_id=${SERVICES.alfaEmail}&breached=false&per_page=5`, { cookie: agent });
  assert.equal(filtered.status, 200);
  assert.ok(filtered.json.tickets.length <= 5);
  assert.ok(filtered.json.tickets.every((x) => x.priority === 'medium' && x.company.id === 'c-alfa' && x.service.id === SERVICES.alfaEmail && !x.breached));
  assert.ok(filtered.json.total >= filtered.json.tickets.length);
  const page2 = await api('GET', '/api/tickets?per_page=2&page=2', { cookie: agent });
  const page1 = await api('GET', '/api/tickets?per_page=2&page=1', { cookie: agent });
  assert.notEqual(page1.json.tickets[0].id, page2.json.tickets[0].id);
  const newest = await api('GET', '/api/tickets?sort=newest&per_page=1', { cookie: agent });
  assert.ok(newest.json.tickets[0].number >= t.number);
  const breached = await api('GET', '/api/tickets?breached=true', { cookie: agent });
  assert.ok(breached.json.tickets.every((x) => x.breached));
  const active = await api('GET', '/api/tickets?status=active&per_page=100', { cookie: agent });
  assert.ok(active.json.tickets.every((x) => !['resolved', 'closed'].includes(x.status)));
  for (const [q, field] of [['page=0', 'page'], ['page=x', 'page'], ['per_page=500', 'per_page'], ['status=bogus', 'status'], ['priority=urgent', 'priority'], ['breached=maybe', 'breached'], ['sort=random', 'sort']]) {
    const res = await api('GET', `/api/tickets?${q}`, { cookie: agent });
    assert.equal(res.status, 400, q);
    assert.equal(errorOf(res).field, field, q);
  }
});

test('merge a duplicate: messages move, the duplicate closes and points to the survivor (P12)', async () => {
  const ana = await as('ana');
  const agent = await as('agent');
  const keep = await createTicket(ana, { subject: subject('Correo rebota') });
  const dup = await createTicket(ana, { subject: subject('Correo rebota otra vez'), description: 'DESCRIPCION-DUPLICADO' });
  const res = await post(agent, dup.id, 'merge', { into: keep.number });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.status, 'closed');
  assert.deepEqual(res.json.merged_into, { id: keep.id, number: keep.number });
  assert.ok(res.json.messages.every((m) => m.kind === 'system'), 'only the pointer stays');
  const survivor = await ticketOf(ana, keep.id);
  assert.ok(survivor.messages.some((m) => m.body === 'DESCRIPCION-DUPLICADO'));
  assert.ok(survivor.events.some((e) => e.kind === 'merged_from' && e.data.ticket.id === dup.id));
  assert.ok(res.json.events.some((e) => e.kind === 'merged_into'));
  const twice = await post(agent, dup.id, 'merge', { into: keep.id });
  assert.equal(twice.status, 409);
  const self = await post(agent, keep.id, 'merge', { into: keep.id });
  assert.equal(errorOf(self).field, 'into');
  const other = await createTicket(await as('beto'), { service_id: SERVICES.betaDomain });
  const cross = await post(agent, other.id, 'merge', { into: keep.id });
  assert.equal(cross.status, 422);
  assert.equal(errorOf(cross).code, 'different_company');
});

test('out of scope closes with the referral message of the reason (P10)', async () => {
  const agent = await as('agent');
  const ana = await as('ana');
  const t = await createTicket(ana, { subject: subject('Quiero un módulo nuevo') });
  const bad = await post(agent, t.id, 'out-of-scope', { reason: 'laziness' });
  assert.equal(bad.status, 422);
  assert.equal(errorOf(bad).field, 'reason');
  const res = await post(agent, t.id, 'out-of-scope', { reason: 'development' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.status, 'closed');
  const seen = await ticketOf(ana, t.id);
  const referral = seen.messages.at(-1);
  assert.equal(referral.kind, 'system');
  assert.match(referral.body, /Fábrica de Software/);
  assert.match(referral.body, /Software Factory/);
  assert.ok(seen.events.some((e) => e.kind === 'out_of_scope' && e.data.reason === 'development'));
  assert.equal(seen.can_reopen, false, 'no warranty without a resolution');
  const again = await post(agent, t.id, 'out-of-scope', { reason: 'training' });
  assert.equal(again.status, 409);
});

test('flag an abusive client message: the client is warned, admins see the count (P27)', async () => {
  const ana = await as('ana');
  const agent = await as('agent');
  const admin = await as('admin');
  const t = await createTicket(ana);
  const rude = await message(ana, t.id, 'Son unos inútiles');
  const before = (await api('GET', '/api/admin/flags', { cookie: admin })).json.find((f) => f.user.id === 'u-ana')?.flagged_messages ?? 0;
  assert.equal((await post(ana, t.id, `messages/${rude.id}/flag`)).status, 403);
  const res = await post(agent, t.id, `messages/${rude.id}/flag`);
  assert.equal(res.status, 200, res.text);
  const again = await post(agent, t.id, `messages/${rude.id}/flag`);
  assert.equal(again.status, 200, 'idempotent');
  const seen = await ticketOf(ana, t.id);
  assert.equal(seen.messages.find((m) => m.id === rude.id).flagged, true);
  assert.equal(seen.messages.filter((m) => m.kind === 'system').length, 1, 'one warning');
  assert.match(seen.messages.at(-1).body, /respetuoso/);
  assert.equal(seen.events.filter((e) => e.kind === 'message_flagged').length, 1);
  const flags = await api('GET', '/api/admin/flags', { cookie: admin });
  assert.equal(flags.json.find((f) => f.user.id === 'u-ana').flagged_messages, before + 1);
  assert.equal((await api('GET', '/api/admin/flags', { cookie: agent })).status, 403);
  const system = seen.messages.find((m) => m.kind === 'system');
  const notClient = await post(agent, t.id, `messages/${system.id}/flag`);
  assert.equal(notClient.status, 422);
  assert.equal((await post(agent, t.id, 'messages/nope/flag')).status, 404);
});

test('similar open ticket warning on the same service (P12)', async () => {
  const ana = await as('ana');
  const s = subject('Impresora fiscal no imprime');
  const t = await createTicket(ana, { subject: s, service_id: SERVICES.alfaHosting });
  const q = (cookie, service, subj) => api('GET', `/api/tickets/similar?service_id=${service}&subject=${encodeURIComponent(subj)}`, { cookie });
  const hit = await q(ana, SERVICES.alfaHosting, 'la impresora fiscal no imprime nada');
  assert.equal(hit.status, 200);
  assert.ok(hit.json.tickets.some((x) => x.id === t.id));
  const otherService = await q(ana, SERVICES.alfaEmail, 'la impresora fiscal no imprime nada');
  assert.ok(!otherService.json.tickets.some((x) => x.id === t.id));
  const unrelated = await q(ana, SERVICES.alfaHosting, 'certificado SSL vencido');
  assert.ok(!unrelated.json.tickets.some((x) => x.id === t.id));
  const beto = await q(await as('beto'), SERVICES.alfaHosting, 'impresora fiscal no imprime');
  assert.deepEqual(beto.json.tickets, [], 'never another company');
  assert.equal((await api('GET', '/api/tickets/similar', { cookie: ana })).status, 400);
});

test('the OpenAPI document lists the ticket endpoints', async () => {
  const doc = (await api('GET', '/api/openapi.json')).json;
  for (const p of ['/api/tickets', '/api/tickets/{id}', '/api/tickets/{id}/messages', '/api/tickets/{id}/attachments', '/api/attachments/{id}', '/api/tickets/{id}/status', '/api/tickets/{id}/reopen', '/api/tickets/{id}/close', '/api/services', '/api/contract', '/api/companies', '/api/tickets/{id}/merge']) {
    assert.ok(doc.paths[p], p);
  }
  assert.ok(doc.components.schemas.TicketDetail);
});
