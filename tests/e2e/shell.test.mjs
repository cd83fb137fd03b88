// The SPA shell in real Chromium: sign-in per role on phone and desktop, language switch,
// deep links that survive a reload (issue #3).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, navKeys, locale, VIEWPORTS, SHOTS } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const ROLES = {
  ana: { email: 'ana@alfa.mx', landing: '/mis-tickets', has: ['my-tickets', 'new-ticket', 'kb', 'logout'], hasNot: ['queue', 'admin', 'login'] },
  agente: { email: 'agente@demo.mx', landing: '/cola', has: ['queue', 'kb', 'logout'], hasNot: ['admin', 'my-tickets', 'login'] },
  admin: { email: 'admin@demo.mx', landing: '/cola', has: ['queue', 'admin', 'kb', 'logout'], hasNot: ['my-tickets', 'login'] },
  beto: { email: 'beto@beta.mx', landing: '/mis-tickets', has: ['my-tickets', 'new-ticket', 'logout'], hasNot: ['queue', 'admin'] },
};

for (const [vpName, viewport] of Object.entries(VIEWPORTS)) {
  test(`anonymous navigation (${vpName})`, async () => {
    const page = await newPage(browser, viewport);
    await page.goto('/');
    await page.waitForSelector('nav [data-nav="login"]');
    const keys = await navKeys(page);
    for (const k of ['kb', 'policy', 'hours', 'login']) assert.ok(keys.includes(k), `${k} in ${keys}`);
    for (const k of ['queue', 'admin', 'my-tickets', 'logout']) assert.ok(!keys.includes(k), `${k} not in ${keys}`);
    await page.screenshot({ path: `${SHOTS}anon-home-${vpName}.png`, fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  for (const [who, role] of Object.entries(ROLES)) {
    test(`${who} signs in and sees the right navigation (${vpName})`, async () => {
      const page = await newPage(browser, viewport);
      await signIn(page, role.email);
      await page.waitForURL((u) => u.pathname === role.landing);
      const keys = await navKeys(page);
      for (const k of role.has) assert.ok(keys.includes(k), `${who}: ${k} in ${keys}`);
      for (const k of role.hasNot) assert.ok(!keys.includes(k), `${who}: ${k} not in ${keys}`);
      await page.screenshot({ path: `${SHOTS}${who}-landing-${vpName}.png`, fullPage: true });
      if (vpName === 'phone') {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `no horizontal scroll on a phone (overflow ${overflow}px)`);
      }
      // Signing out returns to the anonymous navigation.
      await page.click('[data-nav="logout"]');
      await page.waitForSelector('nav [data-nav="login"]');
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }
}

test('a client cannot open the staff queue', async () => {
  const page = await newPage(browser, VIEWPORTS.desktop);
  await signIn(page, 'beto@beta.mx');
  await page.goto('/cola');
  await page.waitForSelector('[data-error="403"]');
  await page.context().close();
});

test('wrong password shows the API message and stays on the form', async () => {
  const page = await newPage(browser, VIEWPORTS.phone);
  await page.goto('/entrar');
  await page.fill('#email', 'beto@beta.mx');
  await page.fill('#password', 'equivocada');
  await page.click('button[type=submit]');
  await page.waitForSelector('[role="alert"]');
  assert.match(await page.textContent('[role="alert"]'), /incorrect/i);
  assert.equal(new URL(page.url()).pathname, '/entrar');
  await page.context().close();
});

test('language: Spanish by default, English from the browser, switchable', async () => {
  const es = locale('es'), en = locale('en');
  const page = await newPage(browser, VIEWPORTS.desktop, 'es-MX');
  await page.goto('/');
  await page.waitForSelector('nav [data-nav="kb"]');
  assert.equal((await page.textContent('nav [data-nav="kb"]')).trim(), es.nav.kb);
  await page.click('[data-lang="en"]');
  await page.waitForFunction((t) => document.querySelector('nav [data-nav="kb"]')?.textContent.trim() === t, en.nav.kb);
  await page.screenshot({ path: `${SHOTS}home-en-desktop.png` });
  await page.context().close();

  const enPage = await newPage(browser, VIEWPORTS.phone, 'en-US');
  await enPage.goto('/');
  await enPage.waitForSelector('nav [data-nav="kb"]');
  assert.equal((await enPage.textContent('nav [data-nav="kb"]')).trim(), en.nav.kb);
  await enPage.context().close();
});

test('deep links survive a reload (SPA fallback) and unknown routes show the 404 page', async () => {
  const page = await newPage(browser, VIEWPORTS.phone);
  const res = await page.goto('/politica');
  assert.equal(res.status(), 200);
  await page.waitForSelector('#contacto');
  await page.reload();
  await page.waitForSelector('#contacto');
  await page.screenshot({ path: `${SHOTS}policy-phone.png`, fullPage: true });
  await page.goto('/no-existe/para-nada');
  await page.waitForSelector('[data-error="404"]');
  await page.context().close();
});
