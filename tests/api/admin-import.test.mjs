// CSV import of companies, people and services (issue 12): dry run, per-row errors,
// all-or-nothing apply in one batch, invitations, audit row, per role.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS } from './helpers.mjs';

const admin = () => login(ACCOUNTS.admin);
const uniq = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const HEADER = 'type,company,tax_id,only_own_tickets,name,email,role,phone,kind,status';
const csv = (...lines) => [HEADER, ...lines].join('\r\n') + '\r\n';
const send = async (body, { dry = false, cookie } = {}) =>
  api('POST', `/api/admin/import${dry ? '?dry_run=1' : ''}`, {
    cookie: cookie === undefined ? await admin() : cookie,
    raw: body,
    headers: { 'content-type': 'text/csv' },
  });

async function companiesNamed(name) {
  const res = await api('GET', `/api/admin/companies?q=${encodeURIComponent(name)}`, { cookie: await admin() });
  assert.equal(res.status, 200, res.text);
  return res.json.companies.filter((c) => c.name === name);
}

async function userByEmail(email) {
  const res = await api('GET', `/api/admin/users?q=${encodeURIComponent(email)}`, { cookie: await admin() });
  assert.equal(res.status, 200, res.text);
  return res.json.users.find((u) => u.email === email);
}

async function lastImportAudit() {
  const res = await api('GET', '/api/admin/audit?entity=import', { cookie: await admin() });
  assert.equal(res.status, 200, res.text);
  return res.json.entries[0];
}

test('import: agent 403, client 403, anonymous 401; nothing created', async () => {
  const name = `Rol ${uniq()}`;
  const body = csv(`company,${name},,,,,,,,`);
  for (const [who, status] of [[ACCOUNTS.agent, 403], [ACCOUNTS.ana, 403], [null, 401]]) {
    const cookie = who ? await login(who) : '';
    for (const dry of [true, false]) {
      const res = await send(body, { dry, cookie });
      assert.equal(res.status, status, `${who} dry=${dry}: ${res.text}`);
      errorOf(res);
    }
  }
  assert.deepEqual(await companiesNamed(name), []);
});

test('import with row errors: every error listed by line and column, nothing changes (dry run or not)', async () => {
  const u = uniq();
  const company = `Importada ${u}`;
  const body = csv(
    `company,${company},,,,,,,,`,
    `person,${company},,,Nora,nora${u}@nueva.mx,,,,`,
    `person,${company},,,Mala,no-es-correo,,,,`,
    `person,${company},,,Ana otra vez,ana@alfa.mx,,,,`,
    `person,${company},,,Nora bis,NORA${u}@nueva.mx,,,,`,
    `service,${company},,,Servidor,,,,ftp,`,
    `service,Empresa que no existe ${u},,,Correo,,,,email,`,
    `company,Alfa Comercial,,,,,,,,`,
  );
  const mailsBefore = (await api('GET', `/api/dev/mailbox?to=nora${u}@nueva.mx`, { cookie: await admin() })).json.messages.length;
  const auditBefore = await lastImportAudit();

  const dry = await send(body, { dry: true });
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.json.dry_run, true);
  assert.equal(dry.json.applied, false);
  const errs = dry.json.errors.map((e) => [e.line, e.column, e.code]);
  assert.deepEqual(errs, [
    [4, 'email', 'invalid_email'],
    [5, 'email', 'duplicate'],
    [6, 'email', 'duplicate'],
    [7, 'kind', 'invalid_kind'],
    [8, 'company', 'unknown_company'],
    [9, 'company', 'duplicate'],
  ]);
  for (const e of dry.json.errors) assert.ok(e.message.es && e.message.en, JSON.stringify(e));
  assert.match(dry.json.errors[1].message.es, /ya existe/i);
  assert.match(dry.json.errors[2].message.es, /línea 3/);
  // The preview lists the rows that are fine.
  assert.deepEqual(dry.json.rows.map((r) => [r.line, r.type]), [[2, 'company'], [3, 'person']]);

  const real = await send(body);
  assert.equal(real.status, 422, real.text);
  assert.equal(errorOf(real).code, 'import_invalid');
  assert.equal(real.json.applied, false);
  assert.equal(real.json.errors.length, 6);
  assert.ok(real.json.rows.every((r) => !r.id));

  assert.deepEqual(await companiesNamed(company), []);
  assert.equal(await userByEmail(`nora${u}@nueva.mx`), undefined);
  const mailsAfter = (await api('GET', `/api/dev/mailbox?to=nora${u}@nueva.mx`, { cookie: await admin() })).json.messages.length;
  assert.equal(mailsAfter, mailsBefore);
  assert.equal((await lastImportAudit())?.id, auditBefore?.id);
});

test('an unreadable file is one 422 on field "file"; over 256 KB is 413', async () => {
  for (const bad of ['', 'company,name\nx,y\n', `${HEADER},color\ncompany,X,,,,,,,,,red\n`, `${HEADER}\ncompany,"abierta,,,,,,,,\n`]) {
    const res = await send(bad);
    assert.equal(res.status, 422, `${JSON.stringify(bad)}: ${res.text}`);
    const e = errorOf(res);
    assert.equal(e.field, 'file');
    assert.ok(e.messages.es && e.messages.en);
  }
  const big = await send(csv(...Array.from({ length: 6000 }, (_, i) => `company,Grande ${i} ${'x'.repeat(40)},,,,,,,,`)));
  assert.equal(big.status, 413, big.text.slice(0, 200));
});

test('a clean import creates everything at once, invites the people, and writes one audit row', async () => {
  const u = uniq();
  const company = `Nueva Importada ${u}`;
  const nora = `nora${u}@nueva.mx`;
  const staff = `staff${u}@soporte.mx`;
  // A service for a company that already exists (made here, so the demo companies the
  // other suites count on keep their services).
  const existing = `Existente ${u}`;
  const made = await api('POST', '/api/admin/companies', { cookie: await admin(), body: { name: existing } });
  assert.equal(made.status, 201, made.text);
  const body = csv(
    `person,${company},,,Nora Núñez,${nora},client,+52 55 1234 5678,,`,
    `company,${company},NIM010203AB1,1,,,,,,`,
    `service,${company},,,"Hosting, principal",,,,hosting,`,
    `service,${company},,,Sitio viejo,,,,web_site,ended`,
    `service,${existing},,,Sistema ${u},,,,developed_system,`,
    `person,,,,Pepe Soporte,${staff},agent,,,`,
  );
  const dry = await send(body, { dry: true });
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual(dry.json.errors, []);
  assert.deepEqual(dry.json.counts, { companies: 1, people: 2, services: 3 });
  assert.deepEqual(await companiesNamed(company), [], 'a dry run creates nothing');

  const res = await send(body);
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.applied, true);
  assert.ok(res.json.rows.every((r) => r.id), res.text);

  const [c] = await companiesNamed(company);
  assert.ok(c, 'company created');
  assert.equal(c.tax_id, 'NIM010203AB1');
  assert.equal(c.only_own_tickets, true);
  const detail = await api('GET', `/api/admin/companies/${c.id}`, { cookie: await admin() });
  assert.equal(detail.status, 200, detail.text);
  assert.deepEqual(detail.json.services.map((s) => [s.name, s.kind, s.status]).sort(), [
    ['Hosting, principal', 'hosting', 'active'],
    ['Sitio viejo', 'web_site', 'ended'],
  ]);
  assert.equal(detail.json.services[0].events.length, 1, 'the first status is an event');
  assert.deepEqual(detail.json.people.map((p) => [p.email, p.status, p.phone]), [[nora, 'invited', '+52 55 1234 5678']]);
  const old = await api('GET', `/api/admin/companies/${made.json.id}`, { cookie: await admin() });
  assert.ok(old.json.services.some((s) => s.name === `Sistema ${u}`));
  const pepe = await userByEmail(staff);
  assert.equal(pepe.role, 'agent');
  assert.equal(pepe.company, null);

  // Invitations through the outbox (the dev mailbox receives them).
  for (const to of [nora, staff]) {
    let found;
    for (let i = 0; i < 25 && !found; i++) {
      const box = await api('GET', `/api/dev/mailbox?to=${encodeURIComponent(to)}`, { cookie: await admin() });
      found = box.json.messages.find((m) => /token=[0-9a-f]{64}/.test(m.text));
      if (!found) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(found, `invitation for ${to}`);
    assert.match(found.text, /\/activar\?token=/);
  }

  const audit = await lastImportAudit();
  assert.equal(audit.action, 'import.apply');
  assert.equal(audit.actor_email, ACCOUNTS.admin);
  assert.deepEqual(audit.after.counts, { companies: 1, people: 2, services: 3 });
  assert.ok(audit.after.rows.some((r) => r.id === c.id));

  // The same file again: every row is now a duplicate of what exists, and nothing changes.
  const again = await send(body);
  assert.equal(again.status, 422, again.text);
  assert.deepEqual(again.json.errors.map((e) => [e.line, e.code]), [
    [2, 'duplicate'], [3, 'duplicate'], [4, 'duplicate'], [5, 'duplicate'], [6, 'duplicate'], [7, 'duplicate'],
  ]);
  assert.equal((await companiesNamed(company)).length, 1);
});
