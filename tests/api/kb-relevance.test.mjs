// Knowledge-base search relevance (issue #6): every query of tests/kb/relevance.json must have
// its expected article in the top 3. Prints the hit rate; asserts ≥ 95 %.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api } from './helpers.mjs';

const cases = JSON.parse(readFileSync(new URL('../kb/relevance.json', import.meta.url), 'utf8'));

test(`relevance: expected article in the top 3 for ≥ 95 % of ${cases.length} queries`, async () => {
  const misses = [];
  const times = [];
  for (const { q, expected } of cases) {
    const t = performance.now();
    const res = await api('GET', `/api/kb/search?q=${encodeURIComponent(q)}&limit=10&log=0`);
    times.push(performance.now() - t);
    assert.equal(res.status, 200, `${q}: ${res.text}`);
    const slugs = res.json.results.map((r) => r.slug);
    const rank = slugs.indexOf(expected);
    if (rank < 0 || rank > 2) misses.push(`  ✗ "${q}" → expected ${expected}, got [${slugs.slice(0, 3).join(', ')}] (rank ${rank < 0 ? '—' : rank + 1})`);
  }
  const hits = cases.length - misses.length;
  const rate = (100 * hits) / cases.length;
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(1);
  console.log(`\nKB relevance: ${hits}/${cases.length} in top 3 = ${rate.toFixed(1)} % (target ≥ 95 %); latency p50 ${pct(50)} ms, p95 ${pct(95)} ms`);
  if (misses.length) console.log(misses.join('\n'));
  assert.ok(rate >= 95, `hit rate ${rate.toFixed(1)} % < 95 %`);
});

test('accent, case and plural variants return the same top result', async () => {
  const top = async (q) => (await api('GET', `/api/kb/search?q=${encodeURIComponent(q)}&log=0`)).json.results[0]?.slug;
  const a = await top('configuración correo iphone');
  assert.equal(await top('CONFIGURACION CORREO IPHONE'), a);
  assert.equal(await top('configuracion correos iphone'), a);
  assert.equal(await top('contrasena correo'), await top('contraseña correo'));
  assert.equal(await top('certifcado ssl'), await top('certificado ssl'));
});
