// Paid service end to end in real Chromium (issue 13; P15, P19–P26), each journey twice:
// the client on a phone and the agent on a desktop, then the other way round.
// (a) Ana (póliza Básica): the agent's estimate above the remaining hours is refused on
//     `hours` and the form offers a quote instead; a 2 h estimate; Ana must tick the terms
//     to authorize; she fills the remote-session checklist (a partial save first) and leaves
//     a credential that the agent reveals on purpose; 61 minutes are charged as 2 h; the
//     summary resolves the ticket and erases the credential; "Mi póliza" shows exactly 2 h
//     fewer, the charge in the ledger linked to the ticket, and the chart.
// (b) Beto (no póliza → per event): a quote from the price list at standard prices with a
//     live total; Beto authorizes; time deducts nothing; completing issues an invoice due
//     6 calendar days after delivery, on his "Mi póliza"; the admin marks it paid.
// Tickets are created through the API with each page's own session; the dev clock is not
// touched (other suites share the server).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, locale, VIEWPORTS, SHOTS } from './helpers.mjs';

const es = locale('es');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const tid = (id) => `[data-testid="${id}"]`;
const status = (page, s) => page.waitForSelector(`${tid('ticket-head')}[data-status="${s}"]`);
let seq = 0;
const unique = (s) => `${s} ${Date.now().toString(36)}-${++seq}`;

async function getJson(page, path) {
  const res = await page.request.get(path);
  assert.equal(res.status(), 200, `${path}: ${await res.text()}`);
  return res.json();
}

async function createTicket(page, fields) {
  const res = await page.request.post('/api/tickets', {
    data: { priority: 'high', description: 'Necesito ayuda con la configuración del equipo de contabilidad.', ...fields },
  });
  assert.equal(res.status(), 201, await res.text());
  return res.json();
}

/** Opens the ticket page and waits for the billing panel's data. */
async function openBilling(page, id) {
  await page.goto(`/tickets/${id}`);
  await page.waitForSelector(`${tid('billing')} .billing-body`);
}

async function noOverflow(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `horizontal overflow ${overflow}px`);
}

async function closeAll(...pages) {
  for (const p of pages) {
    assert.deepEqual(p.errors, []);
    await p.context().close();
  }
}

/** Alfa's póliza must be current with at least `need` hours left; other suites may have
 * used some: an admin tops it up with a compensating entry (P26), as the product allows. */
async function ensureHours(ana, admin, need) {
  const c = await getJson(ana, '/api/contract');
  assert.ok(c, 'Alfa has a póliza');
  assert.ok(c.current || c.reason === 'contract_hours_used_up', `Alfa's póliza is not current: ${c.reason}`);
  if (c.hours_remaining >= need) return c.hours_remaining;
  const ledger = await getJson(ana, '/api/contract/ledger');
  const res = await admin.request.post(`/api/admin/contracts/${ledger.contract_id}/corrections`, {
    data: { hours: need - c.hours_remaining, reason: 'Horas para la prueba E2E del servicio con costo' },
  });
  assert.equal(res.status(), 201, await res.text());
  return (await getJson(ana, '/api/contract')).hours_remaining;
}

const addDays = (ymd, n) => {
  const d = new Date(`${ymd}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

// Paid remote assistance needs the checklist before time is recorded (P25): Ana fills it;
// Beto's tickets are a support case and phone advice.
const runs = [
  { name: 'client on a phone, agent on a desktop', client: VIEWPORTS.phone, staff: VIEWPORTS.desktop, tag: 'phone', category: 'support_case', perEvent: 'support_case' },
  { name: 'client on a desktop, agent on a phone', client: VIEWPORTS.desktop, staff: VIEWPORTS.phone, tag: 'desktop', category: 'remote_assistance', perEvent: 'phone_advice' },
];

for (const run of runs) {
  test(`Ana's póliza: estimate → authorize → checklist → time → summary (${run.name})`, async () => {
    const ana = await newPage(browser, run.client);
    const agent = await newPage(browser, run.staff);
    const admin = await newPage(browser, VIEWPORTS.desktop);
    await signIn(ana, 'ana@alfa.mx');
    await signIn(agent, 'agente@demo.mx');
    await signIn(admin, 'admin@demo.mx');
    const before = await ensureHours(ana, admin, 3);
    const t = await createTicket(ana, { service_id: 's-alfa-email', category: run.category, subject: unique('Outlook no sincroniza') });
    assert.equal(t.coverage, 'contract');

    // "Mi póliza" before: the remaining hours the API reports.
    await ana.goto('/mi-poliza');
    const poliza = await ana.waitForSelector(tid('poliza'));
    assert.equal(Number(await poliza.getAttribute('data-remaining')), before);

    // The agent: an estimate above the remaining hours is refused on `hours` (422) and the
    // form offers a per-event quote; then 2 h.
    await openBilling(agent, t.id);
    assert.equal(await agent.getAttribute(`${tid('offer-form')}`, 'open'), '', 'the offer form starts open');
    assert.match(await agent.textContent(tid('offer-remaining')), new RegExp(`\\b${before} h`));
    await agent.fill(tid('offer-hours'), String(before + 1));
    await agent.click(tid('send-estimate'));
    await agent.waitForSelector('[data-field-error="hours"]');
    await agent.click(tid('switch-to-quote'));
    await agent.waitForSelector(`${tid('mode-quote')}[aria-pressed="true"]`);
    await agent.waitForSelector(tid('send-quote'));
    await agent.click(tid('mode-estimate'));
    await agent.fill(tid('offer-hours'), '2');
    await agent.fill(tid('offer-note'), 'Revisión y reconfiguración de la cuenta en Outlook.');
    await agent.click(tid('send-estimate'));
    await status(agent, 'awaiting_authorization');
    await agent.waitForSelector(`${tid('offer')}[data-kind="estimate"][data-state="sent"]`);

    // Ana: the estimate as a card; without ticking the terms the API refuses (422 accept_terms).
    await openBilling(ana, t.id);
    await status(ana, 'awaiting_authorization');
    const card = await ana.waitForSelector(`${tid('offer-card')}[data-kind="estimate"]`);
    assert.equal(await (await card.$(tid('offer-deduct'))).getAttribute('data-hours'), '2');
    await ana.click(tid('accept-offer'));
    await ana.waitForSelector('[data-field-error="accept_terms"]');
    await ana.check(tid('accept-terms'));
    await ana.screenshot({ path: `${SHOTS}paid-estimate-card-${run.tag}.png`, fullPage: true });
    await ana.click(tid('accept-offer'));
    await ana.waitForSelector(`${tid('billing')} .billing-body[data-work-allowed="true"]`);
    assert.equal(await ana.$(tid('offer-card')), null, 'nothing waits for Ana any more');
    await ana.waitForSelector(`${tid('offer')}[data-state="accepted"] ${tid('offer-decision')}`);

    // The remote-session checklist: a partial save lists what is missing, then complete.
    await ana.check(tid('cl-teamviewer_installed_as_admin'));
    await ana.fill(tid('cl-teamviewer_id'), '1 234 567 890');
    await ana.click(tid('cl-save'));
    // Nine items, two given: seven listed as missing.
    await ana.waitForSelector(`${tid('checklist-missing')}[data-count="7"]`);
    for (const f of ['machine_free', 'sleep_and_screensaver_off', 'on_mains_power', 'responsible_can_help', 'liability_acknowledged']) {
      await ana.check(tid(`cl-${f}`));
    }
    await ana.fill(tid('cl-responsible_name'), 'Laura Pérez');
    await ana.fill(tid('cl-responsible_phone'), '55 1234 5678');
    await ana.click(tid('cl-save'));
    await ana.waitForSelector(`${tid('checklist-form')} ${tid('checklist-complete')}`);

    // A credential: after saving only its label shows; the secret is nowhere on her page.
    const secret = `Clave-${Date.now().toString(36)}!`;
    await ana.fill(tid('cred-label'), 'Equipo de contabilidad');
    await ana.fill(tid('cred-user'), 'contabilidad');
    await ana.fill(tid('cred-secret'), secret);
    await ana.click(tid('cred-save'));
    await ana.waitForSelector(`${tid('credential')} ${tid('credential-label')}:has-text("Equipo de contabilidad")`);
    // Cleared when the save is answered (the list may already show it from the live push).
    await ana.waitForFunction((sel) => document.querySelector(sel)?.value === '', tid('cred-secret'));
    assert.ok(!(await ana.content()).includes(secret), 'the secret is not on the client page');
    await noOverflow(ana);

    // The agent sees the checklist complete and reveals the credential on purpose.
    await openBilling(agent, t.id);
    await agent.waitForSelector(`${tid('checklist-status')} ${tid('checklist-complete')}`);
    assert.equal((await agent.textContent(tid('cl-teamviewer-id'))).trim(), '1 234 567 890');
    assert.ok(!(await agent.content()).includes(secret), 'hidden until revealed');
    await agent.click(`${tid('credential')} ${tid('reveal')}`);
    assert.equal((await (await agent.waitForSelector(tid('revealed-secret'))).textContent()).trim(), secret);
    assert.equal((await agent.textContent(tid('revealed-user'))).trim(), 'contabilidad');
    await agent.click(tid('hide'));
    await agent.waitForSelector(`${tid('credential')} ${tid('reveal')}`);

    // 61 minutes are charged as 2 whole hours (P22).
    await agent.fill(tid('time-minutes'), '61');
    await agent.waitForSelector(`${tid('time-charge')}[data-hours="2"]`);
    await agent.fill(tid('time-note'), 'Se reconfiguró la cuenta IMAP y se probó el envío.');
    await agent.click(tid('time-submit'));
    await agent.waitForSelector(`${tid('time-entry')}[data-minutes="61"][data-charged="2"]`);
    assert.equal((await agent.textContent(tid('bill-charged'))).trim(), '2 h');

    // The summary resolves the ticket and erases the credential (P15, P26).
    await agent.fill(tid('complete-summary'), 'Se reconfiguró Outlook; el correo ya sincroniza. Se cobraron 2 h de la póliza.');
    await agent.screenshot({ path: `${SHOTS}paid-agent-before-complete-${run.tag}.png`, fullPage: true });
    await agent.click(tid('complete-submit'));
    await status(agent, 'resolved');
    await agent.waitForSelector(`${tid('credential')}[data-purged="true"]`);
    assert.equal(await agent.$(tid('reveal')), null, 'an erased credential cannot be revealed');

    // Ana: resolved, reminded to change the password; "Mi póliza" shows exactly 2 h fewer.
    await openBilling(ana, t.id);
    await status(ana, 'resolved');
    await ana.waitForSelector(tid('change-reminder'));
    await ana.goto('/mi-poliza');
    const after = await ana.waitForSelector(tid('poliza'));
    assert.equal(Number(await after.getAttribute('data-remaining')), before - 2);
    assert.equal((await ana.textContent(tid('poliza-remaining'))).trim(), `${before - 2} h`);
    const charge = await ana.waitForSelector(`${tid('ledger-entry')}[data-ticket="${t.id}"]`);
    assert.equal(await charge.getAttribute('data-hours'), '-2');
    assert.equal(await charge.getAttribute('data-balance'), String(before - 2));
    assert.equal(await (await charge.$(tid('ledger-ticket'))).textContent(), t.number);
    const chart = await ana.waitForSelector(`${tid('balance-chart')} svg[role="img"]`);
    assert.ok((await (await chart.$('desc')).textContent()).includes(`${before - 2} h`));
    assert.equal(await ana.getAttribute(tid('balance-chart'), 'data-last'), String(before - 2));
    assert.ok(await ana.isVisible('[data-nav="my-poliza"]'));
    await noOverflow(ana);
    await ana.screenshot({ path: `${SHOTS}paid-mi-poliza-${run.tag}.png`, fullPage: true });
    await closeAll(ana, agent, admin);
  });

  test(`Beto per event: quote → authorize → complete → invoice due in 6 days (${run.name})`, async () => {
    const beto = await newPage(browser, run.client);
    const agent = await newPage(browser, run.staff);
    const admin = await newPage(browser, VIEWPORTS.desktop);
    await signIn(beto, 'beto@beta.mx');
    await signIn(agent, 'agente@demo.mx');
    await signIn(admin, 'admin@demo.mx');
    assert.equal(await getJson(beto, '/api/contract'), null, 'Beta has no póliza');
    const t = await createTicket(beto, { service_id: 's-beta-domain', category: run.perEvent, subject: unique('Configurar correo del dominio') });
    assert.equal(t.coverage, 'per_event');

    // The agent builds a quote from the price list: standard prices, live total.
    await openBilling(agent, t.id);
    await agent.waitForSelector(tid('offer-form'));
    assert.equal(await agent.$(tid('mode-estimate')), null, 'no póliza: no estimate');
    await agent.waitForSelector(`${tid('offer-item')} option[value="p-remoto"]`, { state: 'attached' });
    await agent.selectOption(tid('offer-item'), 'p-remoto');
    await agent.fill(tid('offer-qty'), '2');
    await agent.click(tid('offer-add'));
    await agent.selectOption(tid('offer-item'), 'p-correo');
    await agent.click(tid('offer-add'));
    await agent.waitForSelector(`${tid('draft-line')}[data-id="p-correo"]`);
    const prices = (await getJson(agent, '/api/price-list')).items;
    const unit = (id) => prices.find((p) => p.id === id).standard_cents;
    const cents = 2 * unit('p-remoto') + unit('p-correo');
    const mxn = (c) => `$${Math.floor(c / 100).toLocaleString('en-US')}.${String(c % 100).padStart(2, '0')} MXN`;
    assert.equal((await agent.textContent(tid('draft-total'))).trim(), mxn(cents));
    await agent.fill(tid('offer-invoicing'), 'Beta Servicios SA de CV · RFC BSE010101AAA · G03');
    await agent.click(tid('send-quote'));
    await status(agent, 'awaiting_authorization');

    // Beto authorizes the quote with its total.
    await openBilling(beto, t.id);
    await beto.waitForSelector(`${tid('offer-card')}[data-kind="quote"]`);
    assert.equal((await beto.textContent(`${tid('offer-card')} ${tid('offer-total')}`)).trim(), mxn(cents));
    await beto.check(tid('accept-terms'));
    await beto.screenshot({ path: `${SHOTS}paid-quote-card-${run.tag}.png`, fullPage: true });
    await beto.click(tid('accept-offer'));
    await beto.waitForSelector(`${tid('billing')} .billing-body[data-work-allowed="true"]`);
    await noOverflow(beto);

    // Time on per-event work deducts no hours; completing resolves and invoices.
    await openBilling(agent, t.id);
    await agent.fill(tid('time-minutes'), '45');
    await agent.fill(tid('time-note'), 'Se configuraron los registros MX y dos cuentas.');
    await agent.click(tid('time-submit'));
    await agent.waitForSelector(`${tid('time-entry')}[data-minutes="45"][data-charged="0"]`);
    await agent.fill(tid('complete-summary'), 'Se configuró el correo del dominio en dos equipos.');
    await agent.click(tid('complete-submit'));
    await status(agent, 'resolved');
    const inv = await agent.waitForSelector(`${tid('ticket-invoices')} ${tid('invoice')}`);
    const delivered = await inv.getAttribute('data-delivered-on');
    assert.equal(await inv.getAttribute('data-due-on'), addDays(delivered, 6));

    // Beto's "Mi póliza": no póliza, the invoice with its due date, linked to the ticket.
    await beto.goto('/mi-poliza');
    await beto.waitForSelector(tid('no-poliza'));
    const mine = await beto.waitForSelector(`${tid('invoice')}[data-ticket="${t.id}"]`);
    assert.equal(await mine.getAttribute('data-due-on'), addDays(delivered, 6));
    assert.equal(await mine.getAttribute('data-status'), 'pending');
    assert.equal((await (await mine.$(tid('invoice-amount'))).textContent()).trim(), mxn(cents));
    assert.equal((await (await mine.$(tid('invoice-due'))).textContent()).trim(), addDays(delivered, 6));
    const today = new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
    assert.ok(Math.abs(new Date(delivered) - new Date(today)) <= 86400e3, `delivered ${delivered}, today ${today}`);
    await noOverflow(beto);
    await beto.screenshot({ path: `${SHOTS}paid-invoice-${run.tag}.png`, fullPage: true });

    // The admin finds it unpaid and marks it paid with a reference.
    await admin.goto('/admin/facturas');
    await admin.click(`${tid('invoice-filter')} [data-filter="unpaid"]`);
    // The unpaid list itself, not the "all" list still shown while it loads.
    const row = `${tid('admin-invoices')}[data-filter="unpaid"] ${tid('admin-invoice')}[data-ticket="${t.id}"]`;
    await admin.waitForSelector(row);
    await admin.fill(`${row} ${tid('paid-reference')}`, `SPEI ${Date.now()}`);
    await admin.click(`${row} ${tid('mark-paid')}`);
    await admin.waitForSelector(`${row}`, { state: 'detached' });
    await admin.click(`${tid('invoice-filter')} [data-filter="paid"]`);
    await admin.waitForSelector(`${tid('admin-invoices')}[data-filter="paid"] ${tid('admin-invoice')}[data-ticket="${t.id}"][data-status="paid"] ${tid('invoice-paid')}`);
    await beto.reload();
    await beto.waitForSelector(`${tid('invoice')}[data-ticket="${t.id}"][data-status="paid"]`);
    assert.equal(es.bill.inv_paid, (await beto.textContent(`${tid('invoice')}[data-ticket="${t.id}"] .tag`)).trim());
    await closeAll(beto, agent, admin);
  });
}
