// Issue 15: wrangler dev restarted (this phase runs a new one on the same local state):
// the messages a live socket stored before are all in the ticket, and a new socket works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, login, ACCOUNTS } from '../api/helpers.mjs';
import { openLive, waitFor } from '../api/live-helpers.mjs';
import { createTicket } from '../api/tickets-helpers.mjs';

test('after a restart the live messages are in the ticket and a new socket sends', async (t) => {
  let saved;
  try { saved = JSON.parse(readFileSync(new URL('../out/live-restart.json', import.meta.url), 'utf8')); } catch { /* API suite not run */ }
  if (!saved) return t.skip('the live API test did not run first');
  const ana = await login(ACCOUNTS.ana);
  const res = await api('GET', `/api/tickets/${saved.ticket}`, { cookie: ana });
  assert.equal(res.status, 200, res.text);
  const bodies = res.json.messages.map((m) => m.body);
  for (const b of saved.bodies) assert.ok(bodies.includes(b), b);
  // A new socket on the restarted server: its object is new too. On a ticket of its own
  // (later suites may have closed or merged the first one: a staff member's right).
  // The contract fuzzer ran before this phase and writes junk through every admin operation,
  // suspensions included (a run saw Ana suspended "closed"): lift any, this test is about the
  // restart. 200 lifted, 409 was not suspended.
  const admin = await login(ACCOUNTS.admin);
  const me = (await api('GET', '/api/me', { cookie: ana })).json;
  for (const path of [`/api/admin/users/${me.id}/unsuspend`, `/api/admin/companies/${me.company.id}/unsuspend`]) {
    const lifted = await api('POST', path, { cookie: admin });
    assert.ok([200, 409].includes(lifted.status), `${path}: ${lifted.status} ${lifted.text}`);
  }
  const fresh = await createTicket(ana, { subject: `Después del reinicio ${Date.now()}` });
  const s = await openLive(ana, fresh.id);
  try {
    s.send({ type: 'send', body: 'después del reinicio', client_id: 'r' });
    await waitFor(s, (f) => f.type === 'ack' && f.client_id === 'r');
  } finally {
    // An open socket would keep this file's process (and the run) waiting.
    s.close();
  }
  const status = await api('GET', '/api/chat/status', { cookie: ana });
  assert.equal(status.status, 200, status.text);
});
