// Screenshots on tickets (issue 5, P13): PNG/JPEG by content, size limits, visibility.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS, BASE } from './helpers.mjs';
import { createTicket, ticketOf, message, upload, png, jpeg, gif, SERVICES } from './tickets-helpers.mjs';

const as = (who) => login(ACCOUNTS[who]);

test('a PNG is stored and served only to those who can see the ticket, with safe headers', async () => {
  const ana = await as('ana');
  const t = await createTicket(ana);
  const bytes = png(2048);
  const res = await upload(ana, t.id, bytes, '../../Captura de; error.PNG', 'application/octet-stream');
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.content_type, 'image/png', 'type from the bytes, not the declared type');
  assert.equal(res.json.size, 2048);
  assert.equal(res.json.name, 'Captura de error.png');
  assert.equal(res.json.url, `/api/attachments/${res.json.id}`);

  const detail = await ticketOf(ana, t.id);
  assert.equal(detail.attachments.length, 1);
  assert.equal(detail.messages[0].attachments[0].id, res.json.id, 'attached to the opening message');

  const file = await fetch(BASE + res.json.url, { headers: { cookie: ana } });
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'image/png');
  assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
  assert.match(file.headers.get('content-disposition'), /^inline; filename="Captura de error\.png"/);
  assert.deepEqual(Buffer.from(await file.arrayBuffer()), bytes);

  const agentGet = await fetch(BASE + res.json.url, { headers: { cookie: await as('agent') } });
  assert.equal(agentGet.status, 200);
  const betoGet = await fetch(BASE + res.json.url, { headers: { cookie: await as('beto') } });
  assert.equal(betoGet.status, 404);
  assert.equal((await fetch(BASE + res.json.url)).status, 401);
  assert.equal((await fetch(`${BASE}/api/attachments/ffffffffffffffffffffffffffffffff`, { headers: { cookie: ana } })).status, 404);
});

test('a JPEG named .gif is accepted as JPEG', async () => {
  const ana = await as('ana');
  const t = await createTicket(ana);
  const res = await upload(ana, t.id, jpeg(), 'foto.gif', 'image/gif');
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.content_type, 'image/jpeg');
  assert.equal(res.json.name, 'foto.jpg');
});

test('a GIF renamed .png, a zero-byte file and an 11 MB file are refused and nothing is stored', async () => {
  const ana = await as('ana');
  const t = await createTicket(ana);
  const fake = await upload(ana, t.id, gif(), 'captura.png', 'image/png');
  assert.equal(fake.status, 415);
  assert.equal(errorOf(fake).code, 'unsupported_media_type');
  const empty = await upload(ana, t.id, Buffer.alloc(0), 'vacia.png', 'image/png');
  assert.equal(empty.status, 415);
  errorOf(empty);
  const big = await upload(ana, t.id, png(11 * 1024 * 1024), 'enorme.png', 'image/png');
  assert.equal(big.status, 413);
  assert.equal(errorOf(big).code, 'payload_too_large');
  const text = await upload(ana, t.id, Buffer.from('<script>alert(1)</script>'), 'x.png', 'image/png');
  assert.equal(text.status, 415);
  const detail = await ticketOf(ana, t.id);
  assert.equal(detail.attachments.length, 0);
  assert.ok(!detail.events.some((e) => e.kind === 'attachment_added'));
});

test('exactly 10 MB is accepted; a sixth file on one message is refused (409)', async () => {
  const ana = await as('ana');
  const t = await createTicket(ana);
  const max = await upload(ana, t.id, png(10 * 1024 * 1024), 'max.png');
  assert.equal(max.status, 201, max.text);
  for (let i = 0; i < 4; i++) assert.equal((await upload(ana, t.id, png(), `c${i}.png`)).status, 201);
  const sixth = await upload(ana, t.id, png(), 'sexta.png');
  assert.equal(sixth.status, 409);
  assert.equal(errorOf(sixth).code, 'too_many_attachments');
  assert.equal((await ticketOf(ana, t.id)).attachments.length, 5);
  // A new reply gets its own five.
  const reply = await message(ana, t.id, 'Más capturas');
  const onReply = await upload(ana, t.id, png(), 'r.png', 'image/png', { message_id: reply.id });
  assert.equal(onReply.status, 201);
  assert.equal(onReply.json.message_id, reply.id);
});

test('attachment input errors: missing file → 422, not multipart → 415, foreign message → 422', async () => {
  const ana = await as('ana');
  const t = await createTicket(ana);
  const form = new FormData();
  form.append('other', 'x');
  const missing = await fetch(`${BASE}/api/tickets/${t.id}/attachments`, { method: 'POST', headers: { cookie: ana }, body: form });
  assert.equal(missing.status, 422);
  assert.equal((await missing.json()).error.field, 'file');
  const json = await api('POST', `/api/tickets/${t.id}/attachments`, { cookie: ana, body: { file: 'x' } });
  assert.equal(json.status, 415);
  const other = await createTicket(ana);
  const wrong = await upload(ana, t.id, png(), 'a.png', 'image/png', { message_id: other.messages[0].id });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.json.error.field, 'message_id');
});

test('files on an internal note are staff-only; another company gets 404 when attaching', async () => {
  const ana = await as('ana');
  const agent = await as('agent');
  const t = await createTicket(ana);
  const note = await message(agent, t.id, 'Log del servidor', { internal: true });
  const res = await upload(agent, t.id, png(), 'log.png', 'image/png', { message_id: note.id });
  assert.equal(res.status, 201, res.text);
  assert.equal((await fetch(BASE + res.json.url, { headers: { cookie: ana } })).status, 404);
  assert.equal((await fetch(BASE + res.json.url, { headers: { cookie: agent } })).status, 200);
  const forAna = await ticketOf(ana, t.id);
  assert.ok(!forAna.attachments.some((a) => a.id === res.json.id));
  const staff = await ticketOf(agent, t.id);
  assert.ok(staff.attachments.some((a) => a.id === res.json.id));
  const beto = await upload(await as('beto'), t.id, png(), 'b.png');
  assert.equal(beto.status, 404);
  assert.equal((await upload(null, t.id, png(), 'a.png')).status, 401);
});

test('attachments move with a merged duplicate', async () => {
  const ana = await as('ana');
  const keep = await createTicket(ana, { service_id: SERVICES.alfaHosting });
  const dup = await createTicket(ana, { service_id: SERVICES.alfaHosting });
  const att = await upload(ana, dup.id, png(), 'dup.png');
  assert.equal(att.status, 201);
  const merged = await api('POST', `/api/tickets/${dup.id}/merge`, { cookie: await as('agent'), body: { into: keep.id } });
  assert.equal(merged.status, 200, merged.text);
  assert.equal(merged.json.attachments.length, 0);
  const survivor = await ticketOf(ana, keep.id);
  assert.ok(survivor.attachments.some((a) => a.id === att.json.id));
  assert.equal((await fetch(BASE + att.json.url, { headers: { cookie: ana } })).status, 200);
});
