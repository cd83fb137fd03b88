// Staff actions on a ticket in real Chromium (issue 5, agent workspace), on a desktop:
// assign to another agent; flag an abusive client message (P27: the client is warned, the
// admin's count grows and shows on /admin); close as out of scope with the referral message (P10); merge a
// duplicate (P12). And the P27 composer warning for a client: on a reply (edit it, or send
// it anyway) and on the new-ticket form (phone) before anything is created.
// Set-up goes through the API with each page's own session (page.request shares its cookies).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, locale, VIEWPORTS, SHOTS } from './helpers.mjs';

const es = locale('es');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const tid = (id) => `[data-testid="${id}"]`;
const status = (page, s) => page.waitForSelector(`${tid('ticket-head')}[data-status="${s}"]`);
const event = (page, kind) => page.waitForSelector(`${tid('event')}[data-kind="${kind}"]`);
const msg = (id) => `${tid('message')}[data-id="${id}"]`;

let seq = 0;
const unique = (s) => `${s} ${Date.now().toString(36)}-${++seq}`;

/** Creates a ticket of the signed-in client of `page` through the API. */
async function createTicket(page, fields = {}) {
  const res = await page.request.post('/api/tickets', {
    data: {
      service_id: 's-alfa-email',
      priority: 'medium',
      category: 'incident',
      subject: unique('No puedo enviar correos'),
      description: 'Desde esta mañana Outlook marca error al enviar.',
      ...fields,
    },
  });
  assert.equal(res.status(), 201, await res.text());
  return res.json();
}

async function getJson(page, path) {
  const res = await page.request.get(path);
  assert.equal(res.status(), 200, await res.text());
  return res.json();
}

const ticketOf = (page, id) => getJson(page, `/api/tickets/${id}`);

/** Opens the ticket page and waits until it shows the ticket in `s`. */
async function openTicket(page, id, s) {
  await page.goto(`/tickets/${id}`);
  await status(page, s);
  // Staff's side of the page is its own chunk, shown once downloaded.
  if (await page.$('[data-nav="queue"]')) await page.waitForSelector(tid('staff-actions'));
}

async function closeAll(...pages) {
  for (const p of pages) {
    assert.deepEqual(p.errors, []);
    await p.context().close();
  }
}

const desktop = VIEWPORTS.desktop;

test('assign a new ticket to another staff member (desktop)', async () => {
  const ana = await newPage(browser, desktop);
  const agent = await newPage(browser, desktop);
  await signIn(ana, 'ana@alfa.mx');
  await signIn(agent, 'agente@demo.mx');
  const t = await createTicket(ana);
  const admin = (await getJson(agent, '/api/staff')).find((u) => u.role === 'admin');
  assert.ok(admin?.name, 'the staff list has an admin');

  await openTicket(agent, t.id, 'new');
  assert.equal((await agent.textContent(tid('assignee'))).trim(), es.queue.unassigned);
  // The staff list loads on its own: wait for the admin to be offered.
  await agent.waitForSelector(`${tid('assign-to')} option[value="${admin.id}"]`, { state: 'attached' });
  assert.ok(await agent.isDisabled(tid('assign')), 'nothing picked yet');
  await agent.selectOption(tid('assign-to'), { label: admin.name });
  await agent.click(tid('assign'));
  await agent.waitForSelector(`${tid('assignee')}:has-text("${admin.name}")`);
  const ev = await event(agent, 'assigned');
  const text = await ev.textContent();
  assert.ok(text.includes(es.ticket.ev_assigned) && text.includes(admin.name), text);
  // The current assignee is not offered again.
  await agent.waitForSelector(`${tid('assign-to')} option[value="u-agente"]`, { state: 'attached' });
  assert.equal(await agent.locator(`${tid('assign-to')} option[value="${admin.id}"]`).count(), 0);
  await agent.screenshot({ path: `${SHOTS}staff-assigned-desktop.png`, fullPage: true });

  assert.equal((await ticketOf(agent, t.id)).assignee.id, admin.id);
  // Ana sees who has her ticket.
  await openTicket(ana, t.id, (await ticketOf(agent, t.id)).status);
  assert.equal((await ana.textContent(tid('assignee'))).trim(), admin.name);
  await closeAll(ana, agent);
});

test('flag an abusive client message: the agent sees it flagged, Ana is warned, the admin count grows (P27)', async () => {
  const ana = await newPage(browser, desktop);
  const agent = await newPage(browser, desktop);
  const admin = await newPage(browser, desktop);
  await signIn(ana, 'ana@alfa.mx');
  await signIn(agent, 'agente@demo.mx');
  await signIn(admin, 'admin@demo.mx');
  const t = await createTicket(ana);
  const posted = await ana.request.post(`/api/tickets/${t.id}/messages`, { data: { body: 'Son unos inútiles, ya van dos días.' } });
  assert.equal(posted.status(), 201, await posted.text());
  const rude = await posted.json();
  const countOf = async () => (await getJson(admin, '/api/admin/flags')).find((f) => f.user.id === 'u-ana')?.flagged_messages ?? 0;
  const before = await countOf();

  await openTicket(agent, t.id, t.status);
  // Only client messages can be flagged: the rude reply and the opening message, nothing else.
  const flagButton = `${msg(rude.id)} ${tid('flag')}`;
  await agent.waitForSelector(flagButton);
  assert.equal((await agent.textContent(flagButton)).trim(), es.ticket.flag);
  await agent.click(flagButton);
  const flagged = await agent.waitForSelector(`${msg(rude.id)} ${tid('flagged')}`);
  assert.equal((await flagged.textContent()).trim(), es.ticket.flagged);
  assert.equal(await agent.$(flagButton), null, 'a flagged message cannot be flagged again');
  assert.ok((await (await event(agent, 'message_flagged')).textContent()).includes(es.ticket.ev_flagged));
  // The conduct warning is posted to the client as a system message.
  const warning = await agent.waitForSelector(`${tid('message')}[data-kind="system"]:has-text("respetuoso")`);
  assert.ok(await warning.isVisible());
  await agent.screenshot({ path: `${SHOTS}staff-flagged-agent-desktop.png`, fullPage: true });

  // Ana sees the warning on that very message, and cannot flag anything herself.
  await openTicket(ana, t.id, (await ticketOf(ana, t.id)).status);
  const seen = await ana.waitForSelector(`${msg(rude.id)} ${tid('flagged')}`);
  assert.equal((await seen.textContent()).trim(), es.ticket.flagged);
  assert.equal(await ana.locator(tid('flagged')).count(), 1, 'only the flagged message carries the warning');
  assert.equal(await ana.$(tid('flag')), null);
  assert.equal(await ana.$(tid('staff-actions')), null);
  await ana.waitForSelector(`${tid('message')}[data-kind="system"]:has-text("respetuoso")`);
  await ana.screenshot({ path: `${SHOTS}staff-flagged-client-desktop.png`, fullPage: true });

  // The admin's API has the count, and the administration page shows it.
  assert.equal(await countOf(), before + 1);
  const companies = await getJson(admin, '/api/companies');
  assert.ok(companies.find((c) => c.id === 'c-alfa').flagged_messages >= 1);
  await admin.goto('/admin');
  const row = await admin.waitForSelector(`${tid('admin-flag')}[data-user="u-ana"]`);
  assert.equal(Number(await row.getAttribute('data-count')), before + 1);
  const alfa = await admin.waitForSelector(`${tid('admin-company')}[data-id="c-alfa"]`);
  assert.ok(Number(await alfa.getAttribute('data-flagged')) >= 1);
  await admin.screenshot({ path: `${SHOTS}staff-admin-flags-desktop.png`, fullPage: true });
  assert.deepEqual(admin.errors, []);
  await closeAll(ana, agent, admin);
});

test('close as out of scope: closed with the referral message, visible to Ana (P10)', async () => {
  const ana = await newPage(browser, desktop);
  const agent = await newPage(browser, desktop);
  await signIn(ana, 'ana@alfa.mx');
  await signIn(agent, 'agente@demo.mx');
  const t = await createTicket(ana, { subject: unique('Quiero que me enseñen a usar Outlook') });

  await openTicket(agent, t.id, t.status);
  // Every P10 reason is offered, development first (the default).
  const reasons = await agent.$$eval(`${tid('oos-reason')} option`, (os) => os.map((o) => o.value));
  assert.deepEqual(reasons, ['development', 'training', 'third_party', 'consulting']);
  await agent.selectOption(tid('oos-reason'), 'training');
  await agent.click(tid('oos-close'));
  await status(agent, 'closed');
  const oosEvent = await (await event(agent, 'out_of_scope')).textContent();
  assert.ok(oosEvent.includes(es.ticket.ev_out_of_scope));
  assert.ok(oosEvent.includes(es.ticket.oos_training) && !oosEvent.includes('training'), `labels, not codes: ${oosEvent}`);
  const referral = `${tid('message')}[data-kind="system"]:has-text("capacitación")`;
  await agent.waitForSelector(referral);
  // A closed ticket offers no more out-of-scope, merge or assignment; staff can still reopen.
  assert.equal(await agent.$(tid('oos-close')), null);
  assert.equal(await agent.$(tid('merge')), null);
  assert.equal(await agent.$(tid('assign')), null);
  await agent.waitForSelector(tid('staff-reopen'));
  await agent.screenshot({ path: `${SHOTS}staff-out-of-scope-agent-desktop.png`, fullPage: true });

  await openTicket(ana, t.id, 'closed');
  const body = await ana.textContent(`${referral} .msg-body`);
  assert.match(body, /Cerramos este ticket porque se trata de una capacitación/);
  await ana.waitForSelector(tid('closed-note'));
  assert.equal(await ana.$(tid('reopen')), null, 'no warranty without a resolution');
  assert.equal((await ana.textContent(tid('closed-unresolved'))).trim(), es.ticket.closed_unresolved);
  assert.equal(await ana.$(tid('warranty-over')), null, 'no "window ended on <empty date>"');
  await ana.screenshot({ path: `${SHOTS}staff-out-of-scope-client-desktop.png`, fullPage: true });
  const last = (await ticketOf(ana, t.id)).messages.at(-1);
  assert.equal(last.kind, 'system');
  // The API carries both languages; the Spanish page shows the Spanish half only.
  assert.ok(last.body.startsWith(`${body.trim()}\n\n`), last.body);
  assert.ok(!body.includes('We are closing this ticket'), body);
  await closeAll(ana, agent);
});

test('merge a duplicate into the first ticket: pointer on the duplicate, message on the survivor (P12)', async () => {
  const ana = await newPage(browser, desktop);
  const agent = await newPage(browser, desktop);
  await signIn(ana, 'ana@alfa.mx');
  await signIn(agent, 'agente@demo.mx');
  const keep = await createTicket(ana, { subject: unique('Correo rebota') });
  const marker = `DESCRIPCION-DUPLICADO-${Date.now()}`;
  const dup = await createTicket(ana, { subject: unique('Correo rebota otra vez'), description: marker });

  await openTicket(agent, dup.id, dup.status);
  assert.ok(await agent.isDisabled(tid('merge')), 'nothing to merge into yet');
  await agent.fill(tid('merge-into'), ` ${keep.number} `);
  await agent.click(tid('merge'));
  await status(agent, 'closed');
  const pointer = await agent.waitForSelector(tid('merged-into'));
  assert.ok((await pointer.textContent()).includes(es.ticket.merged_into));
  assert.equal((await agent.textContent(`${tid('merged-into')} a`)).trim(), keep.number);
  assert.ok((await (await event(agent, 'merged_into')).textContent()).includes(keep.number));
  assert.equal(await agent.$(`${tid('message')}:has-text("${marker}")`), null, 'the message moved away');
  await agent.screenshot({ path: `${SHOTS}staff-merged-duplicate-desktop.png`, fullPage: true });

  // Following the pointer leads to the survivor, which now has the duplicate's message.
  await agent.click(`${tid('merged-into')} a`);
  await agent.waitForSelector(`${tid('ticket-head')}[data-id="${keep.id}"]`);
  await agent.waitForSelector(`${tid('message')}:has-text("${marker}")`);
  assert.ok((await (await event(agent, 'merged_from')).textContent()).includes(dup.number));
  assert.equal(new URL(agent.url()).pathname, `/tickets/${keep.id}`);
  await agent.screenshot({ path: `${SHOTS}staff-merged-survivor-desktop.png`, fullPage: true });

  // Ana sees the same: the duplicate points to the survivor.
  await openTicket(ana, dup.id, 'closed');
  assert.equal((await ana.textContent(`${tid('merged-into')} a`)).trim(), keep.number);
  const survivor = await ticketOf(ana, keep.id);
  assert.ok(survivor.messages.some((m) => m.body === marker));
  await closeAll(ana, agent);
});

test('P27 composer warning on a reply: nothing is sent until edited or sent anyway (desktop)', async () => {
  const ana = await newPage(browser, desktop);
  await signIn(ana, 'ana@alfa.mx');
  const t = await createTicket(ana);
  const bodies = async () => (await ticketOf(ana, t.id)).messages.map((m) => m.body);
  const before = await bodies();

  await openTicket(ana, t.id, t.status);
  const count = () => ana.locator(tid('message')).count();
  const shown = await count();
  assert.equal((await ana.textContent(tid('send-reply'))).trim(), es.ticket.send);

  // Rude text: a warning with the words, the button offers to send anyway, nothing is posted.
  await ana.fill(tid('reply-body'), 'Ya van tres días sin correo, son unos idiotas.');
  await ana.click(tid('send-reply'));
  await ana.waitForSelector(tid('respect-warning'));
  assert.ok((await ana.textContent(tid('respect-warning'))).includes(es.ticket.respect_title));
  assert.ok((await ana.textContent(tid('respect-terms'))).includes('«idiotas»'));
  assert.equal((await ana.textContent(tid('send-reply'))).trim(), es.ticket.send_anyway);
  await ana.screenshot({ path: `${SHOTS}staff-respect-warning-reply-desktop.png`, fullPage: true });
  assert.equal(await count(), shown);
  assert.deepEqual(await bodies(), before, 'nothing posted');

  // Edited to a polite text: the warning goes away and the reply is sent.
  const polite = 'Ya van tres días sin correo, ¿pueden revisarlo hoy, por favor?';
  await ana.fill(tid('reply-body'), polite);
  await ana.waitForSelector(tid('respect-warning'), { state: 'detached' });
  assert.equal((await ana.textContent(tid('send-reply'))).trim(), es.ticket.send);
  await ana.click(tid('send-reply'));
  await ana.waitForSelector(`${tid('message')}[data-kind="client"]:has-text("${polite}")`);
  assert.equal(await ana.inputValue(tid('reply-body')), '');
  assert.deepEqual(await bodies(), [...before, polite]);

  // Rude again, warned again, and a second press sends it as written.
  const rude = 'Sigue sin funcionar, son unos idiotas.';
  await ana.fill(tid('reply-body'), rude);
  await ana.click(tid('send-reply'));
  await ana.waitForSelector(tid('respect-warning'));
  await ana.waitForSelector(`${tid('send-reply')}:has-text("${es.ticket.send_anyway}")`);
  assert.deepEqual(await bodies(), [...before, polite], 'still nothing posted after the warning');
  await ana.click(tid('send-reply'));
  await ana.waitForSelector(`${tid('message')}[data-kind="client"]:has-text("${rude}")`);
  await ana.waitForSelector(tid('respect-warning'), { state: 'detached' });
  assert.equal((await ana.textContent(tid('send-reply'))).trim(), es.ticket.send);
  assert.deepEqual(await bodies(), [...before, polite, rude]);
  await closeAll(ana);
});

test('P27 warning on the new-ticket form at submit, before anything is created (phone)', async () => {
  const page = await newPage(browser, VIEWPORTS.phone);
  await signIn(page, 'ana@alfa.mx');
  const subject = unique('El sistema no deja entrar');
  const found = async () => (await getJson(page, `/api/tickets?q=${encodeURIComponent(subject)}`)).tickets;

  await page.goto('/nuevo-ticket');
  await page.waitForSelector(tid('service-option'));
  await page.check(`${tid('service-option')}[data-kind="hosting"] input`);
  await page.check(`${tid('category-option')}[data-category="incident"] input`);
  await page.check(`${tid('priority-option')}[data-priority="medium"] input`);
  await page.click(tid('step-next'));
  await page.fill(tid('subject'), subject);
  await page.fill(tid('description'), 'Este pinche sistema no me deja entrar desde ayer.');
  await page.click(tid('step-next'));
  await page.click(tid('step-next'));
  await page.waitForSelector(`${tid('new-ticket-form')}[data-step="4"]`);

  await page.click(tid('submit-ticket'));
  await page.waitForSelector(tid('respect-warning'));
  assert.ok((await page.textContent(tid('respect-terms'))).includes('«pinche»'));
  assert.equal((await page.textContent(tid('submit-ticket'))).trim(), es.ticket.send_anyway);
  assert.equal(await page.$(tid('ticket-created')), null);
  await page.screenshot({ path: `${SHOTS}staff-respect-warning-new-ticket-phone.png`, fullPage: true });
  assert.deepEqual(await found(), [], 'nothing created');

  // Back to the description, made polite: the warning goes, the ticket is created as edited.
  await page.click(tid('step-back'));
  await page.click(tid('step-back'));
  await page.fill(tid('description'), 'El sistema no me deja entrar desde ayer.');
  await page.click(tid('step-next'));
  await page.click(tid('step-next'));
  assert.equal(await page.$(tid('respect-warning')), null);
  await page.click(tid('submit-ticket'));
  const done = await page.waitForSelector(tid('ticket-created'));
  const id = await done.getAttribute('data-id');
  const list = await found();
  assert.deepEqual(list.map((x) => x.id), [id]);
  assert.equal((await ticketOf(page, id)).messages[0].body, 'El sistema no me deja entrar desde ayer.');
  await closeAll(page);
});
