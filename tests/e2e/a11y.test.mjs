// Accessibility (issue 14: "accessibility stays 100"): axe-core's WCAG 2 A/AA rules on the
// public routes and on signed-in pages of each role, on a phone, in es-MX. Every violation
// is listed with its elements.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launch, signIn, VIEWPORTS, BASE } from './helpers.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** axe's violations on `path` once `ready` is on the page (CSP bypassed to inject axe only). */
async function violations(page, path, ready) {
  await page.goto(path);
  await page.waitForSelector(ready);
  await page.waitForLoadState('networkidle');
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`);
  });
}

async function context() {
  return browser.newContext({ viewport: VIEWPORTS.phone, locale: 'es-MX', baseURL: BASE, bypassCSP: true });
}

test('public routes: no WCAG 2.1 A/AA violation', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  for (const [path, ready] of [['/', 'main'], ['/entrar', '#email'], ['/politica', 'h1'], ['/horario', '[data-testid=holiday-kind]'], ['/kb', 'h1']]) {
    assert.deepEqual(await violations(page, path, ready), [], path);
  }
  await ctx.close();
});

test('signed-in pages of a client, an agent and an admin: no WCAG 2.1 A/AA violation', async () => {
  for (const [email, pages] of [
    ['ana@alfa.mx', [['/mis-tickets', 'h1'], ['/nuevo-ticket', 'h1'], ['/mi-poliza', 'h1']]],
    ['agente@demo.mx', [['/cola', 'h1'], ['/chats', 'h1']]],
    ['admin@demo.mx', [['/admin', 'h1'], ['/admin/facturas', 'h1']]],
  ]) {
    const ctx = await context();
    const page = await ctx.newPage();
    await signIn(page, email);
    for (const [path, ready] of pages) assert.deepEqual(await violations(page, path, ready), [], `${email} ${path}`);
    await ctx.close();
  }
});
