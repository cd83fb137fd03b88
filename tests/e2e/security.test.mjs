// The app under its Content-Security-Policy in real Chromium (issue 16): every page works
// with no CSP violation, and a page on another origin cannot frame it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, VIEWPORTS, BASE } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A page that records CSP violations (DOM events and console reports). */
async function watched() {
  const page = await newPage(browser, VIEWPORTS.desktop);
  page.violations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) page.violations.push(m.text()); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return page;
}

test('the SPA, the server-rendered KB and the staff pages run under the CSP without violations', async () => {
  const page = await watched();
  const home = await page.goto('/');
  assert.match(home.headers()['content-security-policy'] ?? '', /script-src 'self' 'wasm-unsafe-eval'/);
  await page.waitForSelector('nav [data-nav="login"]');
  await page.goto('/kb/correo/correo-iphone');
  await page.waitForSelector('[data-testid="kb-article-title"]');
  await signIn(page, 'admin@demo.mx');
  await page.goto('/cola');
  await page.waitForSelector('nav [data-nav="queue"]');
  await page.goto('/articulos/estadisticas');
  await page.waitForSelector('[data-testid="kb-stats-deflection"]');
  assert.deepEqual(page.violations, []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a page on another origin that frames the app is refused (frame-ancestors / X-Frame-Options)', async () => {
  const page = await watched();
  const evil = 'http://framer.invalid/';
  await page.route(evil, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><title>framer</title><iframe id="f" src="${BASE}/" width="800" height="600"></iframe>`,
  }));
  await page.goto(evil);
  await page.waitForTimeout(3000);
  const child = page.frames().find((f) => f !== page.mainFrame());
  assert.ok(child, 'the iframe exists');
  let rendered = false;
  try {
    rendered = (await child.locator('nav [data-nav]').count()) > 0;
  } catch { /* an error page: not rendered */ }
  assert.equal(rendered, false, `the app rendered inside a frame (${child.url()})`);
  assert.ok(page.violations.some((v) => /frame-ancestors/.test(v)) || !child.url().startsWith(BASE),
    `refused by the policy: ${page.violations.join(' | ')} ${child.url()}`);
  await page.context().close();
});
