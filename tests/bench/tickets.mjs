// Tickets scale benchmark (issue 5), run by `cargo xtask bench` against a `wrangler dev`
// whose D1 holds 100k tickets and ~1M messages. Not a test file (tests/bench is not run by
// `cargo xtask test`). Prints p50/p95/max per operation; never fails on the target.
//
//   BASE_URL=http://127.0.0.1:8795 BENCH_TICKET_ID=<id of the 200-message ticket> node tests/bench/tickets.mjs
import { login } from './session.mjs';
const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8795';
const N = Number(process.env.BENCH_N ?? 200);
const WARMUP = 5;
const TARGET_P95_MS = 50;

/** One timed request; the body is read in full before the clock stops. */
async function timed(method, path, cookie, { body, headers = {}, expect = 200 } = {}) {
  const h = { cookie, ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  const t0 = performance.now();
  const res = await fetch(BASE + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== expect) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  // The Worker's own time (Server-Timing: app;dur=…): handler + D1, no HTTP/dev-server overhead.
  const app = Number(/app;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN);
  return { ms, app, json: JSON.parse(text) };
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(name, fn) {
  for (let i = 0; i < WARMUP; i++) await fn(-1 - i);
  const times = [];
  const app = [];
  let last;
  for (let i = 0; i < N; i++) {
    const r = await fn(i);
    times.push(r.ms);
    if (!Number.isNaN(r.app)) app.push(r.app);
    last = r.json;
  }
  times.sort((a, b) => a - b);
  app.sort((a, b) => a - b);
  return {
    name, n: N, p50: pct(times, 50), p95: pct(times, 95), max: times[times.length - 1], last,
    appP50: app.length ? pct(app, 50) : NaN, appP95: app.length ? pct(app, 95) : NaN,
  };
}

const agent = await login(BASE, 'agente@demo.mx');
const ana = await login(BASE, 'ana@alfa.mx');

// The seeded ticket with 200 messages (xtask/src/bench_seed.rs: `ticket_id(BIG)`).
const bigId = process.env.BENCH_TICKET_ID ?? `a${(98000).toString(16).padStart(31, '0')}`;

const run = Date.now().toString(36);
// The floor of this machine's `wrangler dev`: no D1 at all, then one D1 query (the session).
const baseline = [
  await measure('baseline: GET /api/health (no D1)', () => timed('GET', '/api/health', agent)),
  await measure('baseline: GET /api/me (1 D1 query)', () => timed('GET', '/api/me', agent)),
];
const results = [];
results.push(await measure('GET /api/tickets (agent queue, page 1)', () => timed('GET', '/api/tickets', agent)));
results.push(
  await measure('GET /api/tickets?status=open&priority=high', () =>
    timed('GET', '/api/tickets?status=open&priority=high', agent),
  ),
);
results.push(await measure('GET /api/tickets/{id} (200 messages)', () => timed('GET', `/api/tickets/${bigId}`, agent)));
results.push(
  await measure('POST /api/tickets (Ana, new key each)', (i) =>
    timed('POST', '/api/tickets', ana, {
      expect: 201,
      headers: { 'Idempotency-Key': `bench-${run}-${i}` },
      body: {
        service_id: 's-alfa-email',
        priority: 'medium',
        category: 'incident',
        subject: `Benchmark: no puedo enviar correos ${run}-${i}`,
        description: 'Desde esta mañana Outlook marca error al enviar.',
      },
    }),
  ),
);

// A public staff reply on the 200-message ticket (issue 10: ≤ 4 D1 round trips).
results.push(
  await measure('POST /api/tickets/{id}/messages (agent reply)', (i) =>
    timed('POST', `/api/tickets/${bigId}/messages`, agent, {
      expect: 201,
      body: { body: `Seguimos revisando tu caso (${run}-${i}).` },
    }),
  ),
);

// Paid service (issue 13): a per-event ticket of Beto with an accepted quote; each time entry
// is one guarded batch, and the billing view reads offers, checklist, credentials, time and
// invoices in one batch.
const beto = await login(BASE, 'beto@beta.mx');
const paid = (
  await timed('POST', '/api/tickets', beto, {
    expect: 201,
    body: { service_id: 's-beta-domain', priority: 'high', category: 'support_case', subject: `Benchmark: configurar DNS ${run}`, description: 'Necesitamos configurar los registros del dominio.' },
  })
).json;
const priceItem = (await timed('GET', '/api/price-list', agent)).json.items[0];
const quote = (
  await timed('POST', `/api/tickets/${paid.id}/quotes`, agent, {
    expect: 201,
    body: { items: [{ price_item_id: priceItem.id, quantity: 1 }], payment_terms: 'Contado' },
  })
).json;
await timed('POST', `/api/tickets/${paid.id}/authorizations`, beto, { body: { offer_id: quote.id, decision: 'accept', accept_terms: true } });
results.push(
  await measure('POST /api/tickets/{id}/time (per event)', (i) =>
    timed('POST', `/api/tickets/${paid.id}/time`, agent, { expect: 201, body: { minutes: 30, note: `Bench ${run}-${i}` } }),
  ),
);
results.push(await measure('GET /api/tickets/{id}/billing (200+ entries)', () => timed('GET', `/api/tickets/${paid.id}/billing`, agent)));

const [queue, filtered, detail] = results;
console.log(
  `\n  queue total ${queue.last.total} tickets; filtered total ${filtered.last.total}; ` +
    `ticket ${detail.last.number} has ${detail.last.messages.length} messages visible to staff\n`,
);
const pad = (s, n) => String(s).padEnd(n);
const num = (x) => x.toFixed(1).padStart(8);
console.log(`  ${pad('operation', 46)} ${pad('n', 5)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}  ${'in Worker p50/p95'.padStart(18)}  target p95 ≤ ${TARGET_P95_MS} ms`);
console.log(`  ${'-'.repeat(46)} ${'-'.repeat(5)} ${'-'.repeat(8)} ${'-'.repeat(8)} ${'-'.repeat(8)}  ${'-'.repeat(18)}  ${'-'.repeat(22)}`);
for (const r of [...baseline, ...results]) {
  const verdict = baseline.includes(r) ? '(reference)' : r.p95 <= TARGET_P95_MS ? 'ok' : 'OVER TARGET';
  const inWorker = Number.isNaN(r.appP50) ? '—' : `${r.appP50.toFixed(1)} / ${r.appP95.toFixed(1)}`;
  console.log(`  ${pad(r.name, 46)} ${pad(r.n, 5)} ${num(r.p50)} ${num(r.p95)} ${num(r.max)}  ${inWorker.padStart(18)}  ${verdict}`);
}
console.log('  (in Worker = Server-Timing app;dur, the handler and its D1 round trips; the rest is HTTP and wrangler dev)');
