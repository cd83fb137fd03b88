// Companies admin list at 5,000 companies (issue 12: "fast at 5,000 companies"), run by
// `cargo xtask bench` on the benchmark database (xtask/src/bench_seed.rs seeds them).
// Not a test file. Prints p50/p95 per query over HTTP and inside the Worker.
//
//   BASE_URL=http://127.0.0.1:8795 node tests/bench/companies.mjs
import { login } from './session.mjs';
const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8795';
const N = Number(process.env.BENCH_N ?? 100);

const cookie = await login(BASE, 'admin@demo.mx');

const pct = (s, p) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];

async function measure(name, path) {
  const http = [];
  const app = [];
  let last;
  for (let i = -3; i < N; i++) {
    const t0 = performance.now();
    const res = await fetch(BASE + path, { headers: { cookie } });
    const body = await res.json();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    if (i < 0) continue;
    http.push(ms);
    const a = Number(/app;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN);
    if (!Number.isNaN(a)) app.push(a);
    last = body;
  }
  http.sort((a, b) => a - b);
  app.sort((a, b) => a - b);
  const inWorker = app.length ? `${pct(app, 50).toFixed(1)} / ${pct(app, 95).toFixed(1)}` : '—';
  console.log(
    `  ${name.padEnd(44)} total ${String(last.total).padStart(5)}  p50 ${pct(http, 50).toFixed(1).padStart(6)} ms  ` +
      `p95 ${pct(http, 95).toFixed(1).padStart(6)} ms  in Worker p50/p95 ${inWorker} ms`,
  );
}

console.log(`\n  companies admin list (${N} requests each)`);
await measure('GET /api/admin/companies (page 1)', '/api/admin/companies');
await measure('GET /api/admin/companies?page=150', '/api/admin/companies?page=150');
await measure('?q=grupo (a word of ~800 names)', '/api/admin/companies?q=grupo');
await measure('?q=talleres 4325 (one company)', '/api/admin/companies?q=talleres%204325');
await measure('?q=BEN0042 (RFC prefix)', '/api/admin/companies?q=BEN0042');
