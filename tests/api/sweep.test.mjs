// The scheduled handler runs and records each run (issue #3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS, BASE } from './helpers.mjs';

test('a cron run is recorded in sweep_runs with start, end and counts', async () => {
  const admin = await login(ACCOUNTS.admin);
  const before = (await api('GET', '/api/admin/sweeps', { cookie: admin })).json.runs[0]?.id ?? 0;
  const res = await fetch(`${BASE}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`);
  assert.equal(res.status, 200);
  const after = await api('GET', '/api/admin/sweeps', { cookie: admin });
  assert.equal(after.status, 200);
  // The list holds the 50 newest runs (other suites run sweeps too): one more run, on top.
  assert.equal(after.json.runs[0].id, before + 1);
  const run = after.json.runs[0];
  assert.equal(run.cron, '*/5 * * * *');
  assert.ok(run.finished_at >= run.started_at);
  assert.equal(typeof JSON.parse(run.counts), 'object');
});

test('sweep history is for admins only', async () => {
  assert.equal((await api('GET', '/api/admin/sweeps')).status, 401);
  for (const who of ['ana', 'agent']) {
    const res = await api('GET', '/api/admin/sweeps', { cookie: await login(ACCOUNTS[who]) });
    assert.equal(res.status, 403, who);
    errorOf(res);
  }
});
