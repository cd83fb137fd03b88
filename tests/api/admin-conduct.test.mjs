// P27 end to end: the first flag of a client is a formal warning in the ticket and as a
// notification; later flags post a reminder only; the flag threshold is an audited setting
// after which the admin company page suggests suspending.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS, cookieOf, expectJson, invitationToken } from './helpers.mjs';

const admin = () => login(ACCOUNTS.admin);
const uniq = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const GOOD = 'caballo-bateria-grapa-9';
const ok = expectJson;
const tokenFor = invitationToken;

/** A fresh company with an active service and one activated client. */
async function freshClient() {
  const cookie = await admin();
  const company = await ok(await api('POST', '/api/admin/companies', { cookie, body: { name: `Conducta ${uniq()}` } }), 201);
  const service = await ok(await api('POST', `/api/admin/companies/${company.id}/services`, { cookie, body: { kind: 'email', name: 'Correo' } }), 201);
  const email = `c${uniq()}@conducta.mx`;
  const user = await ok(await api('POST', '/api/admin/users', { cookie, body: { email, name: 'Cliente Grosero', role: 'client', company_id: company.id } }), 201);
  const act = await api('POST', '/api/auth/activate', { body: { token: await tokenFor(email), password: GOOD } });
  assert.equal(act.status, 200, act.text);
  return { company, service, user, email, client: cookieOf(act) };
}

async function ticketWithMessages(client, serviceId, n) {
  const t = await ok(await api('POST', '/api/tickets', {
    cookie: client,
    body: { service_id: serviceId, priority: 'medium', category: 'incident', subject: `Queja ${uniq()}`, description: 'Nada funciona.' },
  }), 201);
  const ids = [];
  for (let i = 0; i < n; i++) ids.push((await ok(await api('POST', `/api/tickets/${t.id}/messages`, { cookie: client, body: { body: `Son unos inútiles ${i}` } }), 201)).id);
  return { t, ids };
}

const flag = async (agent, t, mid) => ok(await api('POST', `/api/tickets/${t.id}/messages/${mid}/flag`, { cookie: agent }));

test('first flag: formal warning in the ticket and a notification (mail + in-app); later flags: a reminder only', async () => {
  const { service, client, email, user } = await freshClient();
  const agent = await login(ACCOUNTS.agent);
  const { t, ids } = await ticketWithMessages(client, service.id, 2);

  await flag(agent, t, ids[0]);
  let seen = await ok(await api('GET', `/api/tickets/${t.id}`, { cookie: client }));
  let system = seen.messages.filter((m) => m.kind === 'system');
  assert.equal(system.length, 1);
  assert.match(system[0].body, /Advertencia formal/);
  assert.match(system[0].body, /Formal warning/);
  let notes = (await ok(await api('GET', '/api/notifications', { cookie: client }))).notifications.filter((n) => n.kind === 'conduct_warning');
  assert.equal(notes.length, 1);
  assert.equal(notes[0].ticket_id, t.id);
  let mail;
  for (let i = 0; i < 25 && !mail; i++) {
    const box = await ok(await api('GET', `/api/dev/mailbox?to=${encodeURIComponent(email)}`, { cookie: await admin() }));
    mail = box.messages.find((m) => /Advertencia formal/.test(m.subject));
    if (!mail) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(mail, 'the warning is e-mailed');
  assert.ok(mail.text.includes(t.number));

  // The second flag (another message, same person): a reminder in the ticket, no new notice.
  await flag(agent, t, ids[1]);
  seen = await ok(await api('GET', `/api/tickets/${t.id}`, { cookie: client }));
  system = seen.messages.filter((m) => m.kind === 'system');
  assert.equal(system.length, 2);
  assert.match(system[1].body, /Otro de tus mensajes/);
  assert.doesNotMatch(system[1].body, /^Advertencia formal/);
  notes = (await ok(await api('GET', '/api/notifications', { cookie: client }))).notifications.filter((n) => n.kind === 'conduct_warning');
  assert.equal(notes.length, 1, 'one formal warning per person');
  // The warning cannot be muted.
  const prefs = await ok(await api('GET', '/api/me/preferences', { cookie: client }));
  assert.equal(prefs.kinds.find((k) => k.kind === 'conduct_warning').mandatory, true);
  assert.equal(seen.events.filter((e) => e.kind === 'message_flagged').length, 2);
  void user;
});

test('the flag threshold is an audited admin setting; past it the company page suggests suspending', async () => {
  const cookie = await admin();
  for (const [who, status] of [[ACCOUNTS.agent, 403], [ACCOUNTS.ana, 403], [null, 401]]) {
    const c = who ? await login(who) : '';
    assert.equal((await api('GET', '/api/admin/settings/conduct', { cookie: c })).status, status);
    assert.equal((await api('PUT', '/api/admin/settings/conduct', { cookie: c, body: { flag_threshold: 1 } })).status, status);
  }
  const start = await ok(await api('GET', '/api/admin/settings/conduct', { cookie }));
  for (const bad of [0, 21]) {
    const res = await api('PUT', '/api/admin/settings/conduct', { cookie, body: { flag_threshold: bad } });
    assert.equal(res.status, 422, res.text);
    assert.equal(errorOf(res).field, 'flag_threshold');
  }
  assert.deepEqual(await ok(await api('GET', '/api/admin/settings/conduct', { cookie })), start, 'a refused value changes nothing');

  const { company, service, client, user } = await freshClient();
  const agent = await login(ACCOUNTS.agent);
  const { t, ids } = await ticketWithMessages(client, service.id, 2);
  await flag(agent, t, ids[0]);
  await flag(agent, t, ids[1]);
  try {
    await ok(await api('PUT', '/api/admin/settings/conduct', { cookie, body: { flag_threshold: 3 } }));
    let page = await ok(await api('GET', `/api/admin/companies/${company.id}`, { cookie }));
    assert.equal(page.flag_threshold, 3);
    let mine = page.flags.find((f) => f.user.id === user.id);
    assert.equal(mine.count, 2);
    assert.equal(mine.messages.length, 2);
    assert.equal(mine.suggest_suspension, false);

    await ok(await api('PUT', '/api/admin/settings/conduct', { cookie, body: { flag_threshold: 2 } }));
    page = await ok(await api('GET', `/api/admin/companies/${company.id}`, { cookie }));
    assert.equal(page.flag_threshold, 2);
    mine = page.flags.find((f) => f.user.id === user.id);
    assert.equal(mine.suggest_suspension, true);
    const audit = (await ok(await api('GET', '/api/admin/audit?action=settings.update', { cookie }))).entries[0];
    assert.deepEqual([audit.before.flag_threshold, audit.after.flag_threshold], [3, 2]);

    // Suspended: no longer suggested.
    await ok(await api('POST', `/api/admin/users/${user.id}/suspend`, { cookie, body: { reason: 'Lenguaje ofensivo reiterado' } }));
    page = await ok(await api('GET', `/api/admin/companies/${company.id}`, { cookie }));
    assert.equal(page.flags.find((f) => f.user.id === user.id).suggest_suspension, false);
  } finally {
    await ok(await api('PUT', '/api/admin/settings/conduct', { cookie, body: { flag_threshold: start.flag_threshold } }));
  }
});
