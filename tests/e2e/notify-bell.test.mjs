// The notification bell in Chromium (issue 11): the count rises after an agent reply
// (without reloading) and falls when the notices are read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, VIEWPORTS, SHOTS, BASE } from './helpers.mjs';

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
  await signIn(page, 'carlos@alfa.mx');
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
