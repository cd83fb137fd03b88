// The notification bell in Chromium (issue 11): the count rises after an agent reply
// (without reloading) and falls when the notices are read. Issue 15: it is told over the
// person's own socket; with WebSockets blocked, the bell and the ticket page poll instead,
// the live line sends over HTTP and a draft survives a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, locale, VIEWPORTS, SHOTS, BASE } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function apiLogin(email) {
  const res = await fetch(`${BASE}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'demo1234' }),
  });
  assert.equal(res.status, 200);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('mds_session='));
}

async function call(cookie, method, path, body) {
  const res = await fetch(BASE + path, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

const count = (page) => page.getAttribute('[data-bell-count]', 'data-bell-count').then(Number);

test('bell: an agent reply raises the count; reading all brings it to zero', async () => {
  const carlos = await apiLogin('carlos@alfa.mx');
  const agent = await apiLogin('agente@demo.mx');
  await call(carlos, 'POST', '/api/notifications/read', { all: true });
  const page = await newPage(browser, VIEWPORTS.desktop);
  // Issue 15: the bell listens on the person's own socket.
  const rung = [];
  page.on('websocket', (ws) => {
    if (ws.url().endsWith('/api/live')) ws.on('framereceived', (f) => rung.push(String(f.payload)));
  });
  await signIn(page, 'carlos@alfa.mx');
  await page.waitForSelector('[data-bell-live="true"]', { state: 'attached' });
  // At zero the badge is in the page but hidden.
  await page.waitForSelector('[data-bell-count="0"]', { state: 'attached' });
  const t = await call(carlos, 'POST', '/api/tickets', {
    service_id: 's-alfa-email', priority: 'medium', category: 'incident',
    subject: `Campana ${Date.now()}`, description: 'El correo no sale desde la mañana.',
  });
  assert.equal(t.status, 201);
  const r = await call(agent, 'POST', `/api/tickets/${t.json.id}/messages`, { body: 'Ya lo estamos revisando.' });
  assert.equal(r.status, 201);
  // Confirmation + reply, picked up by the poll without a reload.
  await page.waitForSelector('[data-bell-count="2"]', { timeout: 20_000 });
  assert.equal(await count(page), 2);
  assert.ok(rung.some((f) => JSON.parse(f).type === 'notifications'), 'the socket said a notice was written');
  await page.click('[data-bell]');
  await page.waitForSelector('[data-bell-panel] .bell-item.unread');
  const titles = await page.$$eval('[data-bell-panel] .bell-item strong', (els) => els.map((e) => e.textContent));
  assert.ok(titles.some((s) => /Nueva respuesta/.test(s)), titles.join(' | '));
  await page.screenshot({ path: `${SHOTS}bell-open-desktop.png` });
  await page.click('[data-bell-read-all]');
  await page.waitForSelector('[data-bell-count="0"]', { state: 'attached' });
  assert.equal(page.errors.length, 0, page.errors.join('\n'));
  await page.context().close();
});

test('WebSockets blocked: the bell and the ticket page fall back to polling, the line sends over HTTP, drafts survive a reload', async () => {
  const carlos = await apiLogin('carlos@alfa.mx');
  const agent = await apiLogin('agente@demo.mx');
  await call(carlos, 'POST', '/api/notifications/read', { all: true });
  const t = await call(carlos, 'POST', '/api/tickets', {
    service_id: 's-alfa-email', priority: 'medium', category: 'incident',
    subject: `Sin sockets ${Date.now()}`, description: 'La red de la oficina bloquea WebSocket.',
  });
  assert.equal(t.status, 201);
  const page = await newPage(browser, VIEWPORTS.phone);
  // A proxy that lets no WebSocket through: every one is closed as soon as it opens
  // (Chromium's URL blocking does not apply to WebSockets; Playwright's routing does).
  await page.context().routeWebSocket(/\/live$/, (ws) => { ws.close({ code: 1011, reason: 'blocked' }); });
  await signIn(page, 'carlos@alfa.mx');
  await page.goto(`/tickets/${t.json.id}`);
  await page.waitForSelector('[data-testid=live-link][data-state=down]');
  await page.waitForSelector('[data-bell-live="false"]', { state: 'attached' });
  // Ticket page: once the retries failed it says it is polling, and an agent's reply shows
  // up without a reload (the poll is every 15 s).
  const polling = locale('es').live.link_polling;
  await page.waitForFunction((text) => document.querySelector('[data-testid=live-link]')?.textContent.includes(text), polling, { timeout: 20_000 });
  const reply = `Respuesta sin socket ${Date.now()}`;
  assert.equal((await call(agent, 'POST', `/api/tickets/${t.json.id}/messages`, { body: reply })).status, 201);
  await page.waitForFunction((text) => document.body.textContent.includes(text), reply, { timeout: 40_000 });
  // The bell polls too (every 10 s): the confirmation and the reply.
  await page.waitForSelector('[data-bell-count="2"]', { state: 'attached', timeout: 30_000 });
  // The live line sends over HTTP while the socket is down.
  const line = `Enviado por HTTP ${Date.now()}`;
  await page.fill('[data-testid=live-input]', line);
  await page.click('[data-testid=live-send]');
  await page.waitForFunction(() => document.querySelector('[data-testid=live-input]')?.value === '');
  const stored = await call(agent, 'GET', `/api/tickets/${t.json.id}`);
  assert.ok(stored.json.messages.some((m) => m.body === line), 'stored as a ticket message');
  // A draft survives a reload.
  const draft = `Borrador ${Date.now()}`;
  await page.fill('[data-testid=live-input]', draft);
  await page.reload();
  await page.waitForSelector('[data-testid=live-input]');
  await page.waitForFunction((text) => document.querySelector('[data-testid=live-input]')?.value === text, draft);
  assert.equal(page.errors.length, 0, page.errors.join('\n'));
  await page.context().close();
});
