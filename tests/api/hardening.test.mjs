// Hardening found by probing the running system (issue 16): long query values, security
// headers, merges across requesters, fakeable public writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS, BASE } from './helpers.mjs';
import { createTicket, subject, MORE, SERVICES } from './tickets-helpers.mjs';

const as = (who) => login(ACCOUNTS[who] ?? MORE[who]);

test('ticket search: a long pasted subject finds the ticket (no 500 at 49+ bytes)', async () => {
  const ana = await as('ana');
  const long = subject(`Búsqueda larga ${'é'.repeat(30)} ${'x'.repeat(40)}`);
  const t = await createTicket(ana, { subject: long });
  for (const q of [long, long.toUpperCase().replace(/É/g, 'é'), 'é'.repeat(25), '%_\\'.repeat(20)]) {
    const res = await api('GET', `/api/tickets?q=${encodeURIComponent(q)}`, { cookie: ana });
    assert.equal(res.status, 200, `${q.length} chars: ${res.text}`);
  }
  const res = await api('GET', `/api/tickets?q=${encodeURIComponent(long)}`, { cookie: await as('agent') });
  assert.deepEqual(res.json.tickets.map((x) => x.id), [t.id]);
});

test('ticket search: q over 200 characters → 400 with field q', async () => {
  const agent = await as('agent');
  assert.equal((await api('GET', `/api/tickets?q=${'a'.repeat(200)}`, { cookie: agent })).status, 200);
  const res = await api('GET', `/api/tickets?q=${'a'.repeat(201)}`, { cookie: agent });
  assert.equal(res.status, 400, res.text);
  const e = errorOf(res);
  assert.equal(e.field, 'q');
  assert.ok(e.messages.es && e.messages.en);
});

test('every query and path parameter of every GET in the OpenAPI document survives 2,000 characters', async () => {
  const doc = (await api('GET', '/api/openapi.json')).json;
  assert.ok(doc?.paths, 'the OpenAPI document is served');
  const value = 'ñ%_\'"<>'.repeat(285).slice(0, 2000);
  const callers = { anonymous: undefined, admin: await as('admin'), client: await as('ana') };
  let calls = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    const op = item.get;
    if (!op) continue;
    const params = (op.parameters ?? []).filter((p) => p.in === 'query' || p.in === 'path');
    for (const p of params) {
      let url = path;
      const query = new URLSearchParams();
      for (const other of op.parameters ?? []) {
        if (other.in === 'path') url = url.replace(`{${other.name}}`, encodeURIComponent(other === p ? value : 'x'));
      }
      if (p.in === 'query') query.set(p.name, value);
      const target = `${url}${query.size ? `?${query}` : ''}`;
      for (const [who, cookie] of Object.entries(callers)) {
        const res = await api('GET', target, { cookie });
        calls += 1;
        assert.ok(res.status < 500, `${who} GET ${path} ${p.in}:${p.name} → ${res.status} ${res.text.slice(0, 300)}`);
      }
    }
  }
  assert.ok(calls > 40, `tried ${calls} calls`);
});

test('merge: refused across requesters where each client sees only their own tickets (Gamma), allowed for one requester', async () => {
  const agent = await as('agent');
  const gamma = { service_id: SERVICES.gammaSystem };
  const gabriela = await createTicket(await as('gabriela'), { ...gamma, description: 'Descripción privada de Gabriela.' });
  const gustavo = await createTicket(await as('gustavo'), gamma);
  const refused = await api('POST', `/api/tickets/${gabriela.id}/merge`, { cookie: agent, body: { into: gustavo.id } });
  assert.equal(refused.status, 422, refused.text);
  const e = errorOf(refused);
  assert.equal(e.field, 'into');
  assert.equal(e.code, 'different_requester');
  assert.ok(e.messages.es && e.messages.en);
  const seen = await api('GET', `/api/tickets/${gustavo.id}`, { cookie: await as('gustavo') });
  assert.ok(!seen.text.includes('Descripción privada de Gabriela'), 'nothing of Gabriela reached Gustavo');
  assert.equal((await api('GET', `/api/tickets/${gabriela.id}`, { cookie: agent })).json.status, 'new');
  const again = await createTicket(await as('gabriela'), gamma);
  const merged = await api('POST', `/api/tickets/${again.id}/merge`, { cookie: agent, body: { into: gabriela.id } });
  assert.equal(merged.status, 200, merged.text);
});

// A documentation address of its own, so the limits hit here do not slow other suites.
const attacker = { 'cf-connecting-ip': `203.0.113.${Math.floor(Math.random() * 200) + 1}` };

test('feedback: 600 anonymous votes with random voter keys store at most a few votes; the rest are rate limited', async () => {
  const before = (await api('GET', '/api/kb/articles/buzon-lleno')).json;
  const statuses = [];
  for (let round = 0; round < 6; round += 1) {
    const batch = Array.from({ length: 100 }, () => api('POST', '/api/kb/articles/buzon-lleno/feedback', {
      headers: attacker,
      body: { helpful: false, session: `bot-${Math.random().toString(36).slice(2)}-${Date.now()}` },
    }));
    statuses.push(...(await Promise.all(batch)).map((r) => r.status));
  }
  const after = (await api('GET', '/api/kb/articles/buzon-lleno')).json;
  // At most 5 new reader ids per address and minute, then the address itself: ≤ 6 votes per
  // fixed one-minute window, and the test may straddle two windows.
  assert.ok(after.helpful_no - before.helpful_no <= 12, `stored ${after.helpful_no - before.helpful_no} votes`);
  assert.ok(statuses.includes(429), 'some posts were refused');
  assert.ok(statuses.every((s) => s === 200 || s === 429), [...new Set(statuses)].join(','));
});

test('feedback: a forged reader cookie is not an identity', async () => {
  const ip = { 'cf-connecting-ip': `198.51.100.${Math.floor(Math.random() * 200) + 1}` };
  const post = (cookie, helpful) => api('POST', '/api/kb/articles/version-php/feedback', { headers: ip, cookie, body: { helpful } });
  const first = await post(undefined, true);
  assert.equal(first.status, 200, first.text);
  const reader = first.headers.get('set-cookie').split(';')[0];
  const changed = await post(reader, false);
  assert.equal(changed.json.helpful_yes, first.json.helpful_yes - 1, 'the signed reader changed its vote');
  const [id] = reader.split('=')[1].split('.');
  const forged = await post(`mds_reader=${id}.${'0'.repeat(32)}`, true);
  assert.equal(forged.status, 200);
  assert.ok(forged.headers.get('set-cookie'), 'a forged cookie gets a new id, not the old one');
  assert.equal(forged.json.helpful_no, changed.json.helpful_no, "the forged cookie did not change the reader's vote");
});

test('kb events and logged searches are rate limited per address; stored search text is capped', async () => {
  const statuses = [];
  for (let round = 0; round < 3; round += 1) {
    const batch = Array.from({ length: 50 }, (_, i) => api('POST', '/api/kb/events', {
      headers: attacker,
      body: { kind: 'suggested', session: `junk-${round}-${i}-${Date.now()}`, query: 'x'.repeat(5000) },
    }));
    statuses.push(...(await Promise.all(batch)).map((r) => r.status));
  }
  assert.ok(statuses.includes(429), 'events over the limit are refused');
  const limited = statuses.indexOf(429);
  assert.ok(limited > 0 && statuses.slice(0, limited).every((s) => s === 204), statuses.slice(0, 5).join(','));
  // Searches stay answered over the limit (only the log stops).
  const q = `zzjunk${Date.now().toString(36)}${'q'.repeat(300)}`;
  for (let i = 0; i < 80; i += 1) {
    const res = await api('GET', `/api/kb/search?q=${q}${i}`, { headers: attacker });
    assert.equal(res.status, 200);
  }
  const stats = await api('GET', '/api/kb/admin/stats?days=1', { cookie: await as('admin') });
  assert.equal(stats.status, 200, stats.text);
  const text = JSON.stringify(stats.json);
  assert.ok(!text.includes('q'.repeat(101)), 'no stored search text longer than 100 characters');
});

const SECURITY = {
  'content-security-policy': /default-src 'self'; script-src 'self' 'wasm-unsafe-eval';.*frame-ancestors 'none'/,
  'x-frame-options': /^DENY$/,
  'x-content-type-options': /^nosniff$/,
  'referrer-policy': /^strict-origin-when-cross-origin$/,
  'permissions-policy': /camera=\(\)/,
};

test('security headers on the SPA shell, static assets, KB pages, API answers and errors', async () => {
  const shell = await fetch(`${BASE}/`);
  const html = await shell.text();
  assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>\s*\S/.test(html), 'no inline script in the shell');
  const script = html.match(/<script[^>]*src="([^"]+)"/)?.[1];
  assert.ok(script, 'the shell loads its boot script from a file');
  const pages = {
    shell: shell,
    'SPA fallback': await fetch(`${BASE}/mis-tickets`),
    'boot script': await fetch(BASE + script),
    'KB page (SSR)': await fetch(`${BASE}/kb`),
    sitemap: await fetch(`${BASE}/sitemap.xml`),
    'API 200': await fetch(`${BASE}/api/health`),
    'API 401': await fetch(`${BASE}/api/me`),
    'API 404': await fetch(`${BASE}/api/no-such-thing`),
    'API 400': await fetch(`${BASE}/api/tickets?q=${'a'.repeat(300)}`, { headers: { cookie: await as('agent') } }),
  };
  const csp = {};
  for (const [what, res] of Object.entries(pages)) {
    for (const [name, re] of Object.entries(SECURITY)) {
      assert.match(res.headers.get(name) ?? '', re, `${what} (${res.status}): ${name}`);
    }
    // The server-rendered KB page adds the hashes of the stylesheets it inlines.
    csp[what] = res.headers.get('content-security-policy').replace(/ 'sha256-[A-Za-z0-9+/=]+'/g, '');
  }
  assert.equal(new Set(Object.values(csp)).size, 1, 'one policy for assets and Worker answers');
  const kb = await (await fetch(`${BASE}/kb`)).text();
  const styles = [...kb.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
  const { createHash } = await import('node:crypto');
  for (const css of styles) {
    const h = createHash('sha256').update(css).digest('base64');
    assert.ok(pages['KB page (SSR)'].headers.get('content-security-policy').includes(`'sha256-${h}'`), 'inlined CSS allowed by its hash');
  }
  // Plain-HTTP localhost: the Worker sends no HSTS.
  assert.equal(pages['API 200'].headers.get('strict-transport-security'), null);
  for (const what of ['API 401', 'API 404', 'API 400']) {
    assert.equal(pages[what].headers.get('content-type'), 'application/json; charset=utf-8', what);
    assert.equal(pages[what].headers.get('cache-control'), 'no-store', what);
  }
});
