// Live chat in Chromium (issue 15): Ana (phone) starts a chat from the portal, the agent
// (desktop, a second browser context) is available and takes it, they exchange messages
// live, typing shows, a draft survives a reload, and the transcript is the ticket's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, VIEWPORTS, SHOTS, locale } from './helpers.mjs';
import { login, ACCOUNTS, api } from '../api/helpers.mjs';
import { setOfficeClock, resetClock } from '../api/live-helpers.mjs';

const es = locale('es');
const shows = (page, text) =>
  page.waitForFunction((t) => document.querySelector('main')?.innerText.includes(t), text, { timeout: 20_000 });
let browser;
before(async () => {
  browser = await launch();
  await setOfficeClock(await login(ACCOUNTS.admin));
});
after(async () => {
  await browser?.close();
  await resetClock();
});

test('Ana starts a chat, the agent takes it, they talk live and the transcript stays in the ticket', async () => {
  const agentPage = await newPage(browser, VIEWPORTS.desktop);
  await signIn(agentPage, 'agente@demo.mx');
  // Availability is sent over the staff lobby's socket: wait until the lobby has greeted
  // (a click while it still connects shows "reconnecting" and sends nothing). The frame
  // listener is attached as the socket appears: the greeting can arrive before an awaited
  // `waitForEvent` would be listening (CI once timed out that way).
  const greeted = new Promise((resolve) => {
    agentPage.on('websocket', (ws) => {
      if (ws.url().endsWith('/api/chat/live')) ws.once('framereceived', () => resolve());
    });
  });
  await agentPage.goto('/chats');
  await greeted;
  await agentPage.click('[data-testid=chat-available]');
  await agentPage.waitForSelector('[data-testid=chat-available][aria-pressed=true]');

  const ana = await newPage(browser, VIEWPORTS.phone);
  await signIn(ana, 'ana@alfa.mx');
  await ana.goto('/');
  await ana.click('[data-testid=home-chat]');
  await ana.waitForSelector('[data-testid=chat-start-form]');
  await ana.selectOption('[data-testid=chat-service]', 's-alfa-email');
  const first = `No puedo entrar a mi correo ${Date.now()}`;
  await ana.fill('[data-testid=chat-text]', `${first}\nDesde hoy en la mañana me pide la contraseña.`);
  await ana.click('[data-testid=chat-submit]');
  await ana.waitForURL(/\/tickets\/[0-9a-f]+$/);
  const ticketId = ana.url().split('/').pop();
  await ana.waitForSelector('[data-testid=live-link][data-state=open]');

  // The agent sees it in the live queue without reloading and takes it with one click.
  const row = `[data-testid=chat-row][data-ticket="${ticketId}"] [data-testid=chat-take]`;
  await agentPage.waitForSelector(row, { timeout: 20_000 });
  await agentPage.screenshot({ path: `${SHOTS}chat-queue-desktop.png` });
  await agentPage.click(row);
  await agentPage.waitForURL(new RegExp(`/tickets/${ticketId}$`));
  await agentPage.waitForSelector('[data-testid=live-link][data-state=open]');

  // Ana: "connected with …" and support is looking at her ticket.
  const connected = await ana.waitForSelector('[data-testid=chat-connected]');
  assert.match(await connected.textContent(), new RegExp(es.live.connected_with));
  await ana.waitForSelector(`[data-testid=live-viewer]:has-text("${es.live.support_viewing.trim()}")`);

  // Typing, then messages both ways.
  await agentPage.fill('[data-testid=live-input]', 'Hola Ana');
  await ana.waitForSelector('[data-testid=live-typing]');
  const fromAgent = 'Hola Ana, revisamos tu buzón en este momento.';
  await agentPage.fill('[data-testid=live-input]', fromAgent);
  await agentPage.press('[data-testid=live-input]', 'Enter');
  // Live, without a reload: in the live list, or already in the timeline when a change
  // (the reply opened the ticket) made the page read the ticket again.
  await shows(ana, fromAgent);
  // The line empties once the message is stored (the ack).
  await agentPage.waitForFunction(() => document.querySelector('[data-testid=live-input]')?.value === '');
  const fromAna = 'Gracias, ya me llegó el correo de prueba.';
  await ana.fill('[data-testid=live-input]', fromAna);
  await ana.click('[data-testid=live-send]');
  await shows(agentPage, fromAna);
  await ana.screenshot({ path: `${SHOTS}chat-ticket-phone.png`, fullPage: true });

  // A draft survives a reload (localStorage).
  await ana.fill('[data-testid=live-input]', 'borrador sin enviar');
  await ana.reload();
  await ana.waitForSelector('[data-testid=live-link][data-state=open]');
  assert.equal(await ana.inputValue('[data-testid=live-input]'), 'borrador sin enviar');

  // The transcript is the ticket's own record, in the timeline after a reload.
  const text = await ana.textContent('main');
  assert.ok(text.includes(fromAgent) && text.includes(fromAna), 'transcript in the ticket timeline');
  const detail = await api('GET', `/api/tickets/${ticketId}`, { cookie: await login(ACCOUNTS.ana) });
  const bodies = detail.json.messages.map((m) => m.body);
  assert.ok(bodies.includes(fromAgent) && bodies.includes(fromAna));
  assert.equal(detail.json.category, 'question');
  assert.ok(detail.json.subject.startsWith('No puedo entrar a mi correo'));

  assert.equal(ana.errors.length, 0, ana.errors.join('\n'));
  assert.equal(agentPage.errors.length, 0, agentPage.errors.join('\n'));
  await ana.context().close();
  await agentPage.context().close();
});

test('outside office hours the portal explains when chat opens and offers a ticket', async () => {
  const admin = await login(ACCOUNTS.admin);
  const cal = (await api('GET', '/api/calendar/status')).json;
  const afterHours = new Date(Date.parse(cal.next_closing) + 60_000).toISOString();
  await api('POST', '/api/dev/clock', { cookie: admin, body: { now: afterHours } });
  const page = await newPage(browser, VIEWPORTS.desktop, 'en-US');
  await signIn(page, 'carlos@alfa.mx');
  await page.goto('/chat');
  const box = await page.waitForSelector('[data-testid=chat-unavailable][data-reason=closed]');
  assert.match(await box.textContent(), new RegExp(locale('en').live.closed.split('.')[0]));
  await page.waitForSelector('a[href="/nuevo-ticket"]');
  assert.equal(page.errors.length, 0, page.errors.join('\n'));
  await page.context().close();
  await setOfficeClock(admin);
});
