// First contentful text of a knowledge-base article on a throttled phone (issue 6), run by
// `cargo xtask bench-kb` against its `wrangler dev`. Not a test file; never fails on a target.
//
// Chromium (Debian, via playwright-core) with a phone viewport, the cache disabled, 4× CPU
// slowdown and Chrome DevTools' "Slow 4G" network, loads one article
//   (a) as served: the Worker's server-rendered shell with the article in #ssr-content, and
//   (b) without SSR: the navigation is sent to `/` instead (the plain SPA shell, still over the
//       throttled network; the address bar keeps the article URL), so the SPA must download
//       its JS + WASM, boot and fetch the article from the API before any article text shows.
// Each variant runs RUNS times (interleaved); the medians are printed. Then the article
// route's first-load bytes: the HTML document and every JS/WASM/CSS it loads, compressed with
// brotli at quality 11 (node zlib), and the bytes Chromium actually transferred.
//
//   BASE_URL=http://127.0.0.1:8796 BENCH_ARTICLE=/kb/sitios-web/sitio-web-lento node tests/bench/fct.mjs
import { chromium } from 'playwright-core';
import { brotliCompressSync, constants } from 'node:zlib';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8796';
const ARTICLE = process.env.BENCH_ARTICLE ?? '/kb/sitios-web/sitio-web-lento';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TIMEOUT_MS = 180_000;

// Chrome DevTools' "Slow 4G" preset (named "Fast 3G" until May 2024, crbug.com/342406608),
// as defined in devtools-frontend front_end/core/sdk/NetworkManager.ts `Slow4GConditions`:
// ~1.6 Mbps down × 0.9, ~0.75 Mbps up × 0.9, 150 ms RTT × 3.75 (CDP throughput is bytes/s).
const SLOW_4G = {
  offline: false,
  latency: 150 * 3.75, // 562.5 ms
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9, // 180,000 B/s
  uploadThroughput: ((750 * 1000) / 8) * 0.9, // 84,375 B/s
};
const CPU_SLOWDOWN = 4;
// The project's phone viewport (tests/e2e/helpers.mjs VIEWPORTS.phone) as a touch device.
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

const slug = ARTICLE.split('/').pop();
const meta = await (await fetch(`${BASE}/api/kb/articles/${slug}`)).json();
const TITLE = meta.title;
if (!TITLE) throw new Error(`no article at ${ARTICLE}: ${JSON.stringify(meta).slice(0, 200)}`);

/**
 * Runs in the page before any of its scripts. Records (ms since navigation start):
 * fcp (first-contentful-paint), lcp (latest largest-contentful-paint candidate), titleDom (an
 * <h1> with the article title is in the DOM), titlePaint (its first paint, via Element
 * Timing: the observer tags the <h1> before it can be painted) and spa (the SPA's own
 * article view, `[data-testid=kb-article-title]`, has rendered).
 */
function observe(title) {
  const m = (window.__fct = {});
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (e.name === 'first-contentful-paint') m.fcp = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  new PerformanceObserver((l) => {
    const es = l.getEntries();
    m.lcp = es[es.length - 1].renderTime || es[es.length - 1].startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) {
      const t = e.renderTime || e.loadTime;
      if (e.identifier === 'kb-title' && t && !(m.titlePaint <= t)) m.titlePaint = t;
    }
  }).observe({ type: 'element', buffered: true });
  const check = () => {
    for (const h of document.getElementsByTagName('h1')) {
      if (h.textContent.trim() !== title) continue;
      if (!h.hasAttribute('elementtiming')) h.setAttribute('elementtiming', 'kb-title');
      m.titleDom ??= performance.now();
      if (m.spa === undefined && h.matches('[data-testid="kb-article-title"]')) m.spa = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
}

async function throttledPage(browser) {
  const context = await browser.newContext({ ...PHONE, locale: 'es-MX' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return { context, page, cdp };
}

/**
 * One cold load of the article; `ssr = false` serves the plain SPA shell instead. The bodies
 * are kept (by URL) so the sizes describe exactly what this load got, even if `dist/` is
 * rebuilt meanwhile.
 */
async function load(browser, ssr) {
  const { context, page, cdp } = await throttledPage(browser);
  const bodies = new Map();
  const pending = [];
  page.on('response', (r) => pending.push(r.body().then((b) => bodies.set(r.url(), b), () => {})));
  const transfers = new Map(); // requestId → { url, type, bytes }
  cdp.on('Network.requestWillBeSent', (e) => transfers.set(e.requestId, { url: e.request.url, type: e.type, bytes: 0 }));
  cdp.on('Network.loadingFinished', (e) => {
    const t = transfers.get(e.requestId);
    if (t) t.bytes = e.encodedDataLength;
  });
  await page.addInitScript(observe, TITLE);
  // Both variants go through the same interception, so they pay the same overhead.
  await page.route(
    (url) => url.pathname === ARTICLE,
    (route) => (ssr ? route.continue() : route.continue({ url: `${BASE}/` })),
  );
  await page.goto(BASE + ARTICLE, { waitUntil: 'commit', timeout: TIMEOUT_MS });
  await page.waitForFunction(() => window.__fct?.spa !== undefined && window.__fct.fcp !== undefined, null, {
    timeout: TIMEOUT_MS,
    polling: 100,
  });
  await page.waitForLoadState('load', { timeout: TIMEOUT_MS });
  await page.waitForTimeout(300); // let the last paint entries arrive
  const m = await page.evaluate(() => ({ ...window.__fct }));
  const path = new URL(page.url()).pathname;
  await Promise.all(pending);
  await context.close();
  if (path !== ARTICLE) throw new Error(`ended at ${path}, not ${ARTICLE}`);
  return { ...m, bodies, transfers: [...transfers.values()] };
}

/** CPU slowdown check: the same busy loop without and with throttling. */
async function cpuCheck(browser) {
  const loop = () => {
    const t0 = performance.now();
    let x = 0;
    for (let i = 0; i < 3e6; i++) x = (x * 31 + i) % 1000003;
    return performance.now() - t0 + x * 0;
  };
  const plain = await browser.newContext();
  const p = await plain.newPage();
  await p.goto(`${BASE}/api/health`);
  const fast = Math.min(await p.evaluate(loop), await p.evaluate(loop));
  await plain.close();
  const { context, page } = await throttledPage(browser);
  await page.goto(`${BASE}/api/health`);
  const slow = Math.min(await page.evaluate(loop), await page.evaluate(loop));
  await context.close();
  return { fast, slow };
}

const median = (xs) => {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : undefined;
};
const ms = (x) => (x === undefined ? '—'.padStart(8) : `${(x / 1000).toFixed(2)} s`.padStart(8));

function brotli(buf) {
  return brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
    '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync',
  ],
});
try {
  const cpu = await cpuCheck(browser);
  console.log(
    `\n  article ${ARTICLE} ("${TITLE}")\n` +
      `  phone ${PHONE.viewport.width}×${PHONE.viewport.height} @${PHONE.deviceScaleFactor}x, cache disabled, ` +
      `Slow 4G (${SLOW_4G.latency} ms, ${(SLOW_4G.downloadThroughput * 8) / 1000} kbit/s down, ` +
      `${(SLOW_4G.uploadThroughput * 8) / 1000} kbit/s up), CPU ${CPU_SLOWDOWN}× slower ` +
      `(busy loop ${cpu.fast.toFixed(0)} ms → ${cpu.slow.toFixed(0)} ms)`,
  );
  const runs = { ssr: [], csr: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const variant of ['ssr', 'csr']) {
      const r = await load(browser, variant === 'ssr');
      runs[variant].push(r);
      console.log(
        `    run ${i + 1} ${variant === 'ssr' ? 'with SSR   ' : 'without SSR'}  FCP ${ms(r.fcp)}  title painted ${ms(r.titlePaint)}` +
          `  title in DOM ${ms(r.titleDom)}  LCP ${ms(r.lcp)}  SPA article view ${ms(r.spa)}`,
      );
    }
  }
  const label = { ssr: '(a) as served, with SSR', csr: '(b) without SSR (plain SPA shell)' };
  console.log(`\n  median of ${RUNS}                        ${'FCP'.padStart(8)} ${'title'.padStart(8)} ${'LCP'.padStart(8)} ${'SPA view'.padStart(8)}`);
  for (const v of ['ssr', 'csr']) {
    const rs = runs[v];
    const f = (k) => ms(median(rs.map((r) => r[k])));
    console.log(`  ${label[v].padEnd(36)} ${f('fcp')} ${f('titlePaint')} ${f('lcp')} ${f('spa')}`);
  }
  console.log('  (title = first paint of the article title, Element Timing; SPA view = the SPA rendered its own article)');

  // First-load bytes of the article route as served (variant a), per response.
  const first = runs.ssr[0].transfers.filter((t) => t.bytes > 0 && ['Document', 'Script', 'Stylesheet', 'Fetch', 'Other'].includes(t.type));
  console.log(`\n  first load of ${ARTICLE} (as served)   ${'raw'.padStart(9)} ${'brotli 11'.padStart(9)} ${'transferred'.padStart(11)}`);
  const total = { raw: 0, br: 0, wire: 0, apiRaw: 0, apiBr: 0, apiWire: 0 };
  for (const t of first) {
    const u = new URL(t.url);
    if (u.origin !== BASE) continue;
    const isApi = u.pathname.startsWith('/api/');
    const body = runs.ssr[0].bodies.get(t.url) ?? Buffer.alloc(0);
    const br = brotli(body);
    if (isApi) {
      total.apiRaw += body.length;
      total.apiBr += br;
      total.apiWire += t.bytes;
    } else {
      total.raw += body.length;
      total.br += br;
      total.wire += t.bytes;
    }
    const name = `${isApi ? '(api) ' : ''}${u.pathname}${u.search}`.slice(0, 44);
    console.log(`    ${name.padEnd(44)} ${String(body.length).padStart(9)} ${String(br).padStart(9)} ${String(t.bytes).padStart(11)}`);
  }
  console.log(
    `    ${'TOTAL document + JS + WASM + CSS'.padEnd(44)} ${String(total.raw).padStart(9)} ${String(total.br).padStart(9)} ${String(total.wire).padStart(11)}`,
  );
  if (total.apiRaw)
    console.log(`    ${'  + the SPA\'s API calls'.padEnd(44)} ${String(total.apiRaw).padStart(9)} ${String(total.apiBr).padStart(9)} ${String(total.apiWire).padStart(11)}`);
  console.log('  (transferred = bytes on the wire incl. headers, as compressed by wrangler dev; brotli 11 = body compressed here)');
} finally {
  await browser.close();
}
