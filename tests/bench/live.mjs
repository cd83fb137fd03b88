// Live chat fan-out (issue 15). Not a test file; run against a `wrangler dev` with the demo
// data (e.g. the one `cargo xtask dev` starts):
//
//   BASE_URL=http://127.0.0.1:8787 node tests/bench/live.mjs
//
// 1. Fan-out latency: Ana sends 500 messages into a ticket's socket, one at a time; each is
//    timed from `send` until the agent's socket receives it (stored in D1 first, then
//    broadcast), p50/p95/max.
// 2. Idle sockets: opens LIVE_IDLE (75) sockets, one per person (Ana, Carlos, Susana, the
//    agent, the admin) on each of 15 tickets — a person may hold 16 in all — timing each
//    upgrade (authorization, the person's lease, the ticket's object, the settle) and
//    reports the resident memory of the local workerd processes before and after (a rough upper bound of the
//    cost of an idle connection: locally the object is not evicted the way Cloudflare
//    hibernates it, so this is the price of a socket held by the runtime, not of a running
//    object).
import { readdirSync, readFileSync } from 'node:fs';
import { login } from './session.mjs';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8787';
const N = Number(process.env.LIVE_N ?? 500);
const IDLE = Number(process.env.LIVE_IDLE ?? 75);
const WS = BASE.replace(/^http/, 'ws');

const pct = (s, p) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];

function open(cookie, id) {
  const ws = new WebSocket(`${WS}/api/tickets/${id}/live`, { headers: { cookie, origin: BASE } });
  const s = { ws, handlers: new Set() };
  ws.addEventListener('message', (e) => { const f = JSON.parse(e.data); for (const h of s.handlers) h(f); });
  return new Promise((resolve, reject) => {
    ws.addEventListener('open', () => resolve(s));
    ws.addEventListener('error', () => reject(new Error('handshake refused')));
  });
}

async function ticket(cookie, subject) {
  const res = await fetch(`${BASE}/api/tickets`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ service_id: 's-alfa-email', priority: 'medium', category: 'question', subject, description: 'Benchmark del chat en vivo.' }),
  });
  if (res.status !== 201) throw new Error(`ticket: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}

/** Resident memory (KiB) of the workerd process `WORKERD_PID`, else of every workerd here. */
function workerdRss() {
  let kb = 0;
  const pids = process.env.WORKERD_PID ? [process.env.WORKERD_PID] : readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('workerd')) continue;
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch { /* gone */ }
  }
  return kb;
}

const ana = await login(BASE, 'ana@alfa.mx');
const carlos = await login(BASE, 'carlos@alfa.mx');
const admin = await login(BASE, 'admin@demo.mx');
const agent = await login(BASE, 'agente@demo.mx');
const susana = await login(BASE, 'susana@alfa.mx');
const id = await ticket(ana, `Benchmark chat ${Date.now()}`);
const receiver = await open(agent, id);
// Each socket may send a burst of 30 (then one per 2 s): 19 senders take turns, one message
// in flight at a time, so every send is timed on its own and none waits for the limit.
const senders = [];
for (const [who, n] of [[ana, 5], [carlos, 5], [admin, 5], [agent, 4]]) {
  for (let k = 0; k < n; k++) senders.push(await open(who, id));
}
await new Promise((r) => setTimeout(r, 300));

const times = [];
for (let i = -10; i < N; i++) {
  const body = `fan-out ${i} ${Date.now()}`;
  const got = new Promise((resolve) => {
    const h = (f) => { if (f.type === 'message' && f.message.body === body) { receiver.handlers.delete(h); resolve(); } };
    receiver.handlers.add(h);
  });
  const t0 = performance.now();
  senders[(i + 10) % senders.length].ws.send(JSON.stringify({ type: 'send', body }));
  await got;
  if (i >= 0) times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(`fan-out over ${N} messages (send → other socket, stored first): p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`);
for (const s of senders) s.ws.close();
receiver.ws.close();

// Idle sockets.
await new Promise((r) => setTimeout(r, 1000));
const before = workerdRss();
const people = [ana, carlos, susana, agent, admin];
const idle = [];
const upgrades = [];
for (let t = 0; idle.length < IDLE; t++) {
  const tid = await ticket(ana, `Benchmark sockets ${Date.now()}-${t}`);
  for (const p of people) {
    if (idle.length >= IDLE) break;
    const t0 = performance.now();
    idle.push(await open(p, tid));
    upgrades.push(performance.now() - t0);
  }
}
upgrades.sort((a, b) => a - b);
console.log(`upgrade (handshake → open, with the person's lease) over ${upgrades.length} sockets: p50 ${pct(upgrades, 50).toFixed(1)} ms, p95 ${pct(upgrades, 95).toFixed(1)} ms`);
await new Promise((r) => setTimeout(r, 3000));
const afterOpen = workerdRss();
console.log(`idle sockets: ${IDLE} open, workerd RSS ${(before / 1024).toFixed(1)} → ${(afterOpen / 1024).toFixed(1)} MiB, ≈ ${((afterOpen - before) / IDLE).toFixed(1)} KiB per socket (local runtime, objects not evicted)`);
for (const s of idle) s.ws.close();
