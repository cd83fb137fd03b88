// Sweeps benchmark (issue 11), run by `cargo xtask bench` after tests/bench/tickets.mjs on
// the same `wrangler dev` (100k tickets; the seed's history has the sweeps run until a day
// ago, so the last day's deadlines are due). Not a test file. Prints, per run, the wall
// time and D1's own accounting recorded in `sweep_runs` (statements, D1 ms, rows read and
// written): the first run, the runs needed to catch up, and runs with nothing to do.
//
//   BASE_URL=http://127.0.0.1:8795 node tests/bench/sweeps.mjs
import { login } from './session.mjs';
const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8795';
const CRON = encodeURIComponent('*/5 * * * *');
const MAX_RUNS = Number(process.env.BENCH_SWEEP_RUNS ?? 400);
const TARGET_NOOP_D1_MS = 50;

const cookie = await login(BASE, 'admin@demo.mx');

const RULES = [
  'sla_at_risk', 'sla_breached', 'wait_reminders', 'auto_resolved', 'auto_closed', 'warranty_ended',
  'poliza_expiring', 'poliza_hours_low', 'poliza_expired', 'invoices_overdue',
];

/** One run through `/__scheduled`, then its `sweep_runs` row. */
async function sweep() {
  const t0 = performance.now();
  const res = await fetch(`${BASE}/__scheduled?cron=${CRON}`);
  await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`/__scheduled: ${res.status}`);
  const runs = await (await fetch(`${BASE}/api/admin/sweeps`, { headers: { cookie } })).json();
  const counts = JSON.parse(runs.runs[0].counts ?? '{}');
  const changed = RULES.reduce((n, k) => n + (counts[k] ?? 0), 0);
  return { ms, counts, changed, sent: (counts.mail?.sent ?? 0) + (counts.mail?.enqueued ?? 0) };
}

const line = (label, r) => {
  const d = r.counts.d1 ?? {};
  const dd = r.counts.d1_drain ?? {};
  const rules = RULES.filter((k) => r.counts[k]).map((k) => `${k} ${r.counts[k]}`).join(', ') || 'nothing changed';
  console.log(
    `  ${label.padEnd(22)} wall ${r.ms.toFixed(0).padStart(6)} ms · D1 ${String(d.statements ?? 0).padStart(4)} stmts ` +
      `${(d.d1_ms ?? 0).toFixed(1).padStart(7)} ms, read ${String(d.rows_read ?? 0).padStart(7)}, written ${String(d.rows_written ?? 0).padStart(6)}` +
      ` · mail queued ${r.counts.mail?.enqueued ?? 0} (dispatch D1 ${(dd.d1_ms ?? 0).toFixed(1)} ms) · ${rules}`,
  );
};

console.log('\n  sweeps: catching up from the seeded history (each run is bounded; the next takes the rest)');
const started = performance.now();
let runs = 0;
let total = 0;
let sent = 0;
let mailMs = 0;
let last;
for (; runs < MAX_RUNS; runs++) {
  last = await sweep();
  total += last.changed;
  sent += last.sent;
  if (last.sent) mailMs += last.ms;
  if (runs < 3 || last.changed === 0) line(`run ${runs + 1}`, last);
  if (last.changed === 0) break;
}
console.log(
  `  caught up after ${runs + 1} runs in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
    `${total} ticket/póliza/invoice changes, ${sent} outbox rows put on the queue`,
);
void mailMs;

const idle = [];
for (let i = 0; i < 10; i++) idle.push(await sweep());
idle.forEach((r, i) => i < 2 && line(`no-op run ${i + 1}`, r));
const d1 = idle.map((r) => r.counts.d1?.d1_ms ?? 0).sort((a, b) => a - b);
const wall = idle.map((r) => r.ms).sort((a, b) => a - b);
const read = Math.max(...idle.map((r) => r.counts.d1?.rows_read ?? 0));
const changedIdle = idle.reduce((n, r) => n + r.changed, 0);
console.log(
  `  no-op runs (10): D1 time median ${d1[5].toFixed(1)} ms, max ${d1[9].toFixed(1)} ms; wall median ${wall[5].toFixed(0)} ms; ` +
    `at most ${read} rows read; ${changedIdle} changes — target D1 ≤ ${TARGET_NOOP_D1_MS} ms: ` +
    (d1[9] <= TARGET_NOOP_D1_MS ? 'ok' : 'OVER TARGET'),
);

// Outbox throughput: MAIL messages to one recipient through the queue to the dev mailbox.
const MAIL = Number(process.env.BENCH_MAIL ?? 200);
const to = `bench-${Date.now().toString(36)}@example.com`;
const t0 = performance.now();
for (let i = 0; i < MAIL; i++) {
  const res = await fetch(`${BASE}/api/dev/mail`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ to, subject: `bench ${i}`, text: 'x', dedupe_key: `${to}-${i}` }),
  });
  if (res.status !== 202) throw new Error(`/api/dev/mail: ${res.status}`);
}
const queued = performance.now() - t0;
let got = 0;
while (performance.now() - t0 < 120_000) {
  const box = await (await fetch(`${BASE}/api/dev/mailbox?to=${encodeURIComponent(to)}`, { headers: { cookie } })).json();
  got = box.messages.length;
  if (got >= MAIL) break;
  await new Promise((r) => setTimeout(r, 200));
}
const secs = (performance.now() - t0) / 1000;
console.log(
  `  outbox: ${MAIL} e-mails enqueued in ${(queued / 1000).toFixed(1)} s, ${got} delivered through the queue ` +
    `to the dev mailbox in ${secs.toFixed(1)} s ≈ ${(got / secs).toFixed(0)} messages/s end to end`,
);
