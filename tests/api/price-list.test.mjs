// The price list (issue 13, P20): everyone signed in reads the current prices; only admins
// change them; a price change is a new version and the earlier one stays; bad input is a
// 422 with the field and changes nothing; every change is audited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS } from './helpers.mjs';

const admin = () => login(ACCOUNTS.admin);
const uniq = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const item = (over = {}) => ({ name: `Diagnóstico ${uniq()}`, standard_hours: 2, standard_cents: 120000, preferential_cents: 90000, ...over });

test('price list: signed-in roles read it, anonymous 401; only admins write (agent and client 403)', async () => {
  assert.equal((await api('GET', '/api/price-list')).status, 401);
  for (const who of ['ana', 'agent', 'admin']) {
    const res = await api('GET', '/api/price-list', { cookie: await login(ACCOUNTS[who]) });
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json.items.length >= 5, 'the seeded list');
    for (const i of res.json.items) {
      assert.ok(Number.isInteger(i.standard_cents) && Number.isInteger(i.preferential_cents));
      assert.ok(i.preferential_cents <= i.standard_cents, i.name);
    }
  }
  for (const [who, status] of [['ana', 403], ['agent', 403], [null, 401]]) {
    const cookie = who ? await login(ACCOUNTS[who]) : undefined;
    assert.equal((await api('GET', '/api/admin/price-list', { cookie })).status, status);
    assert.equal((await api('POST', '/api/admin/price-list', { cookie, body: item() })).status, status);
    assert.equal((await api('PATCH', '/api/admin/price-list/p-remoto', { cookie, body: { standard_cents: 1 } })).status, status);
  }
});

test('an admin adds an item; bad fields are 422 with the field and create nothing', async () => {
  const cookie = await admin();
  const before = (await api('GET', '/api/admin/price-list', { cookie })).json.items.length;
  for (const [over, field] of [
    [{ name: ' ' }, 'name'],
    [{ standard_hours: 0 }, 'standard_hours'],
    [{ standard_cents: -5 }, 'standard_cents'],
    [{ preferential_cents: 130000 }, 'preferential_cents'],
  ]) {
    const res = await api('POST', '/api/admin/price-list', { cookie, body: item(over) });
    assert.equal(res.status, 422, res.text);
    assert.equal(errorOf(res).field, field);
  }
  const unknown = await api('POST', '/api/admin/price-list', { cookie, body: { ...item(), discount: 1 } });
  assert.equal(unknown.status, 400, unknown.text);
  assert.equal((await api('GET', '/api/admin/price-list', { cookie })).json.items.length, before, 'nothing created');

  const body = item();
  const res = await api('POST', '/api/admin/price-list', { cookie, body });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.name, body.name);
  assert.equal(res.json.history.length, 1);
  const me = (await api('GET', '/api/me', { cookie })).json;
  assert.equal(res.json.history[0].created_by, me.name, 'who set the price');
  const everyone = await api('GET', '/api/price-list', { cookie: await login(ACCOUNTS.ana) });
  assert.ok(everyone.json.items.some((i) => i.id === res.json.id && i.standard_cents === 120000));
});

test('a price change is a new version, the earlier kept; a rename is not; retiring hides it from clients', async () => {
  const cookie = await admin();
  const made = (await api('POST', '/api/admin/price-list', { cookie, body: item() })).json;
  let res = await api('PATCH', `/api/admin/price-list/${made.id}`, { cookie, body: { standard_cents: 150000, preferential_cents: 100000 } });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.history.map((v) => [v.standard_cents, v.preferential_cents]), [[150000, 100000], [120000, 90000]]);
  assert.equal(res.json.standard_cents, 150000);
  // Only the name: no new version.
  res = await api('PATCH', `/api/admin/price-list/${made.id}`, { cookie, body: { name: `${made.name} (renombrado)` } });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.history.length, 2);
  // A preferential price above the (unchanged) standard one: 422, nothing changes.
  res = await api('PATCH', `/api/admin/price-list/${made.id}`, { cookie, body: { preferential_cents: 150001 } });
  assert.equal(res.status, 422, res.text);
  assert.equal(errorOf(res).field, 'preferential_cents');
  assert.equal((await api('GET', '/api/admin/price-list', { cookie })).json.items.find((i) => i.id === made.id).history.length, 2);
  // Audited with before and after.
  const audit = (await api('GET', '/api/admin/audit?action=price.update', { cookie })).json.entries;
  const mine = audit.filter((e) => e.entity_id === made.id);
  assert.equal(mine.length, 2);
  assert.ok(mine.some((e) => e.before.standard_cents === 120000 && e.after.standard_cents === 150000));
  // Retired: gone from the list clients read, kept for admins.
  res = await api('PATCH', `/api/admin/price-list/${made.id}`, { cookie, body: { active: false } });
  assert.equal(res.json.active, false);
  const list = await api('GET', '/api/price-list', { cookie: await login(ACCOUNTS.ana) });
  assert.ok(!list.json.items.some((i) => i.id === made.id));
  assert.equal((await api('PATCH', '/api/admin/price-list/no-such-item', { cookie, body: { name: 'x' } })).status, 404);
});
