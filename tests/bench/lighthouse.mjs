// Lighthouse (mobile: simulated Slow 4G and 4× CPU, Lighthouse's defaults) on every route of
// `cargo xtask bench-spa`: performance and accessibility scores and LCP. Run by the bench
// only, with Lighthouse installed there (`LIGHTHOUSE_DIR`, see xtask/src/spa.rs); not a
// test, never fails on a score. Signed-in routes carry the session cookie as an extra header
// (Lighthouse's documented way), and every route gets a fresh Chromium profile (cold cache).
// Prints one JSON line after a `LIGHTHOUSE:` marker for the caller.
//
//   LIGHTHOUSE_DIR=target/lighthouse BASE_URL=http://127.0.0.1:8797 node tests/bench/lighthouse.mjs
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { spaRoutes } from './spa-routes.mjs';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8797';
const dir = process.env.LIGHTHOUSE_DIR;
if (!dir) throw new Error('LIGHTHOUSE_DIR is not set');
const mod = (p) => import(pathToFileURL(join(dir, 'node_modules', p)).href);
const { default: lighthouse } = await mod('lighthouse/core/index.js');
const chromeLauncher = await mod('chrome-launcher/dist/index.js');

const routes = await spaRoutes(BASE);
const out = [];
// One audit in a fresh Chromium.
async function audit(path, cookie) {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const flags = {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}),
    };
    return (await lighthouse(BASE + path, flags)).lhr;
  } finally {
    chrome.kill();
  }
}

for (const [kind, path, cookie] of routes) {
  let lhr = await audit(path, cookie);
  // Lighthouse sometimes fails to record the trace (NO_NAVSTART, on this machine about one
  // route in twenty): once more, and the error stays in the report if it fails again.
  if (lhr.runtimeError) lhr = await audit(path, cookie);
  const r = {
    kind,
    path,
    perf: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    a11y: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
    lcp: lhr.audits['largest-contentful-paint']?.numericValue ?? null,
    fcp: lhr.audits['first-contentful-paint']?.numericValue ?? null,
    tbt: lhr.audits['total-blocking-time']?.numericValue ?? null,
    cls: lhr.audits['cumulative-layout-shift']?.numericValue ?? null,
    landed: new URL(lhr.finalDisplayedUrl ?? lhr.finalUrl ?? BASE + path).pathname,
    error: lhr.runtimeError?.message ?? null,
    // Accessibility audits that failed, by id (what keeps the score under 100).
    a11yFailed: (lhr.categories.accessibility?.auditRefs ?? [])
      .filter((a) => a.weight > 0 && lhr.audits[a.id]?.score === 0)
      .map((a) => a.id),
  };
  out.push(r);
  console.log(`  ${kind.padEnd(7)} ${path.slice(0, 40).padEnd(40)} performance ${String(r.perf).padStart(3)}  accessibility ${String(r.a11y).padStart(3)}  LCP ${(r.lcp / 1000).toFixed(2)} s  CLS ${(r.cls ?? 0).toFixed(3)}  TBT ${Math.round(r.tbt ?? 0)} ms${r.landed !== path ? `  (landed on ${r.landed})` : ''}${r.a11yFailed.length ? `  failed: ${r.a11yFailed.join(', ')}` : ''}${r.error ? `  ${r.error}` : ''}`);
}
console.log('LIGHTHOUSE:' + JSON.stringify(out));
