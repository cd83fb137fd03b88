// Public calendar + SLA preview and admin calendar settings (issue #4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS } from './helpers.mjs';

const preview = (q) => api('GET', `/api/sla/preview?${new URLSearchParams(q)}`);

test('holidays of 2027 follow the statutory rules', async () => {
  const res = await api('GET', '/api/calendar/holidays?year=2027');
  assert.equal(res.status, 200);
  assert.equal(res.json.year, 2027);
  const dates = res.json.holidays.map((h) => h.date);
  assert.deepEqual(dates, ['2027-01-01', '2027-02-01', '2027-03-15', '2027-05-01', '2027-09-16', '2027-11-15', '2027-12-25']);
  assert.ok(res.json.holidays.every((h) => h.name && h.name_en));
});

test('Oct 1 appears only in transition years', async () => {
  const y2030 = (await api('GET', '/api/calendar/holidays?year=2030')).json.holidays.map((h) => h.date);
  const y2029 = (await api('GET', '/api/calendar/holidays?year=2029')).json.holidays.map((h) => h.date);
  assert.ok(y2030.includes('2030-10-01'));
  assert.ok(!y2029.includes('2029-10-01'));
});

test('bad year → 400 with field', async () => {
  for (const y of ['abc', '99999', '-1', '']) {
    const res = await api('GET', `/api/calendar/holidays?year=${y}`);
    assert.equal(res.status, 400, y);
    assert.equal(errorOf(res).field, 'year');
  }
});

test('SLA preview: the API.md example (Dec 25 holiday in the middle)', async () => {
  const res = await preview({ priority: 'medium', from: '2026-12-24T10:00:00-06:00' });
  assert.equal(res.status, 200);
  assert.equal(res.json.priority, 'medium');
  assert.equal(res.json.target_hours, 48);
  assert.equal(res.json.from, '2026-12-24T10:00:00-06:00');
  assert.equal(res.json.due, '2026-12-29T10:00:00-06:00');
});

test('SLA preview: Friday 17:00 medium → Tuesday 17:00; Saturday high → Tuesday 00:00', async () => {
  assert.equal((await preview({ priority: 'medium', from: '2026-11-06T17:00:00-06:00' })).json.due, '2026-11-10T17:00:00-06:00');
  assert.equal((await preview({ priority: 'high', from: '2026-11-07T11:00:00-06:00' })).json.due, '2026-11-10T00:00:00-06:00');
  assert.equal((await preview({ priority: 'low', from: '2026-11-02T09:00:00-06:00' })).json.due, '2026-11-05T09:00:00-06:00');
});

test('SLA preview accepts any offset and answers in the office offset', async () => {
  const utc = await preview({ priority: 'medium', from: '2026-12-24T16:00:00Z' });
  assert.equal(utc.json.from, '2026-12-24T10:00:00-06:00');
  assert.equal(utc.json.due, '2026-12-29T10:00:00-06:00');
  const madrid = await preview({ priority: 'medium', from: '2026-12-24T17:00:00+01:00' });
  assert.equal(madrid.json.due, '2026-12-29T10:00:00-06:00');
});

test('SLA preview: from defaults to now', async () => {
  const res = await preview({ priority: 'high' });
  assert.equal(res.status, 200);
  assert.ok(new Date(res.json.due) > new Date(res.json.from));
});

test('SLA preview: bad priority or time → 400 with field', async () => {
  for (const [q, field] of [
    [{ priority: 'urgent' }, 'priority'],
    [{}, 'priority'],
    [{ priority: 'low', from: 'mañana' }, 'from'],
    [{ priority: 'low', from: '2026-13-01T00:00:00Z' }, 'from'],
  ]) {
    const res = await preview(q);
    assert.equal(res.status, 400, JSON.stringify(q));
    assert.equal(errorOf(res).field, field);
  }
});

test('office status is public and consistent', async () => {
  const res = await api('GET', '/api/calendar/status');
  assert.equal(res.status, 200);
  assert.equal(typeof res.json.open, 'boolean');
  assert.equal(res.json.opens, '09:00');
  assert.equal(res.json.closes, '18:00');
  assert.match(res.json.next_opening, /-06:00$/);
});

test('an admin closure day moves due times and shows in the list; removing it restores them', async () => {
  const admin = await login(ACCOUNTS.admin);
  const before = (await preview({ priority: 'high', from: '2027-06-07T10:00:00-06:00' })).json.due;
  assert.equal(before, '2027-06-08T10:00:00-06:00');
  const add = await api('POST', '/api/admin/holidays', { cookie: admin, body: { date: '2027-06-08', action: 'add', name: 'Cierre de la empresa' } });
  assert.equal(add.status, 200, add.text);
  assert.equal((await preview({ priority: 'high', from: '2027-06-07T10:00:00-06:00' })).json.due, '2027-06-09T10:00:00-06:00');
  const list = (await api('GET', '/api/calendar/holidays?year=2027')).json.holidays;
  assert.ok(list.some((h) => h.date === '2027-06-08' && h.name === 'Cierre de la empresa'));
  assert.equal((await api('DELETE', '/api/admin/holidays/2027-06-08', { cookie: admin })).status, 204);
  assert.equal((await preview({ priority: 'high', from: '2027-06-07T10:00:00-06:00' })).json.due, before);
  assert.equal((await api('DELETE', '/api/admin/holidays/2027-06-08', { cookie: admin })).status, 404);
});

test('an admin can remove a statutory holiday', async () => {
  const admin = await login(ACCOUNTS.admin);
  await api('POST', '/api/admin/holidays', { cookie: admin, body: { date: '2027-02-01', action: 'remove' } });
  const list = (await api('GET', '/api/calendar/holidays?year=2027')).json.holidays.map((h) => h.date);
  assert.ok(!list.includes('2027-02-01'));
  await api('DELETE', '/api/admin/holidays/2027-02-01', { cookie: admin });
  const again = (await api('GET', '/api/calendar/holidays?year=2027')).json.holidays.map((h) => h.date);
  assert.ok(again.includes('2027-02-01'));
});

test('office settings: office-hours clock changes the preview; bad values → 422', async () => {
  const admin = await login(ACCOUNTS.admin);
  const bad = await api('PUT', '/api/admin/calendar', { cookie: admin, body: { offset_minutes: -360, open_minute: 1000, close_minute: 900 } });
  assert.equal(bad.status, 422);
  assert.equal(errorOf(bad).field, 'open_minute');
  const ok = await api('PUT', '/api/admin/calendar', { cookie: admin, body: { clock: 'office_hours' } });
  assert.equal(ok.status, 200, ok.text);
  // 24 office hours from Monday 10:00 = Mon 8 h + Tue 9 h + Wed 7 h → Wed 16:00.
  assert.equal((await preview({ priority: 'high', from: '2026-11-02T10:00:00-06:00' })).json.due, '2026-11-04T16:00:00-06:00');
  // A partial update: `{}` keeps every stored setting (it used to reset them to defaults).
  const before = (await api('GET', '/api/admin/calendar', { cookie: admin })).json;
  const empty = await api('PUT', '/api/admin/calendar', { cookie: admin, body: {} });
  assert.equal(empty.status, 200, empty.text);
  assert.deepEqual(empty.json, before);
  assert.equal((await preview({ priority: 'high', from: '2026-11-02T10:00:00-06:00' })).json.due, '2026-11-04T16:00:00-06:00');
  const unknown = await api('PUT', '/api/admin/calendar', { cookie: admin, body: { opening: 1 } });
  assert.equal(unknown.status, 400, 'an unknown field is refused, not ignored');
  const back = await api('PUT', '/api/admin/calendar', { cookie: admin, body: { clock: 'working_days' } });
  assert.equal(back.status, 200);
  assert.equal((await preview({ priority: 'high', from: '2026-11-02T10:00:00-06:00' })).json.due, '2026-11-03T10:00:00-06:00');
});

test('calendar administration is admin-only', async () => {
  assert.equal((await api('GET', '/api/admin/calendar')).status, 401);
  for (const who of ['agent', 'ana']) {
    const cookie = await login(ACCOUNTS[who]);
    assert.equal((await api('GET', '/api/admin/calendar', { cookie })).status, 403);
    const res = await api('POST', '/api/admin/holidays', { cookie, body: { date: '2027-06-08', action: 'add', name: 'x' } });
    assert.equal(res.status, 403);
  }
  const invalid = await api('POST', '/api/admin/holidays', { cookie: await login(ACCOUNTS.admin), body: { date: '2027-02-30', action: 'add', name: 'x' } });
  assert.equal(invalid.status, 422);
  assert.equal(errorOf(invalid).field, 'date');
});
