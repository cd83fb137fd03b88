// Outbox delivery, the dev mailbox and the dev clock (issue 11).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, login, errorOf, ACCOUNTS, BASE } from './helpers.mjs';

const sweep = () => fetch(`${BASE}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`);
const unique = (s) => `${s}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

async function mailbox(admin, to) {
  const res = await api('GET', `/api/dev/mailbox?to=${encodeURIComponent(to)}`, { cookie: admin });
  assert.equal(res.status, 200, res.text);
  return res.json.messages;
}

/** Polls the dev mailbox until `n` messages are there (the drain runs after the response). */
export async function waitMail(admin, to, n = 1, ms = 3000) {
  const until = Date.now() + ms;
  let got = [];
  while (Date.now() < until) {
    got = await mailbox(admin, to);
    if (got.length >= n) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
  return got;
}

after(async () => {
  const admin = await login(ACCOUNTS.admin, { fresh: true });
  await api('DELETE', '/api/dev/clock', { cookie: admin });
  await api('POST', '/api/dev/mailbox/failures', { cookie: admin, body: { count: 0 } });
});

test('an enqueued e-mail reaches the dev mailbox once, even when enqueued twice', async () => {
  const admin = await login(ACCOUNTS.admin);
  const to = `${unique('once')}@example.com`;
  const body = { to, subject: 'Hola', text: 'Prueba <b>', dedupe_key: unique('k') };
  for (let i = 0; i < 2; i++) {
    const res = await api('POST', '/api/dev/mail', { cookie: admin, body });
    assert.equal(res.status, 202, res.text);
  }
  const got = await waitMail(admin, to, 1);
  assert.equal(got.length, 1);
  assert.equal(got[0].subject, 'Hola');
  assert.equal(got[0].text, 'Prueba <b>');
  assert.ok(got[0].html.includes('Prueba &lt;b&gt;'), got[0].html);
  // Delivered by the outbox queue's consumer (Cloudflare Queues under wrangler dev), not by
  // a loop in the request.
  assert.equal(got[0].via, 'queue');
  // Further drains (cron) send nothing more.
  await sweep();
  await sweep();
  assert.equal((await mailbox(admin, to)).length, 1);
});

test('a failing transport is retried with backoff and delivers the message once', async () => {
  const admin = await login(ACCOUNTS.admin);
  const to = `${unique('retry')}@example.com`;
  let res = await api('POST', '/api/dev/mailbox/failures', { cookie: admin, body: { count: 2 } });
  assert.equal(res.status, 200, res.text);
  res = await api('POST', '/api/dev/mail', { cookie: admin, body: { to, subject: 'Reintento', text: 'x', dedupe_key: unique('r') } });
  assert.equal(res.status, 202);
  // First try (after the response) fails; a cron run before the backoff ends sends nothing.
  await new Promise((r) => setTimeout(r, 700));
  await sweep();
  assert.equal((await mailbox(admin, to)).length, 0);
  // Past the first backoff (30 s): the second try fails too; past the second (1 min) it is sent.
  res = await api('POST', '/api/dev/clock', { cookie: admin, body: { advance_hours: 0.02 } });
  assert.equal(res.status, 200, res.text);
  await sweep();
  assert.equal((await mailbox(admin, to)).length, 0);
  await api('POST', '/api/dev/clock', { cookie: admin, body: { advance_hours: 0.05 } });
  await sweep();
  await api('POST', '/api/dev/clock', { cookie: admin, body: { advance_hours: 0.05 } });
  await sweep();
  await sweep();
  const got = await mailbox(admin, to);
  assert.equal(got.length, 1);
  assert.equal(got[0].subject, 'Reintento');
  await api('DELETE', '/api/dev/clock', { cookie: admin });
});

test('two concurrent drains never send a message twice', async () => {
  const admin = await login(ACCOUNTS.admin);
  const to = `${unique('race')}@example.com`;
  await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      api('POST', '/api/dev/mail', { cookie: admin, body: { to, subject: `n${i}`, text: 'x', dedupe_key: unique(`c${i}`) } })),
  );
  await Promise.all([sweep(), sweep(), sweep()]);
  const got = await waitMail(admin, to, 10);
  await new Promise((r) => setTimeout(r, 500));
  const again = await mailbox(admin, to);
  assert.equal(again.length, 10, JSON.stringify(got.map((m) => m.subject)));
  assert.equal(new Set(again.map((m) => m.subject)).size, 10);
});

test('the dev clock moves the server now and resets', async () => {
  const admin = await login(ACCOUNTS.admin);
  // Near the real time: a jump past the 7-day session lifetime would sign everyone out.
  const target = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 3 * 3_600_000);
  let res = await api('POST', '/api/dev/clock', { cookie: admin, body: { now: target.toISOString() } });
  assert.equal(res.status, 200, res.text);
  assert.ok(Math.abs(new Date(res.json.now) - target) < 5_000, res.json.now);
  res = await api('POST', '/api/dev/clock', { cookie: admin, body: { advance_hours: 2 } });
  assert.equal(res.status, 200, res.text);
  assert.ok(Math.abs(new Date(res.json.now) - target - 7_200_000) < 5_000, res.json.now);
  res = await api('POST', '/api/dev/clock', { cookie: admin, body: {} });
  assert.equal(res.status, 422);
  assert.equal(errorOf(res).field, 'now');
  res = await api('DELETE', '/api/dev/clock', { cookie: admin });
  assert.equal(res.status, 200);
  assert.equal(res.json.offset_ms, 0);
  assert.ok(Math.abs(new Date(res.json.now) - Date.now()) < 120_000);
});

test('dev endpoints: anonymous 401, non-admins 403', async () => {
  for (const [m, p] of [['GET', '/api/dev/mailbox?to=a@b.c'], ['POST', '/api/dev/clock'], ['DELETE', '/api/dev/clock'], ['POST', '/api/dev/mail']]) {
    assert.equal((await api(m, p, { body: m === 'POST' ? {} : undefined })).status, 401, p);
    for (const who of ['ana', 'agent']) {
      const res = await api(m, p, { cookie: await login(ACCOUNTS[who]), body: m === 'POST' ? {} : undefined });
      assert.equal(res.status, 403, `${who} ${p}`);
    }
  }
});

test('the deployed configuration does not enable the dev features', () => {
  const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');
  assert.ok(!/MDS_DEV/.test(toml), 'wrangler.toml must not set MDS_DEV');
  const xtask = readFileSync(new URL('../../xtask/src/main.rs', import.meta.url), 'utf8');
  assert.ok(xtask.includes('"MDS_DEV:1"'), 'xtask passes MDS_DEV only on the command line');
});
