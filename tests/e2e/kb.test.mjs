// Knowledge base and office hours in real Chromium (issues 6 and 4, SPA part):
// an anonymous reader on a phone searches and reads, deep links survive a reload and the
// server-rendered content is taken over without duplicates, feedback, the hours page with
// its year switcher, and staff authoring (draft → live preview → publish → found by readers).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, locale, VIEWPORTS, SHOTS, BASE } from './helpers.mjs';

const es = locale('es');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const ARTICLE = '/kb/correo/correo-iphone';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Types like a person (one key at a time), so the search-as-you-type path is exercised. */
async function typeSearch(page, text) {
  await page.click('[data-testid="kb-search-input"]');
  await page.keyboard.type(text, { delay: 60 });
}

/** The SPA has taken over: its own article is shown, the server copy is gone, one <h1>. */
async function assertTakenOver(page) {
  await page.waitForSelector('[data-testid="kb-article-title"]');
  assert.equal(await page.locator('#ssr-content').count(), 0, 'server-rendered copy removed');
  assert.equal(await page.locator('h1').count(), 1, 'exactly one <h1>');
}

test('anonymous reader on a phone searches "correo iphone" and opens the right article', async () => {
  const page = await newPage(browser, VIEWPORTS.phone);
  await page.goto('/kb');
  await page.waitForSelector('[data-testid="kb-home"]');
  assert.equal(await page.locator('#ssr-content').count(), 0);
  await typeSearch(page, 'correo iphone');
  await page.waitForSelector('[data-testid="kb-result"]');
  const slugs = await page.$$eval('[data-testid="kb-result"]', (els) => els.map((e) => e.dataset.slug));
  assert.ok(slugs.slice(0, 3).includes('correo-iphone'), `correo-iphone in the top 3: ${slugs}`);
  // Highlighted snippet: built as <mark> elements, never raw markup.
  assert.ok(await page.locator('[data-testid="kb-result"] mark').count() > 0, 'matched words highlighted');
  assert.equal(await page.locator('[data-testid="kb-result"] script').count(), 0);
  // The address carries the query: a reload shows the same results.
  await page.waitForURL((u) => u.searchParams.get('q') === 'correo iphone');
  await page.screenshot({ path: `${SHOTS}kb-search-phone.png`, fullPage: true });

  await page.click('[data-testid="kb-result"][data-slug="correo-iphone"] a');
  await page.waitForURL((u) => u.pathname === ARTICLE);
  await assertTakenOver(page);
  assert.match(await page.textContent('[data-testid="kb-article-title"]'), /iPhone/i);
  assert.match(await page.title(), /iPhone/i, 'document.title is the article title');
  assert.ok((await page.textContent('[data-testid="kb-article-body"]')).length > 200, 'article body rendered');
  assert.equal(await page.locator('[data-testid="kb-breadcrumbs"] a').count(), 2, 'KB › category › article');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scroll on a phone (overflow ${overflow}px)`);
  await page.screenshot({ path: `${SHOTS}kb-article-phone.png`, fullPage: true });

  await page.reload();
  await page.waitForSelector('[data-testid="kb-article-title"]');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('search results survive a reload of /kb?q=', async () => {
  const page = await newPage(browser, VIEWPORTS.phone);
  await page.goto('/kb?q=contrasena%20correo');
  await page.waitForSelector('[data-testid="kb-result"]');
  assert.equal(await page.inputValue('[data-testid="kb-search-input"]'), 'contrasena correo');
  assert.equal(await page.locator('#ssr-content').count(), 0);
  await page.context().close();
});

test('article deep link: readable without JavaScript, taken over cleanly with it, survives reload', async () => {
  // Without JavaScript the Worker's HTML already has the article.
  const ctx = await browser.newContext({ viewport: VIEWPORTS.phone, javaScriptEnabled: false, baseURL: BASE });
  const noJs = await ctx.newPage();
  await noJs.goto(ARTICLE);
  assert.equal(await noJs.locator('#ssr-content h1').count(), 1);
  await noJs.screenshot({ path: `${SHOTS}kb-article-nojs-phone.png`, fullPage: true });
  await ctx.close();

  const page = await newPage(browser, VIEWPORTS.phone);
  await page.goto(ARTICLE);
  await assertTakenOver(page);
  const title = await page.textContent('[data-testid="kb-article-title"]');
  await page.reload();
  await assertTakenOver(page);
  assert.equal(await page.textContent('[data-testid="kb-article-title"]'), title);
  assert.equal(new URL(page.url()).pathname, ARTICLE);
  // Related articles link within the SPA.
  const related = page.locator('[data-testid="kb-related-item"] a').first();
  if (await related.count()) {
    const href = await related.getAttribute('href');
    await related.click();
    await page.waitForURL((u) => u.pathname === href);
    await page.waitForFunction((h) => document.querySelector('[data-testid="kb-article-page"]')?.dataset.slug === h.split('/').pop(), href);
    assert.equal(await page.locator('h1').count(), 1);
  }
  // A category page and the home, loaded directly.
  await page.goto('/kb/correo');
  await page.waitForSelector('[data-testid="kb-category-page"]');
  assert.equal(await page.locator('#ssr-content').count(), 0);
  assert.equal(await page.locator('h1').count(), 1);
  assert.ok(await page.locator('[data-testid="kb-article-link"]').count() >= 3);
  // Unknown article: a 404 page inside the KB, no leftovers.
  await page.goto('/kb/correo/no-existe-este-articulo');
  await page.waitForSelector('[data-testid="kb-not-found"]');
  assert.equal(await page.locator('#ssr-content').count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('feedback: "¿Te ayudó este artículo?" Sí, and No with a comment', async () => {
  const page = await newPage(browser, VIEWPORTS.phone);
  await page.goto(ARTICLE);
  await page.waitForSelector('[data-testid="kb-feedback"]');
  assert.equal((await page.textContent('.kb-feedback-q')).trim(), es.kb.helpful_q);
  const answer = page.waitForResponse((r) => r.url().includes('/feedback') && r.request().method() === 'POST');
  await page.click('[data-testid="kb-helpful-yes"]');
  assert.equal((await answer).status(), 200);
  await page.waitForSelector('[data-testid="kb-feedback-thanks"]');
  assert.equal((await page.textContent('[data-testid="kb-feedback-thanks"]')).trim(), es.kb.thanks_yes);
  // Remembered after a reload.
  await page.reload();
  await page.waitForSelector('[data-testid="kb-feedback-thanks"]');
  await page.context().close();

  const other = await newPage(browser, VIEWPORTS.desktop);
  await other.goto('/kb/correo');
  await other.waitForSelector('[data-testid="kb-article-link"]');
  await other.click('[data-testid="kb-article-link"] a >> nth=0');
  await other.waitForSelector('[data-testid="kb-helpful-no"]');
  await other.click('[data-testid="kb-helpful-no"]');
  await other.waitForSelector('[data-testid="kb-comment"]');
  await other.fill('[data-testid="kb-comment"]', 'Faltan capturas de pantalla del paso 3.');
  await other.click('.kb-comment button[type=submit]');
  await other.waitForSelector('[data-testid="kb-comment-sent"]');
  await other.screenshot({ path: `${SHOTS}kb-feedback-desktop.png`, fullPage: true });
  assert.deepEqual(other.errors, []);
  await other.context().close();
});

test('office hours: open or closed now, holidays of the year, previous and next year', async () => {
  const page = await newPage(browser, VIEWPORTS.phone);
  await page.goto('/horario');
  await page.waitForSelector('[data-testid="hours-status"]');
  const open = await page.getAttribute('[data-testid="hours-status"]', 'data-open');
  const state = (await page.textContent('.open-state')).trim();
  assert.equal(state, open === 'true' ? es.hours.open_now : es.hours.closed_now);
  assert.match(await page.textContent('[data-testid="hours-next"]'), /\d\d:\d\d/);
  assert.match(await page.textContent('[data-testid="hours-time"]'), /09:00.*18:00/);

  await page.waitForSelector('[data-testid="holiday"]');
  const year = Number(await page.getAttribute('[data-testid="holiday-year"]', 'data-year'));
  assert.ok(year >= 2026);
  const dates = await page.$$eval('[data-testid="holiday"]', (els) => els.map((e) => e.dataset.date));
  assert.ok(dates.length >= 7, `at least the 7 fixed/Monday holidays: ${dates}`);
  assert.ok(dates.includes(`${year}-01-01`) && dates.includes(`${year}-09-16`) && dates.includes(`${year}-12-25`));
  const kinds = await page.$$eval('[data-testid="holiday"]', (els) => els.map((e) => e.dataset.kind));
  assert.ok(kinds.includes('statutory'));
  assert.equal((await page.textContent('[data-testid="holiday-kind"] >> nth=0')).trim(), es.hours.kind_statutory);
  await page.screenshot({ path: `${SHOTS}hours-phone.png`, fullPage: true });

  // Next year, e.g. 2030 has Oct 1 (presidential transition), 2027 does not.
  await page.click('[data-testid="year-next"]');
  await page.waitForURL((u) => u.searchParams.get('anio') === String(year + 1));
  await page.waitForSelector(`[data-testid="holiday"][data-date="${year + 1}-01-01"]`);
  assert.equal(await page.getAttribute('[data-testid="holiday-year"]', 'data-year'), String(year + 1));
  // The chosen year survives a reload.
  await page.reload();
  await page.waitForSelector(`[data-testid="holiday"][data-date="${year + 1}-01-01"]`);
  await page.click('[data-testid="year-prev"]');
  await page.click('[data-testid="year-prev"]');
  await page.waitForSelector(`[data-testid="holiday"][data-date="${year - 1}-01-01"]`);

  await page.goto('/horario?anio=2030');
  await page.waitForSelector('[data-testid="holiday"][data-date="2030-10-01"]');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scroll on a phone (overflow ${overflow}px)`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('staff write a draft with live preview, publish it, and an anonymous reader finds it', async () => {
  // A word no other article has: letters only, different on every run.
  const word = 'zq' + Date.now().toString(36).replace(/[0-9]/g, (d) => 'abcdefghij'[d]);
  const title = `Configurar el buzón ${word} en la oficina`;
  const staff = await newPage(browser, VIEWPORTS.desktop);
  await signIn(staff, 'agente@demo.mx');
  await staff.click('[data-nav="kb-admin"]');
  await staff.waitForSelector('[data-testid="kb-admin-list"]');
  assert.ok(await staff.locator('[data-testid="kb-admin-item"]').count() >= 40);
  await staff.click('[data-testid="kb-admin-new"]');
  await staff.waitForSelector('[data-testid="kb-editor"]');
  await staff.fill('[data-testid="kb-title"]', title);
  assert.match(await staff.inputValue('[data-testid="kb-slug"]'), new RegExp(`^configurar-el-buzon-${word}`));
  await staff.selectOption('[data-testid="kb-category"]', 'correo');
  await staff.fill('[data-testid="kb-summary"]', `Pasos para dejar listo el buzón ${word}.`);
  await staff.fill('[data-testid="kb-body"]',
    `## Antes de empezar\n\nTenga a la mano su **contraseña** del buzón ${word}.\n\n1. Abra la aplicación.\n2. Elija *Agregar cuenta*.\n\n<script>alert(1)</script>`);
  // Live preview comes from the server, sanitized.
  await staff.waitForSelector('[data-testid="kb-preview"] strong');
  assert.equal(await staff.textContent('[data-testid="kb-preview"] h2'), 'Antes de empezar');
  assert.equal(await staff.locator('[data-testid="kb-preview"] script').count(), 0);
  // An image: a GIF named .png is refused in the browser; the PNG is uploaded and its
  // Markdown lands in the body, so the preview shows it.
  await staff.setInputFiles('[data-testid="kb-images"] [data-testid="file-input"]', [
    { name: 'falso.png', mimeType: 'image/png', buffer: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'binary') },
    { name: 'buzon.png', mimeType: 'image/png', buffer: PNG },
  ]);
  await staff.waitForSelector('[data-testid="kb-images"] [data-testid="file-rejected"]');
  await staff.waitForSelector('[data-testid="kb-preview"] img[src^="/api/kb/images/"]');
  assert.match(await staff.inputValue('[data-testid="kb-body"]'), /!\[buzon\]\(\/api\/kb\/images\/[0-9a-f]+\)/);
  await staff.selectOption('[data-testid="kb-related-add"]', 'correo-iphone');
  await staff.waitForSelector('[data-testid="kb-related-chip"][data-slug="correo-iphone"]');
  await staff.check('[data-testid="kb-status-draft"]');
  await staff.click('[data-testid="kb-save"]');
  await staff.waitForSelector('[data-testid="kb-saved"]');
  await staff.waitForURL((u) => u.pathname.startsWith('/articulos/editar/'));
  const slug = new URL(staff.url()).pathname.split('/').pop();
  await staff.screenshot({ path: `${SHOTS}kb-editor-desktop.png`, fullPage: true });

  // A draft is invisible to anonymous readers.
  const reader = await newPage(browser, VIEWPORTS.phone);
  const draft = await reader.request.get(`/api/kb/articles/${slug}`);
  assert.equal(draft.status(), 404);

  // Publish.
  await staff.check('[data-testid="kb-status-published"]');
  await staff.click('[data-testid="kb-save"]');
  await staff.waitForSelector('[data-testid="kb-saved-link"]');
  await staff.goto('/articulos');
  await staff.waitForSelector(`[data-testid="kb-admin-item"][data-slug="${slug}"][data-status="published"]`);

  // The reader finds it by searching and opens it.
  await reader.goto('/kb');
  await reader.waitForSelector('[data-testid="kb-home"]');
  await typeSearch(reader, word);
  await reader.waitForSelector(`[data-testid="kb-result"][data-slug="${slug}"]`);
  await reader.click(`[data-testid="kb-result"][data-slug="${slug}"] a`);
  await reader.waitForURL((u) => u.pathname === `/kb/correo/${slug}`);
  await reader.waitForSelector('[data-testid="kb-article-title"]');
  assert.equal((await reader.textContent('[data-testid="kb-article-title"]')).trim(), title);
  assert.equal(await reader.locator('[data-testid="kb-article-body"] script').count(), 0);
  // The image is served to the anonymous reader and decodes.
  await reader.waitForFunction(() => {
    const img = document.querySelector('[data-testid="kb-article-body"] img');
    return img && img.complete && img.naturalWidth === 1;
  });
  assert.ok(await reader.locator(`[data-testid="kb-related-item"][data-slug="correo-iphone"]`).count() === 1);
  await reader.screenshot({ path: `${SHOTS}kb-new-article-phone.png`, fullPage: true });

  // Stats page renders for staff.
  await staff.goto('/articulos/estadisticas');
  await staff.waitForSelector('[data-testid="kb-stats-deflection"]');
  await staff.screenshot({ path: `${SHOTS}kb-stats-desktop.png`, fullPage: true });
  assert.deepEqual(staff.errors, []);
  assert.deepEqual(reader.errors, []);
  await staff.context().close();
  await reader.context().close();
});

test('a client cannot open the authoring pages', async () => {
  const page = await newPage(browser, VIEWPORTS.phone);
  await signIn(page, 'ana@alfa.mx');
  await page.goto('/articulos');
  await page.waitForSelector('[data-error="403"]');
  await page.context().close();
});

test('deflection: the ticket form suggestion, the article opened from it and the ticket are one journey', async () => {
  const page = await newPage(browser, VIEWPORTS.desktop);
  await signIn(page, 'carlos@alfa.mx');
  const events = [];
  page.context().on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/kb/events') events.push(JSON.parse(r.postData()));
  });
  await page.goto('/nuevo-ticket');
  await page.waitForSelector('[data-testid="service-option"]');
  await page.check('[data-testid="service-option"][data-kind="email"] input');
  await page.check('[data-testid="category-option"][data-category="incident"] input');
  await page.check('[data-testid="priority-option"][data-priority="low"] input');
  await page.fill('[data-testid="subject"]', 'No puedo configurar el correo en mi iPhone');
  const suggestion = page.locator('[data-testid="kb-suggestions"] a', { hasText: /iPhone/ }).first();
  await suggestion.waitFor();
  // The suggestion opens in a new tab; the visit id is shared with it.
  const [tab] = await Promise.all([page.context().waitForEvent('page'), suggestion.click()]);
  await tab.waitForSelector('[data-testid="kb-article-title"]');
  await tab.close();
  await page.fill('[data-testid="description"]', 'Sigo los pasos del artículo y me pide la contraseña una y otra vez.');
  await page.click('[data-testid="submit-ticket"]');
  const done = await page.waitForSelector('[data-testid="ticket-created"]');
  const ticketId = await done.getAttribute('data-id');
  for (let i = 0; i < 50 && !events.some((e) => e.kind === 'ticket_submitted'); i++) await page.waitForTimeout(100);

  const suggested = events.find((e) => e.kind === 'suggested');
  const viewed = events.find((e) => e.kind === 'article_view');
  const submitted = events.find((e) => e.kind === 'ticket_submitted');
  assert.ok(suggested && viewed && submitted, JSON.stringify(events));
  assert.equal(viewed.session, suggested.session, 'article view in the new tab belongs to the same visit');
  assert.equal(submitted.session, suggested.session, 'the submitted ticket closes the same visit');
  assert.equal(submitted.ticket_id, ticketId);
  // The next ticket form is a new journey.
  assert.equal(await page.evaluate(() => localStorage.getItem('kb_sid')), null);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
