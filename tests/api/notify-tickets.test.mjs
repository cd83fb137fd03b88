// Ticket notices (issue 11): confirmation, replies, internal notes, mutes, in-app list.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS } from './helpers.mjs';
import { createTicket, message, MORE } from './tickets-helpers.mjs';

async function mailbox(admin, to) {
  const res = await api('GET', `/api/dev/mailbox?to=${encodeURIComponent(to)}`, { cookie: admin });
  assert.equal(res.status, 200, res.text);
  return res.json.messages;
}

/** Messages for `to` newer than `since`, polled until `n` arrive (delivery is after the response). */
async function mailSince(admin, to, since, n = 1, ms = 3000) {
  const until = Date.now() + ms;
  let got = [];
  while (Date.now() < until) {
    got = (await mailbox(admin, to)).filter((m) => m.created_at >= since);
    if (got.length >= n) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return got;
}

const nowUtc = () => new Date(Date.now() - 2000).toISOString().slice(0, 19) + 'Z';

after(async () => {
  const ana = await login(ACCOUNTS.ana);
  await api('PUT', '/api/me/preferences', { cookie: ana, body: { lang: 'es', muted: [] } });
});

test('creating a ticket sends exactly one confirmation with the target and due time', async () => {
  const admin = await login(ACCOUNTS.admin);
  const carlos = await login(MORE.carlos);
  const since = nowUtc();
  const t = await createTicket(carlos);
  const got = await mailSince(admin, MORE.carlos, since);
  await new Promise((r) => setTimeout(r, 500));
  const mine = (await mailbox(admin, MORE.carlos)).filter((m) => m.subject.includes(t.number));
  assert.equal(mine.length, 1, JSON.stringify(got.map((m) => m.subject)));
  const m = mine[0];
  assert.match(m.subject, /Recibimos tu ticket T-\d{4}-\d+/);
  assert.ok(m.text.includes('48 horas hábiles'), m.text);
  assert.ok(m.text.includes(t.subject));
  assert.ok(m.text.includes('Alfa'));
  assert.ok(m.text.includes(`/tickets/${t.id}`));
  assert.match(m.text, /\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(-06:00\)/);
  // And in-app.
  const list = await api('GET', '/api/notifications', { cookie: carlos });
  assert.equal(list.status, 200);
  const n = list.json.notifications.find((x) => x.ticket_id === t.id);
  assert.equal(n.kind, 'ticket_created');
  assert.equal(n.read, false);
  assert.equal(n.link, `/tickets/${t.id}`);
});

test('a staff reply notifies the client once; an internal note never does', async () => {
  const admin = await login(ACCOUNTS.admin);
  const ana = await login(ACCOUNTS.ana);
  const agent = await login(ACCOUNTS.agent);
  const t = await createTicket(ana);
  await message(agent, t.id, 'Nota interna: contraseña del router 1234', { internal: true });
  await message(agent, t.id, 'Hola Ana, ya revisamos tu caso.');
  await new Promise((r) => setTimeout(r, 1000));
  const mine = (await mailbox(admin, ACCOUNTS.ana)).filter((m) => m.subject.includes(t.number) || m.text.includes(t.id));
  const replies = mine.filter((m) => /Nueva respuesta/.test(m.subject));
  assert.equal(replies.length, 1, JSON.stringify(mine.map((m) => m.subject)));
  assert.ok(replies[0].text.includes('ya revisamos tu caso'));
  for (const m of mine) {
    assert.ok(!m.text.includes('Nota interna') && !m.html.includes('Nota interna'), m.subject);
  }
  const list = (await api('GET', '/api/notifications', { cookie: ana })).json.notifications.filter((x) => x.ticket_id === t.id);
  assert.ok(list.every((x) => !x.body.includes('Nota interna')));
  assert.equal(list.filter((x) => x.kind === 'staff_reply').length, 1);
});

test('a client reply notifies the assignee', async () => {
  const admin = await login(ACCOUNTS.admin);
  const ana = await login(ACCOUNTS.ana);
  const agent = await login(ACCOUNTS.agent);
  const t = await createTicket(ana);
  await message(agent, t.id, 'Tomamos tu caso.'); // the first public answer takes it
  await message(ana, t.id, 'Gracias, sigue fallando.');
  await new Promise((r) => setTimeout(r, 1000));
  const got = (await mailbox(admin, ACCOUNTS.agent)).filter((m) => m.subject.includes(t.number));
  assert.equal(got.length, 1, JSON.stringify(got.map((m) => m.subject)));
  assert.ok(got[0].text.includes('sigue fallando'));
  const list = (await api('GET', '/api/notifications', { cookie: agent })).json.notifications;
  assert.ok(list.some((x) => x.ticket_id === t.id && x.kind === 'client_reply'));
});

test('a muted kind sends no e-mail but still appears in-app; English preference', async () => {
  const admin = await login(ACCOUNTS.admin);
  const ana = await login(ACCOUNTS.ana);
  const agent = await login(ACCOUNTS.agent);
  let res = await api('PUT', '/api/me/preferences', { cookie: ana, body: { muted: ['staff_reply'], lang: 'en' } });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.kinds.find((k) => k.kind === 'staff_reply').muted, true);
  const t = await createTicket(ana);
  await message(agent, t.id, 'Reply while muted');
  await new Promise((r) => setTimeout(r, 1000));
  const mine = (await mailbox(admin, ACCOUNTS.ana)).filter((m) => m.subject.includes(t.number));
  assert.equal(mine.length, 1, JSON.stringify(mine.map((m) => m.subject))); // only the confirmation
  assert.match(mine[0].subject, /We received your ticket/);
  const list = (await api('GET', '/api/notifications', { cookie: ana })).json.notifications.filter((x) => x.ticket_id === t.id);
  const reply = list.find((x) => x.kind === 'staff_reply');
  assert.ok(reply, 'in-app notice present');
  assert.match(reply.title, /New reply/);
});

test('mandatory kinds cannot be muted; bad values are 422 with the field', async () => {
  const ana = await login(ACCOUNTS.ana);
  let res = await api('PUT', '/api/me/preferences', { cookie: ana, body: { muted: ['ticket_created'] } });
  assert.equal(res.status, 422);
  assert.equal(errorOf(res).field, 'muted');
  res = await api('PUT', '/api/me/preferences', { cookie: ana, body: { lang: 'fr' } });
  assert.equal(res.status, 422);
  assert.equal(errorOf(res).field, 'lang');
  assert.equal((await api('GET', '/api/me/preferences')).status, 401);
});

test('marking read: one, all, and never someone else\'s', async () => {
  const ana = await login(ACCOUNTS.ana);
  const beto = await login(ACCOUNTS.beto);
  await createTicket(ana);
  await createTicket(ana);
  let list = (await api('GET', '/api/notifications', { cookie: ana })).json;
  assert.ok(list.unread >= 2);
  const first = list.notifications.find((n) => !n.read);
  // Beto cannot mark Ana's.
  let res = await api('POST', '/api/notifications/read', { cookie: beto, body: { ids: [first.id] } });
  assert.equal(res.status, 200);
  assert.equal(res.json.marked, 0);
  res = await api('POST', '/api/notifications/read', { cookie: ana, body: { ids: [first.id] } });
  assert.equal(res.json.marked, 1);
  assert.equal(res.json.unread, list.unread - 1);
  res = await api('POST', '/api/notifications/read', { cookie: ana, body: { all: true } });
  assert.equal(res.json.unread, 0);
  list = (await api('GET', '/api/notifications', { cookie: ana })).json;
  assert.equal(list.unread, 0);
  assert.ok(list.notifications.every((n) => n.read));
  res = await api('POST', '/api/notifications/read', { cookie: ana, body: {} });
  assert.equal(res.status, 422);
  assert.equal((await api('GET', '/api/notifications')).status, 401);
});
