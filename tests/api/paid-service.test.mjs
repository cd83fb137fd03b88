// Paid service (issue 13; P15, P18–P26) through the public API against `wrangler dev`:
// quotes and estimates the client authorizes, no work before that, whole hours through an
// append-only ledger that never overdraws, the remote checklist, sealed credentials that only
// staff reveal and that are erased on resolution, invoices due in 6 days and "with debts".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, login, errorOf, ACCOUNTS, BASE, cookieOf, expectJson, invitationToken } from './helpers.mjs';

const admin = () => login(ACCOUNTS.admin);
const agent = () => login(ACCOUNTS.agent);
const uniq = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const GOOD = 'caballo-bateria-grapa-9';
const day = (offset = 0) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const ok = expectJson;
const tokenFor = invitationToken;

/** A fresh company with an active service, optionally a póliza, and one activated client. */
async function freshCompany({ plan, starts_on } = {}) {
  const cookie = await admin();
  const company = await ok(await api('POST', '/api/admin/companies', { cookie, body: { name: `Pagos ${uniq()}` } }), 201);
  const service = await ok(await api('POST', `/api/admin/companies/${company.id}/services`, { cookie, body: { kind: 'email', name: 'Correo' } }), 201);
  let contract = null;
  if (plan) {
    contract = await ok(await api('POST', `/api/admin/companies/${company.id}/contracts`, { cookie, body: { plan, starts_on: starts_on ?? day(-1) } }), 201);
  }
  const email = `c${uniq()}@pagos.mx`;
  await ok(await api('POST', '/api/admin/users', { cookie, body: { email, name: 'Clienta Pagos', role: 'client', company_id: company.id } }), 201);
  const act = await api('POST', '/api/auth/activate', { body: { token: await tokenFor(email), password: GOOD } });
  assert.equal(act.status, 200, act.text);
  const client = cookieOf(act) ?? (await login(email));
  return { company, service, contract, client, email };
}

async function paidTicket(client, service, category = 'support_case') {
  return ok(await api('POST', '/api/tickets', {
    cookie: client,
    body: { service_id: service.id, category, priority: 'high', subject: `Servidor caído ${uniq()}`, description: 'El servidor de correo no arranca desde ayer.' },
  }), 201);
}

const post = (cookie, id, what, body) => api('POST', `/api/tickets/${id}/${what}`, { cookie, body });
const billing = async (cookie, id) => ok(await api('GET', `/api/tickets/${id}/billing`, { cookie }));
const contractOf = async (client) => ok(await api('GET', '/api/contract', { cookie: client }));
const prices = async () => (await ok(await api('GET', '/api/price-list', { cookie: await agent() }))).items;

async function authorizedEstimate(client, ticket, hours) {
  const offer = await ok(await post(await agent(), ticket.id, 'estimates', { hours }), 201);
  await ok(await post(client, ticket.id, 'authorizations', { offer_id: offer.id, decision: 'accept', accept_terms: true }));
  return offer;
}

test('póliza: estimate within the remaining hours, authorized in the ticket; time in whole hours through the ledger', async () => {
  const { service, client, contract } = await freshCompany({ plan: 'basica' });
  const t = await paidTicket(client, service);
  const staff = await agent();
  // No work before authorization (P24): 409.
  let res = await post(staff, t.id, 'time', { minutes: 30, note: 'Diagnóstico' });
  assert.equal(res.status, 409, res.text);
  assert.equal(errorOf(res).code, 'not_authorized');
  // Above the remaining hours: 422 on `hours`, nothing sent.
  res = await post(staff, t.id, 'estimates', { hours: 11 });
  assert.equal(res.status, 422, res.text);
  assert.equal(errorOf(res).field, 'hours');
  assert.equal((await billing(staff, t.id)).offers.length, 0);
  for (const bad of [0, -2, 1001]) {
    res = await post(staff, t.id, 'estimates', { hours: bad });
    assert.equal(res.status, 422, `${bad}: ${res.text}`);
    assert.equal(errorOf(res).field, 'hours');
  }
  const offer = await ok(await post(staff, t.id, 'estimates', { hours: 4, note: 'Revisión y reinstalación' }), 201);
  assert.equal(offer.state, 'sent');
  assert.equal(offer.hours, 4);
  let ticket = await ok(await api('GET', `/api/tickets/${t.id}`, { cookie: client }));
  assert.equal(ticket.status, 'awaiting_authorization');
  // Still no work while it waits.
  res = await post(staff, t.id, 'time', { minutes: 30, note: 'x' });
  assert.equal(res.status, 409);
  // Terms must be ticked; staff cannot authorize for the client.
  res = await post(client, t.id, 'authorizations', { offer_id: offer.id, decision: 'accept' });
  assert.equal(res.status, 422, res.text);
  assert.equal(errorOf(res).field, 'accept_terms');
  res = await post(staff, t.id, 'authorizations', { offer_id: offer.id, decision: 'accept', accept_terms: true });
  assert.equal(res.status, 403, res.text);
  const b = await ok(await post(client, t.id, 'authorizations', { offer_id: offer.id, decision: 'accept', accept_terms: true }));
  assert.equal(b.work_allowed, true);
  assert.equal(b.authorized_hours, 4);
  assert.equal(b.offers[0].state, 'accepted');
  assert.equal(b.offers[0].decision.terms_accepted, true);
  assert.equal(b.offers[0].decision.ip, undefined, 'the client does not get the IP back');
  ticket = await ok(await api('GET', `/api/tickets/${t.id}`, { cookie: client }));
  assert.equal(ticket.status, 'open');
  // Immutable afterwards: a second decision is 409.
  res = await post(client, t.id, 'authorizations', { offer_id: offer.id, decision: 'reject' });
  assert.equal(res.status, 409, res.text);
  const staffView = await billing(staff, t.id);
  assert.ok(staffView.offers[0].decision.ip, 'staff see where the authorization came from');
  // 61 minutes → 2 whole hours (P22); bad minutes 422.
  for (const bad of [0, -1, 1441]) {
    res = await post(staff, t.id, 'time', { minutes: bad, note: 'x' });
    assert.equal(res.status, 422, res.text);
    assert.equal(errorOf(res).field, 'minutes');
  }
  const entry = await ok(await post(staff, t.id, 'time', { minutes: 61, note: 'Reinstalación del servicio' }), 201);
  assert.equal(entry.charged_hours, 2);
  const c = await contractOf(client);
  assert.equal(c.hours_used, 2);
  assert.equal(c.hours_remaining, 8);
  const ledger = await ok(await api('GET', '/api/contract/ledger', { cookie: client }));
  assert.equal(ledger.contract_id, contract.id ?? ledger.contract_id);
  assert.deepEqual(ledger.entries.map((e) => [e.kind, e.hours, e.balance_after]), [['grant', 10, 10], ['charge', -2, 8]]);
  assert.equal(ledger.entries[1].ticket_id, t.id);
  // Beyond the authorized hours: 409 estimate_exceeded (2 + 3 > 4), nothing charged.
  res = await post(staff, t.id, 'time', { minutes: 150, note: 'Más trabajo' });
  assert.equal(res.status, 409, res.text);
  assert.equal(errorOf(res).code, 'estimate_exceeded');
  assert.equal((await contractOf(client)).hours_used, 2);
  // Completing sends the summary and resolves; a póliza creates no invoice.
  const done = await ok(await post(staff, t.id, 'complete', { summary: 'Se reinstaló el servicio de correo y se probó el envío.' }));
  assert.equal(done.invoices.length, 0);
  ticket = await ok(await api('GET', `/api/tickets/${t.id}`, { cookie: client }));
  assert.equal(ticket.status, 'resolved');
  const texts = ticket.messages.map((m) => m.body).join('\n');
  assert.match(texts, /2 h cobradas/);
  // A completed ticket takes no more work until it is reopened.
  res = await post(staff, t.id, 'time', { minutes: 10, note: 'x' });
  assert.equal(res.status, 409);
  assert.equal(errorOf(res).code, 'ticket_finished');
  // Reopened inside the warranty (P18): more work charges nothing.
  await ok(await api('POST', `/api/tickets/${t.id}/reopen`, { cookie: client }));
  const free = await ok(await post(staff, t.id, 'time', { minutes: 45, note: 'Corrección en garantía' }), 201);
  assert.deepEqual([free.charged_hours, free.warranty], [0, true]);
  assert.equal((await contractOf(client)).hours_used, 2);
});

test('twenty concurrent charges never overdraw the póliza', async () => {
  const { service, client } = await freshCompany({ plan: 'basica' });
  const staff = await agent();
  const t = await paidTicket(client, service);
  await authorizedEstimate(client, t, 10);
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    post(staff, t.id, 'time', { minutes: 60, note: `Sesión ${i}` })));
  const codes = results.map((r) => r.status);
  assert.equal(codes.filter((c) => c === 201).length, 10, codes.join(','));
  assert.ok(codes.every((c) => c === 201 || c === 409), codes.join(','));
  const c = await contractOf(client);
  assert.deepEqual([c.hours_used, c.hours_remaining], [10, 0]);
  const ledger = await ok(await api('GET', '/api/contract/ledger', { cookie: client }));
  assert.equal(ledger.entries.filter((e) => e.kind === 'charge').length, 10);
  assert.ok(ledger.entries.every((e) => e.balance_after >= 0));
  assert.equal(ledger.entries.at(-1).balance_after, 0);
  const b = await billing(staff, t.id);
  assert.equal(b.time.length, 10, 'no time entry without its charge');
  assert.equal(b.charged_hours, 10);
  // Used up: the póliza is no longer current (P22), and says why.
  assert.equal(c.current, false);
  assert.equal(c.reason, 'contract_hours_used_up');
});

test('per event: a quote at standard prices, authorized, completed, invoiced due in 6 days; paying lifts "with debts"', async () => {
  const { service, client, company } = await freshCompany();
  const staff = await agent();
  const list = await prices();
  const [a, b] = list;
  const t = await paidTicket(client, service);
  assert.equal(t.coverage, 'per_event');
  // Bad quotes: 422 with the field, nothing sent.
  for (const [body, field] of [
    [{ items: [], payment_terms: 'Contado' }, 'items'],
    [{ items: [{ price_item_id: 'nope', quantity: 1 }], payment_terms: 'Contado' }, 'items'],
    [{ items: [{ price_item_id: a.id, quantity: 0 }], payment_terms: 'Contado' }, 'quantity'],
    [{ items: [{ price_item_id: a.id, quantity: 1 }], payment_terms: ' ' }, 'payment_terms'],
  ]) {
    const res = await post(staff, t.id, 'quotes', body);
    assert.equal(res.status, 422, res.text);
    assert.equal(errorOf(res).field, field);
  }
  // Clients do not quote.
  assert.equal((await post(client, t.id, 'quotes', { items: [{ price_item_id: a.id, quantity: 1 }], payment_terms: 'x' })).status, 403);
  const first = await ok(await post(staff, t.id, 'quotes', { items: [{ price_item_id: a.id, quantity: 1 }], payment_terms: 'Contado' }), 201);
  const quote = await ok(await post(staff, t.id, 'quotes', {
    items: [{ price_item_id: a.id, quantity: 2 }, { price_item_id: b.id, quantity: 1 }],
    payment_terms: 'Transferencia a 6 días', invoicing_data: 'RFC XAXX010101000, uso G03',
  }), 201);
  // Without a póliza: the standard column (P20).
  assert.equal(quote.total_cents, 2 * a.standard_cents + b.standard_cents);
  assert.deepEqual(quote.lines.map((l) => l.unit_cents), [a.standard_cents, b.standard_cents]);
  // The new quote superseded the first: deciding on the old one is 409.
  let view = await billing(client, t.id);
  assert.deepEqual(view.offers.map((o) => o.state), ['sent', 'superseded']);
  let res = await post(client, t.id, 'authorizations', { offer_id: first.id, decision: 'accept', accept_terms: true });
  assert.equal(res.status, 409, res.text);
  await ok(await post(client, t.id, 'authorizations', { offer_id: quote.id, decision: 'accept', accept_terms: true }));
  // A price change later does not touch the quote.
  view = await ok(await post(staff, t.id, 'complete', { summary: 'Se configuró el servidor y se entregó funcionando.' }));
  assert.equal(view.invoices.length, 1);
  const inv = view.invoices[0];
  assert.equal(inv.amount_cents, quote.total_cents);
  const delivered = inv.delivered_on;
  const due = new Date(Date.parse(delivered + 'T00:00:00Z') + 6 * 86400000).toISOString().slice(0, 10);
  assert.equal(inv.due_on, due);
  assert.equal(inv.status, 'pending');
  let mine = await ok(await api('GET', '/api/invoices', { cookie: client }));
  assert.equal(mine.invoices.length, 1);
  assert.equal(mine.with_debts, false);
  // Another company's client sees none of it.
  const beto = await login(ACCOUNTS.beto);
  assert.ok(!(await ok(await api('GET', '/api/invoices', { cookie: beto }))).invoices.some((i) => i.id === inv.id));
  assert.equal((await api('GET', `/api/tickets/${t.id}/billing`, { cookie: beto })).status, 404);
  assert.equal((await api('GET', `/api/tickets/${t.id}/billing`)).status, 401);
  // Admin: list, and pay; agents and clients may not.
  const adm = await admin();
  const unpaid = await ok(await api('GET', '/api/admin/invoices?status=unpaid', { cookie: adm }));
  assert.ok(unpaid.invoices.some((i) => i.id === inv.id));
  assert.equal((await api('GET', '/api/admin/invoices', { cookie: staff })).status, 403);
  assert.equal((await api('POST', `/api/admin/invoices/${inv.id}/paid`, { cookie: client, body: { reference: 'x' } })).status, 403);
  res = await api('POST', `/api/admin/invoices/${inv.id}/paid`, { cookie: adm, body: { reference: ' ' } });
  assert.equal(res.status, 422);
  assert.equal(errorOf(res).field, 'reference');
  res = await api('POST', `/api/admin/invoices/${inv.id}/paid`, { cookie: adm, body: { reference: 'SPEI 123', paid_on: day(5) } });
  assert.equal(res.status, 422);
  assert.equal(errorOf(res).field, 'paid_on');
  const paid = await ok(await api('POST', `/api/admin/invoices/${inv.id}/paid`, { cookie: adm, body: { reference: 'SPEI 123' } }));
  assert.equal(paid.status, 'paid');
  assert.equal((await api('POST', `/api/admin/invoices/${inv.id}/paid`, { cookie: adm, body: { reference: 'again' } })).status, 409);
  mine = await ok(await api('GET', '/api/invoices', { cookie: client }));
  assert.equal(mine.invoices[0].paid_reference, 'SPEI 123');
  assert.equal(company.id, mine.invoices[0].company_id);
});

test('a rejected quote leaves no charge and no invoice; completing without authorization is 409', async () => {
  const { service, client } = await freshCompany();
  const staff = await agent();
  const [a] = await prices();
  const t = await paidTicket(client, service);
  const q = await ok(await post(staff, t.id, 'quotes', { items: [{ price_item_id: a.id, quantity: 1 }], payment_terms: 'Contado' }), 201);
  const b = await ok(await post(client, t.id, 'authorizations', { offer_id: q.id, decision: 'reject' }));
  assert.equal(b.offers[0].state, 'rejected');
  assert.equal(b.work_allowed, false);
  let res = await post(staff, t.id, 'time', { minutes: 30, note: 'x' });
  assert.equal(res.status, 409);
  res = await post(staff, t.id, 'complete', { summary: 'Nada' });
  assert.equal(res.status, 409, res.text);
  assert.equal(errorOf(res).code, 'not_authorized');
  assert.equal((await ok(await api('GET', '/api/invoices', { cookie: client }))).invoices.length, 0);
});

test('preferential prices only with a current póliza (P20); not current by date or by an overdue invoice', async () => {
  const staff = await agent();
  const [a] = await prices();
  const current = await freshCompany({ plan: 'basica' });
  let t = await paidTicket(current.client, current.service);
  let q = await ok(await post(staff, t.id, 'quotes', { items: [{ price_item_id: a.id, quantity: 3 }], payment_terms: 'Contado' }), 201);
  assert.equal(q.total_cents, 3 * a.preferential_cents);
  // Expired by date (started 13 months ago): standard prices, no estimate (409).
  const old = await freshCompany({ plan: 'basica', starts_on: day(-400) });
  assert.equal((await contractOf(old.client)).reason, 'contract_expired');
  t = await paidTicket(old.client, old.service);
  q = await ok(await post(staff, t.id, 'quotes', { items: [{ price_item_id: a.id, quantity: 1 }], payment_terms: 'Contado' }), 201);
  assert.equal(q.total_cents, a.standard_cents);
  const res = await post(staff, t.id, 'estimates', { hours: 1 });
  assert.equal(res.status, 409, res.text);
  assert.equal(errorOf(res).code, 'contract_not_current');
});

test('an overdue invoice refuses paid categories and High until it is paid (P3, P19)', async () => {
  const { service, client, company } = await freshCompany({ plan: 'basica' });
  const adm = await admin();
  const inv = await ok(await api('POST', '/api/dev/invoices', { cookie: adm, body: { company_id: company.id, amount_cents: 150000, delivered_on: day(-20) } }), 201);
  const body = { service_id: service.id, category: 'support_case', priority: 'high', subject: `Urgente ${uniq()}`, description: 'Necesitamos soporte hoy mismo.' };
  let res = await api('POST', '/api/tickets', { cookie: client, body });
  assert.equal(res.status, 422, res.text);
  let mine = await ok(await api('GET', '/api/invoices', { cookie: client }));
  assert.equal(mine.with_debts, true);
  assert.equal(mine.invoices[0].status, 'overdue');
  const c = await contractOf(client);
  assert.equal(c.reason, 'overdue_invoice');
  const overdue = await ok(await api('GET', '/api/admin/invoices?status=overdue', { cookie: adm }));
  assert.ok(overdue.invoices.some((i) => i.id === inv.id));
  await ok(await api('POST', `/api/admin/invoices/${inv.id}/paid`, { cookie: adm, body: { reference: 'Depósito 77' } }));
  // At once: offered again and accepted.
  mine = await ok(await api('GET', '/api/invoices', { cookie: client }));
  assert.equal(mine.with_debts, false);
  res = await api('POST', '/api/tickets', { cookie: client, body });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.coverage, 'contract');
});

test('remote session: the checklist must be complete before paid remote work (P25)', async () => {
  const { service, client } = await freshCompany({ plan: 'basica' });
  const staff = await agent();
  const t = await paidTicket(client, service, 'remote_assistance');
  await authorizedEstimate(client, t, 2);
  let res = await post(staff, t.id, 'time', { minutes: 30, note: 'Sesión remota' });
  assert.equal(res.status, 409, res.text);
  assert.equal(errorOf(res).code, 'checklist_incomplete');
  // Only the client confirms it; partial saves list what is missing.
  const partial = { teamviewer_installed_as_admin: true, teamviewer_id: '123 456 789', machine_free: true, sleep_and_screensaver_off: false, on_mains_power: true, responsible_name: 'Luis', responsible_phone: '', responsible_can_help: true, liability_acknowledged: false };
  assert.equal((await api('PUT', `/api/tickets/${t.id}/remote-checklist`, { cookie: staff, body: partial })).status, 403);
  let b = await ok(await api('PUT', `/api/tickets/${t.id}/remote-checklist`, { cookie: client, body: partial }));
  assert.deepEqual(b.checklist_missing.sort(), ['liability_acknowledged', 'responsible_phone', 'sleep_and_screensaver_off']);
  res = await api('PUT', `/api/tickets/${t.id}/remote-checklist`, { cookie: client, body: { ...partial, teamviewer_id: 'x'.repeat(41) } });
  assert.equal(res.status, 422);
  assert.equal(errorOf(res).field, 'teamviewer_id');
  b = await ok(await api('PUT', `/api/tickets/${t.id}/remote-checklist`, { cookie: client, body: { ...partial, sleep_and_screensaver_off: true, responsible_phone: '55 1234 5678', liability_acknowledged: true } }));
  assert.deepEqual(b.checklist_missing, []);
  assert.equal((await billing(staff, t.id)).checklist.teamviewer_id, '123 456 789');
  const e = await ok(await post(staff, t.id, 'time', { minutes: 30, note: 'Sesión remota' }), 201);
  assert.equal(e.charged_hours, 1);
});

test('credentials: sealed, revealed only to staff on purpose, never in client answers, mail or logs; erased when resolved', async () => {
  const { service, client, email } = await freshCompany();
  const staff = await agent();
  const [a] = await prices();
  const t = await paidTicket(client, service, 'remote_assistance');
  const secret = `S3cr3t-${uniq()}-Ñ!`;
  const username = `admin-${uniq()}`;
  let res = await post(client, t.id, 'credentials', { label: 'Servidor', username, secret: '' });
  assert.equal(res.status, 422);
  assert.equal(errorOf(res).field, 'secret');
  const cred = await ok(await post(client, t.id, 'credentials', { label: 'Servidor', username, secret }), 201);
  assert.ok(!JSON.stringify(cred).includes(secret) && !JSON.stringify(cred).includes(username));
  const seen = [];
  const clientView = await api('GET', `/api/tickets/${t.id}/billing`, { cookie: client });
  seen.push(clientView.text, (await api('GET', `/api/tickets/${t.id}`, { cookie: client })).text);
  assert.equal(clientView.json.credentials[0].label, 'Servidor');
  // Clients and strangers cannot reveal; staff can, and each reveal counts.
  assert.equal((await post(client, t.id, `credentials/${cred.id}/reveal`)).status, 403);
  assert.equal((await post(await login(ACCOUNTS.beto), t.id, `credentials/${cred.id}/reveal`)).status, 403);
  assert.equal((await post(staff, t.id, `credentials/nope/reveal`)).status, 404);
  const shown = await ok(await post(staff, t.id, `credentials/${cred.id}/reveal`));
  assert.deepEqual([shown.username, shown.secret], [username, secret]);
  assert.equal((await billing(staff, t.id)).credentials[0].reveals, 1);
  // The work, completed: the credentials are erased and the client is told to change them.
  const q = await ok(await post(staff, t.id, 'quotes', { items: [{ price_item_id: a.id, quantity: 1 }], payment_terms: 'Contado' }), 201);
  await ok(await post(client, t.id, 'authorizations', { offer_id: q.id, decision: 'accept', accept_terms: true }));
  const done = await ok(await post(staff, t.id, 'complete', { summary: 'Se atendió por sesión remota.' }));
  assert.ok(done.credentials[0].purged_at);
  res = await post(staff, t.id, `credentials/${cred.id}/reveal`);
  assert.equal(res.status, 410, res.text);
  const ticket = await ok(await api('GET', `/api/tickets/${t.id}`, { cookie: client }));
  assert.match(ticket.messages.map((m) => m.body).join('\n'), /cambiar esas contraseñas/);
  seen.push(JSON.stringify(ticket), JSON.stringify(done));
  seen.push((await api('GET', '/api/notifications', { cookie: client })).text);
  const box = await ok(await api('GET', `/api/dev/mailbox?to=${encodeURIComponent(email)}`, { cookie: await admin() }));
  seen.push(JSON.stringify(box));
  seen.push((await api('GET', '/api/admin/audit', { cookie: await admin() })).text);
  for (const s of seen) {
    assert.ok(!s.includes(secret), 'the secret leaked into a response, a notification or an e-mail');
    assert.ok(!s.includes(username), 'the user name leaked');
  }
  // The Worker's log (wrangler dev's output) never carries it either.
  const port = new URL(BASE).port;
  const log = readFileSync(new URL(`../out/wrangler-${port}.log`, import.meta.url), 'utf8');
  assert.ok(log.includes(`/api/tickets/${t.id}/credentials`), 'the log is the one of this server');
  assert.ok(!log.includes(secret) && !log.includes(username), 'the secret is in the log');
  // Nothing to store on a finished ticket.
  res = await post(client, t.id, 'credentials', { label: 'Otra', username: 'u', secret: 'p' });
  assert.equal(res.status, 409);
});

test('admin corrections are compensating ledger entries with a reason, within 0 and the plan hours', async () => {
  const { client, contract } = await freshCompany({ plan: 'basica' });
  const adm = await admin();
  const path = `/api/admin/contracts/${contract.id}/corrections`;
  assert.equal((await api('POST', path, { cookie: await agent(), body: { hours: -1, reason: 'x' } })).status, 403);
  let res = await api('POST', path, { cookie: adm, body: { hours: -3, reason: ' ' } });
  assert.equal(res.status, 422);
  assert.equal(errorOf(res).field, 'reason');
  res = await api('POST', path, { cookie: adm, body: { hours: 0, reason: 'x' } });
  assert.equal(errorOf(res).field, 'hours');
  const e = await ok(await api('POST', path, { cookie: adm, body: { hours: -3, reason: 'Horas de una visita registrada en papel' } }), 201);
  assert.equal(e.balance_after, 7);
  // Giving back more than was used would exceed the plan: 409.
  res = await api('POST', path, { cookie: adm, body: { hours: 4, reason: 'Error' } });
  assert.equal(res.status, 409, res.text);
  await ok(await api('POST', path, { cookie: adm, body: { hours: 1, reason: 'Una hora mal registrada' } }), 201);
  const ledger = await ok(await api('GET', '/api/contract/ledger', { cookie: client }));
  assert.deepEqual(ledger.entries.map((x) => x.hours), [10, -3, 1]);
  assert.equal((await contractOf(client)).hours_used, 2);
});

test('free categories take no quote, estimate or time', async () => {
  const { service, client } = await freshCompany({ plan: 'basica' });
  const staff = await agent();
  const t = await ok(await api('POST', '/api/tickets', { cookie: client, body: { service_id: service.id, category: 'question', priority: 'low', subject: `Pregunta ${uniq()}`, description: '¿Cómo configuro mi correo?' } }), 201);
  const b = await billing(client, t.id);
  assert.equal(b.paid, false);
  for (const [what, body] of [['estimates', { hours: 1 }], ['time', { minutes: 10, note: 'x' }]]) {
    const res = await post(staff, t.id, what, body);
    assert.equal(res.status, 409, res.text);
    assert.equal(errorOf(res).code, 'free_service');
  }
});

test('billing rows written by someone else reach the ticket’s open pages live (issue 15)', async () => {
  const { openLive, waitFor } = await import('./live-helpers.mjs');
  const { service, client } = await freshCompany({ plan: 'basica' });
  const t = await paidTicket(client, service);
  await authorizedEstimate(client, t, 3);
  const staff = await agent();
  const clientPage = await openLive(client, t.id);
  const staffPage = await openLive(staff, t.id);
  try {
    await ok(await post(staff, t.id, 'time', { minutes: 50, note: 'Reinstalación del servicio' }), 201);
    await waitFor(clientPage, (f) => f.type === 'changed' && f.what === 'time');
    assert.equal((await billing(client, t.id)).time.length, 1, 'what the frame announced is there');
    await ok(await post(client, t.id, 'credentials', { label: 'Servidor', username: 'admin', secret: 'S3creto-en-vivo' }), 201);
    const told = await waitFor(staffPage, (f) => f.type === 'changed' && f.what === 'credentials');
    assert.ok(!JSON.stringify(told).includes('S3creto'), 'the frame carries nothing secret');
  } finally {
    clientPage.close();
    staffPage.close();
  }
});
