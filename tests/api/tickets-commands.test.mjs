// One rule for what a caller may do on a ticket (domain::ticket::commands): the detail lists
// the allowed commands and the API refuses the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, ACCOUNTS } from './helpers.mjs';
import { createTicket, ticketOf, setStatus, post } from './tickets-helpers.mjs';

test('allowed actions follow the ticket: staff vs client, awaiting authorization, resolved', async () => {
  const ana = await login(ACCOUNTS.ana);
  const agent = await login(ACCOUNTS.agent);
  const t = await createTicket(ana);

  const fresh = await ticketOf(agent, t.id);
  assert.ok(fresh.actions.includes('take') && fresh.actions.includes('assign'), JSON.stringify(fresh.actions));
  assert.ok(!fresh.actions.includes('reopen') && !fresh.actions.includes('confirm'));
  const mine = await ticketOf(ana, t.id);
  assert.deepEqual(mine.actions, ['reply'], 'a client of an open ticket may only reply');

  // Resume is offered (and works) from awaiting_authorization.
  await setStatus(agent, t.id, 'awaiting_authorization');
  const waiting = await ticketOf(agent, t.id);
  assert.ok(waiting.actions.includes('resume'), JSON.stringify(waiting.actions));
  assert.equal((await setStatus(agent, t.id, 'open')).status, 'open');

  // Resolved: no take/assign for staff (409 from the API too), reopen and confirm for the client.
  await setStatus(agent, t.id, 'resolved');
  const resolved = await ticketOf(agent, t.id);
  assert.ok(!resolved.actions.includes('take') && !resolved.actions.includes('assign'), JSON.stringify(resolved.actions));
  assert.ok(resolved.actions.includes('reopen'));
  const res = await post(agent, t.id, 'assign', { assignee_id: (await api('GET', '/api/staff', { cookie: agent })).json.find((u) => u.role === 'admin').id });
  assert.equal(res.status, 409, res.text);
  assert.equal(res.json.error.code, 'invalid_transition');
  assert.ok(res.json.error.messages.en.length > 0);
  const client = await ticketOf(ana, t.id);
  assert.deepEqual(client.actions, ['reply', 'confirm', 'reopen']);
  assert.equal(client.can_reopen, true);
});
