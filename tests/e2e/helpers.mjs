// Browser helpers: Debian Chromium driven by playwright-core against the running wrangler dev.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';

export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8788';
export const PASSWORD = 'demo1234';
export const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
};

/** Expected texts come from the app's own locale files. */
export const locale = (lang) =>
  JSON.parse(readFileSync(new URL(`../../app/locales/${lang}.json`, import.meta.url), 'utf8'));

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync',
    ],
  });
}

export async function newPage(browser, viewport, lang = 'es-MX') {
  const context = await browser.newContext({ viewport, locale: lang, baseURL: BASE });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.errors = errors;
  return page;
}

export async function signIn(page, email) {
  await page.goto('/entrar');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-nav="logout"]');
}

/** The data-nav values visible in the page's navigation. */
export async function navKeys(page) {
  return page.$$eval('nav [data-nav]', (els) => els.map((e) => e.getAttribute('data-nav')));
}
