// Hardening found by probing the running system (issue 16): long query values, security
// headers, merges across requesters, fakeable public writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS } from './helpers.mjs';
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
