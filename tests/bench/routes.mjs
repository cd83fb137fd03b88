// First load of every kind of route on a throttled phone (issue 14), run by
// `cargo xtask bench-spa` against its `wrangler dev` (once per build: unsplit, split).
// Not a test file; never fails on a target.
//
// Each route is opened cold (new browser context, cache disabled) in Chromium with a phone
// viewport, 4× CPU slowdown and DevTools' "Slow 4G". Interactive = the route's page has its
// <h1> in <main> and nothing in <main> is still `aria-busy` (loading lines, KB takeover)
// and no WASM download is pending. Bytes = every same-origin response but the API's
// (document, JS, WASM, CSS) compressed here with brotli at quality 11; requests = the JS and
// WASM files fetched. Prints one JSON line per route after a `ROUTES:` marker for the caller.
//
//   BASE_URL=http://127.0.0.1:8797 node tests/bench/routes.mjs
import { chromium } from 'playwright-core';
import { brotliCompressSync, constants } from 'node:zlib';
import { spaRoutes } from './spa-routes.mjs';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8797';
const TIMEOUT_MS = 180_000;
// DevTools' "Slow 4G" (see fct.mjs) and 4× CPU.
const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: 180_000, uploadThroughput: 84_375 };
const CPU_SLOWDOWN = 4;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

const brotli = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

async function measure(browser, path, cookie) {
  const context = await browser.newContext({ ...PHONE, locale: 'es-MX' });
  if (cookie) {
    const [name, value] = cookie.split('=');
    await context.addCookies([{ name, value, url: BASE }]);
  }
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const bodies = [];
  const pending = new Set();
  page.on('request', (r) => { if (/\.wasm$/.test(r.url())) pending.add(r.url()); });
  page.on('requestfailed', (r) => pending.delete(r.url()));
  page.on('response', (r) => {
    const u = new URL(r.url());
    const done = r.body().then((b) => {
      pending.delete(r.url());
      if (u.origin === BASE && !u.pathname.startsWith('/api/')) bodies.push({ path: u.pathname, raw: b.length, br: brotli(b) });
    }, () => pending.delete(r.url()));
    bodies.pending = (bodies.pending ?? []).concat(done);
  });
  const t0 = Date.now();
  await page.goto(BASE + path, { waitUntil: 'commit', timeout: TIMEOUT_MS });
  await page.waitForFunction(() => {
    const main = document.querySelector('main');
    return main && main.querySelector('h1') && !main.querySelector('[aria-busy="true"]');
  }, null, { timeout: TIMEOUT_MS, polling: 50 });
  const ready = await page.evaluate(() => performance.now());
  while (pending.size) await page.waitForTimeout(50);
  await Promise.all(bodies.pending ?? []);
  const landed = new URL(page.url()).pathname;
  await context.close();
  const code = bodies.filter((b) => /\.(js|wasm)$/.test(b.path));
  return {
    path,
    landed,
    ms: Math.round(ready),
    wall: Date.now() - t0,
    br: bodies.reduce((a, b) => a + b.br, 0),
    raw: bodies.reduce((a, b) => a + b.raw, 0),
    requests: code.length,
    wasmBr: code.filter((b) => b.path.endsWith('.wasm')).reduce((a, b) => a + b.br, 0),
  };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync'],
});
try {
  const routes = await spaRoutes(BASE);
  const out = [];
  for (const [kind, path, cookie] of routes) {
    const r = { kind, ...(await measure(browser, path, cookie)) };
    out.push(r);
    console.log(`  ${kind.padEnd(7)} ${path.slice(0, 40).padEnd(40)} ${String(r.br).padStart(8)} B br  ${String(r.requests).padStart(3)} JS/WASM files  interactive ${(r.ms / 1000).toFixed(2)} s`);
  }
  console.log('ROUTES:' + JSON.stringify(out));
} finally {
  await browser.close();
}
