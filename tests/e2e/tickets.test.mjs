// Tickets end to end in real Chromium (issue 5), on a phone and on a desktop:
// Ana opens a ticket with a PNG screenshot → the agent finds it in the FIFO queue and
// asks "waiting for your answer" → Ana replies → the agent resolves → Ana reopens inside
// the warranty window → the agent resolves → Ana confirms and it closes.
// Beto is not offered his ended web site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, locale, VIEWPORTS, SHOTS } from './helpers.mjs';

const es = locale('es');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A valid 1×1 PNG, made here (no fixture files).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const tid = (id) => `[data-testid="${id}"]`;
const status = (page, s) => page.waitForSelector(`${tid('ticket-head')}[data-status="${s}"]`);

/** On a phone the form shows one step at a time: press "next". */
async function next(page, phone) {
  if (phone) await page.click(tid('step-next'));
}

async function openTicket(page, phone, subject, vp) {
  await page.goto('/nuevo-ticket');
  await page.waitForSelector(tid('service-option'));
  await page.check(`${tid('service-option')}[data-kind="hosting"] input`);
  await page.check(`${tid('category-option')}[data-category="incident"] input`);
  // Free categories never offer High (P3).
  assert.ok(await page.isDisabled(`${tid('priority-option')}[data-priority="high"] input`));
  await page.check(`${tid('priority-option')}[data-priority="medium"] input`);
  await page.waitForSelector(tid('sla-preview-due'));
  await page.waitForSelector(tid('office-status'));
  await page.screenshot({ path: `${SHOTS}ticket-new-step1-${vp}.png`, fullPage: true });
  await next(page, phone);
  await page.fill(tid('subject'), subject);
  await page.fill(tid('description'), 'Desde esta mañana la página muestra un error 500 al entrar.');
  await page.fill(tid('steps'), '1. Abrir https://alfa.example\n2. Ver el error');
  await next(page, phone);
  // A GIF renamed .png is refused in the browser by its first bytes; the PNG is accepted.
  await page.setInputFiles(tid('file-input'), [
    { name: 'falso.png', mimeType: 'image/png', buffer: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'binary') },
    { name: 'error.png', mimeType: 'image/png', buffer: PNG },
  ]);
  await page.waitForSelector(tid('file-rejected'));
  await page.waitForSelector(tid('file-item'));
  assert.equal(await page.locator(tid('file-item')).count(), 1);
  await next(page, phone);
  await page.screenshot({ path: `${SHOTS}ticket-new-review-${vp}.png`, fullPage: true });
  // A double click still creates a single ticket (button lock + Idempotency-Key).
  await page.dblclick(tid('submit-ticket'));
  const done = await page.waitForSelector(`${tid('ticket-created')}[data-uploads="done"]`);
  const number = await done.getAttribute('data-number');
  const id = await done.getAttribute('data-id');
  assert.match(number, /^T-\d{4}-\d{6}$/);
  assert.match(await page.textContent(tid('created-due')), /\d{2}:\d{2}/);
  assert.equal((await page.textContent('.confirmation h2')).trim(), es.new_ticket.done_title);
  await page.screenshot({ path: `${SHOTS}ticket-created-${vp}.png`, fullPage: true });
  return { number, id };
}

async function staffSend(page, kind, body) {
  await page.check(`${tid(`kind-${kind}`)} input`);
  await page.fill(tid('reply-body'), body);
  await page.click(tid('send-reply'));
}

for (const [vp, viewport] of Object.entries(VIEWPORTS)) {
  const phone = vp === 'phone';

  test(`ticket journey: open, wait, reply, resolve, reopen, resolve, close (${vp})`, async () => {
    const ana = await newPage(browser, viewport);
    const agent = await newPage(browser, viewport);
    await signIn(ana, 'ana@alfa.mx');
    await signIn(agent, 'agente@demo.mx');

    const subject = `Error 500 en el sitio ${vp} ${Date.now()}`;
    const { number, id } = await openTicket(ana, phone, subject, vp);

    // Ana's list: the ticket with its place in line and due time.
    await ana.goto('/mis-tickets');
    const mine = await ana.waitForSelector(`${tid('ticket-row')}[data-number="${number}"]`);
    assert.ok(await mine.$(tid('queue-place')));
    await ana.screenshot({ path: `${SHOTS}ticket-my-list-${vp}.png`, fullPage: true });
    if (phone) {
      const overflow = await ana.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scroll on a phone (overflow ${overflow}px)`);
    }

    // The agent's queue is in arrival order (P8): ticket numbers ascend. (With the other
    // suites' open tickets ours may be past the first page of 50; the search below finds it.)
    await agent.goto('/cola');
    await agent.waitForSelector(tid('queue-row'));
    const numbers = await agent.$$eval(tid('queue-row'), (rows) => rows.map((r) => r.dataset.number));
    assert.deepEqual(numbers, [...numbers].sort(), 'FIFO order');
    await agent.screenshot({ path: `${SHOTS}ticket-queue-${vp}.png`, fullPage: true });
    // Searching the subject puts it at the top.
    await agent.fill(tid('queue-search'), subject);
    await agent.press(tid('queue-search'), 'Enter');
    await agent.waitForFunction(
      ([sel, n]) => document.querySelector(sel)?.dataset.number === n,
      [tid('queue-row'), number],
    );
    await agent.click(`${tid('queue-row')}[data-number="${number}"] a`);
    await status(agent, 'new');
    // The screenshot is on the opening message and served as a PNG.
    const img = await agent.waitForSelector(`${tid('attachment')} img`);
    const src = await img.getAttribute('src');
    const res = await agent.request.get(src);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'image/png');
    assert.ok(await agent.$(tid('client-info')), 'staff see the submitter data');

    await staffSend(agent, 'awaiting_client', '¿Nos indica desde qué navegador entra?');
    await status(agent, 'waiting_client');
    await agent.screenshot({ path: `${SHOTS}ticket-agent-${vp}.png`, fullPage: true });

    // Ana sees the P17 notice, replies, and the ticket is back with staff.
    await ana.goto(`/tickets/${id}`);
    await status(ana, 'waiting_client');
    await ana.waitForSelector(tid('auto-close'));
    assert.equal(await ana.$(tid('staff-actions')), null);
    await ana.fill(tid('reply-body'), 'Desde Chrome en Windows 11.');
    await ana.click(tid('send-reply'));
    await status(ana, 'open');
    await ana.screenshot({ path: `${SHOTS}ticket-client-${vp}.png`, fullPage: true });

    // The agent resolves with "resolved — please confirm".
    await agent.reload();
    await status(agent, 'open');
    await staffSend(agent, 'resolved_confirm', 'Corregimos la configuración de PHP. ¿Nos confirma?');
    await status(agent, 'resolved');

    // Ana reopens inside the warranty window (P18).
    await ana.reload();
    await status(ana, 'resolved');
    await ana.waitForSelector(tid('reopen-until'));
    await ana.screenshot({ path: `${SHOTS}ticket-resolved-${vp}.png`, fullPage: true });
    await ana.click(tid('reopen'));
    await status(ana, 'open');

    // The agent resolves again (staff action), Ana confirms: closed.
    await agent.reload();
    await status(agent, 'open');
    await agent.click(tid('resolve'));
    await status(agent, 'resolved');
    await ana.reload();
    await status(ana, 'resolved');
    await ana.click(tid('confirm-close'));
    await status(ana, 'closed');
    await ana.waitForSelector(tid('closed-note'));
    const kinds = await ana.$$eval(tid('message'), (ms) => ms.map((m) => m.dataset.kind));
    assert.ok(!kinds.includes('note'), 'clients never see notes');
    await ana.screenshot({ path: `${SHOTS}ticket-closed-${vp}.png`, fullPage: true });

    assert.deepEqual(ana.errors, []);
    assert.deepEqual(agent.errors, []);
    await ana.context().close();
    await agent.context().close();
  });
}

test('Beto is not offered his ended web site', async () => {
  const page = await newPage(browser, VIEWPORTS.phone);
  await signIn(page, 'beto@beta.mx');
  await page.goto('/nuevo-ticket');
  const site = await page.waitForSelector(`${tid('service-option')}[data-kind="web_site"]`);
  assert.equal(await site.getAttribute('data-eligible'), 'false');
  assert.ok(await page.isDisabled(`${tid('service-option')}[data-kind="web_site"] input`));
  assert.ok((await site.textContent()).includes(es.new_ticket.reason_ended));
  const domain = await page.$(`${tid('service-option')}[data-kind="domain"]`);
  assert.equal(await domain.getAttribute('data-eligible'), 'true');
  // No póliza: paid categories go per event (quoted first).
  await page.screenshot({ path: `${SHOTS}ticket-new-beto-phone.png`, fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
