// Knowledge-base search benchmark (issue 6), run by `cargo xtask bench-kb` against a
// `wrangler dev` whose D1 holds the real articles plus 10,000 generated ones
// (xtask/src/kb_bench.rs). Not a test file. Fires 200 mixed searches at
// `/api/kb/search?q=` the way the SPA does (search-as-you-type keystrokes with `log=0`, final
// queries logged) after a warm-up, and prints p50/p95/max overall and per kind, next to the
// floor of this machine's `wrangler dev` (GET /api/health, no D1). Never fails on the target.
//
//   BASE_URL=http://127.0.0.1:8796 node tests/bench/kb.mjs
const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8796';
const N = Number(process.env.BENCH_N ?? 200);
const WARMUP = 10;
const TARGET_P95_MS = 20;
const SID = 'benchkb0000';

// What readers type. `typing` entries are intermediate keystrokes (sent with log=0).
const QUERIES = {
  accentless: [
    'contrasena correo', 'configuracion outlook', 'facturacion softlik', 'poliza de soporte',
    'renovacion dominio', 'migracion hosting', 'pagina lenta', 'codigo de autorizacion',
    'sesion remota', 'version de php',
  ],
  accented: [
    'contraseña del correo', 'configuración del buzón', 'versión de PHP', 'respaldo automático',
    'propagación DNS', 'garantía de corrección',
  ],
  plurals: [
    'certificados', 'respaldos de bases de datos', 'dominios', 'registros dns', 'correos rebotados',
    'facturas', 'plugins', 'timbres',
  ],
  typos: [
    'contrasela', 'cetificado ssl', 'respaldoz', 'outlok', 'wordpres lento', 'dominoi', 'thunderbrid',
    'facturasion', 'renobar dominio', 'servidr',
  ],
  typing: [
    'con', 'conf', 'config', 'configu', 'configurar out', 'configurar outl', 'res', 'resp', 'respal',
    'cer', 'certi', 'word', 'wordp', 'cambiar contr', 'dns prop', 'softlik lic',
  ],
  multiword: [
    'no puedo enviar correos desde el iphone', 'mi sitio web carga muy lento',
    'como instalar certificado ssl en wordpress', 'error 500 despues de actualizar plugins',
    'transferir dominio a otro proveedor', 'timbres cfdi softlik nomina',
    'restaurar correos borrados de una fecha anterior', 'cuanto tarda la primera respuesta del soporte',
  ],
  'no result': ['xilófono', 'plomería urgente', 'zzzz qqq', 'receta de pozole', 'asdfgh', 'trampolín'],
};

/** The mixed sequence: kinds interleaved round-robin, each list cycled. */
function mix(n) {
  const kinds = Object.keys(QUERIES);
  const out = [];
  for (let i = 0; out.length < n; i++) {
    const kind = kinds[i % kinds.length];
    const list = QUERIES[kind];
    out.push({ kind, q: list[Math.floor(i / kinds.length) % list.length] });
  }
  return out;
}

function searchPath({ kind, q }) {
  const log = kind === 'typing' ? '&log=0' : '';
  return `/api/kb/search?limit=8&source=kb&q=${encodeURIComponent(q)}&sid=${SID}${log}`;
}

/** One timed request; the body is read in full before the clock stops. */
async function timed(path) {
  const t0 = performance.now();
  const res = await fetch(BASE + path);
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text.slice(0, 300)}`);
  // The Worker's own time for the search (Server-Timing: search;dur=…), without HTTP/dev-server overhead.
  const inWorker = Number(/search;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN);
  return { ms, json: JSON.parse(text), inWorker };
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function stats(name, times) {
  const s = [...times].sort((a, b) => a - b);
  return { name, n: s.length, p50: pct(s, 50), p95: pct(s, 95), max: s[s.length - 1] };
}

// Floor: the Worker without D1.
for (let i = 0; i < WARMUP; i++) await timed('/api/health');
const health = [];
for (let i = 0; i < N; i++) health.push((await timed('/api/health')).ms);

// Warm-up, not measured: every distinct query once (SQLite pages, the Worker's isolate).
const sequence = mix(N);
for (const [kind, list] of Object.entries(QUERIES)) for (const q of list) await timed(searchPath({ kind, q }));

const byKind = {};
const all = [];
const worker = [];
const seen = new Map();
for (const item of sequence) {
  const { ms, json, inWorker } = await timed(searchPath(item));
  all.push(ms);
  if (!Number.isNaN(inWorker)) worker.push(inWorker);
  (byKind[item.kind] ??= []).push(ms);
  seen.set(item.q, json);
}

const rows = [stats('GET /api/health (no D1, floor)', health), stats('search, all 200 mixed', all)];
for (const [kind, times] of Object.entries(byKind)) rows.push(stats(`  ${kind}`, times));
if (worker.length) rows.push(stats('search inside the Worker (Server-Timing)', worker));

const articles = seen.get('contrasena correo')?.total;
console.log(`\n  ${N} searches over the generated knowledge base; e.g.:`);
for (const q of ['contrasena correo', 'cetificado ssl', 'configurar outl', 'mi sitio web carga muy lento', 'xilófono']) {
  const r = seen.get(q);
  if (r) console.log(`    ${JSON.stringify(q).padEnd(32)} ${String(r.total).padStart(5)} matches; first: ${r.results[0]?.title ?? '—'}`);
}
if (articles === 0) console.log('  WARNING: no matches for a common query — is the index loaded?');
const pad = (s, n) => String(s).padEnd(n);
const num = (x) => x.toFixed(1).padStart(8);
console.log(`\n  ${pad('operation', 34)} ${pad('n', 5)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}  target p95 ≤ ${TARGET_P95_MS} ms`);
console.log(`  ${'-'.repeat(34)} ${'-'.repeat(5)} ${'-'.repeat(8)} ${'-'.repeat(8)} ${'-'.repeat(8)}  ${'-'.repeat(22)}`);
for (const r of rows) {
  const verdict = r === rows[0] ? '(reference)' : r === rows[1] || r.name.startsWith('search inside')
    ? (r.p95 <= TARGET_P95_MS ? 'ok' : 'OVER TARGET') : '';
  console.log(`  ${pad(r.name, 34)} ${pad(r.n, 5)} ${num(r.p50)} ${num(r.p95)} ${num(r.max)}  ${verdict}`);
}
