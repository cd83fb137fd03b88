// Knowledge-base images (issue #6): staff upload PNG/JPEG through the same checks as ticket
// screenshots; anyone can read them (articles are public) with safe headers; an article
// that embeds one keeps the <img> after sanitizing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS, BASE } from './helpers.mjs';
import { png, jpeg, gif } from './tickets-helpers.mjs';

async function upload(cookie, bytes, name = 'panel.png', type = 'image/png') {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  const res = await fetch(`${BASE}/api/kb/images`, { method: 'POST', headers: cookie ? { cookie } : {}, body: form });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, json, text };
}

test('staff upload an article image; anyone reads it with its checked type and safe headers', async () => {
  const agent = await login(ACCOUNTS.agent);
  const bytes = png(4096);
  const res = await upload(agent, bytes, 'Panel [DNS].PNG', 'application/octet-stream');
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.content_type, 'image/png');
  assert.equal(res.json.size, 4096);
  assert.equal(res.json.url, `/api/kb/images/${res.json.id}`);
  assert.equal(res.json.markdown, `![Panel  DNS](${res.json.url})`);

  const file = await fetch(BASE + res.json.url); // anonymous
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'image/png');
  assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
  assert.match(file.headers.get('content-disposition'), /^inline; filename="Panel \[DNS\]\.png"/);
  assert.match(file.headers.get('cache-control'), /public/);
  assert.deepEqual(Buffer.from(await file.arrayBuffer()), bytes);
  assert.equal((await fetch(`${BASE}/api/kb/images/ffffffffffffffffffffffffffffffff`)).status, 404);

  const admin = await login(ACCOUNTS.admin);
  const jpg = await upload(admin, jpeg(), 'foto.gif', 'image/gif');
  assert.equal(jpg.status, 201, jpg.text);
  assert.equal(jpg.json.content_type, 'image/jpeg');
  assert.equal(jpg.json.name, 'foto.jpg');
});

test('clients and anonymous users cannot upload article images', async () => {
  assert.equal((await upload(null, png(100))).status, 401);
  const ana = await upload(await login(ACCOUNTS.ana), png(100));
  assert.equal(ana.status, 403);
  errorOf(ana);
});

test('a GIF renamed .png, an empty file, an 11 MB file and a missing file are refused', async () => {
  const agent = await login(ACCOUNTS.agent);
  const fake = await upload(agent, gif(), 'captura.png');
  assert.equal(fake.status, 415);
  assert.equal(errorOf(fake).code, 'unsupported_media_type');
  assert.equal((await upload(agent, Buffer.alloc(0), 'vacia.png')).status, 415);
  const big = await upload(agent, png(11 * 1024 * 1024), 'enorme.png');
  assert.equal(big.status, 413);
  assert.equal(errorOf(big).code, 'payload_too_large');
  const form = new FormData();
  form.append('other', 'x');
  const none = await fetch(`${BASE}/api/kb/images`, { method: 'POST', headers: { cookie: agent }, body: form });
  assert.equal(none.status, 422);
  assert.equal((await none.json()).error.field, 'file');
  const json = await api('POST', '/api/kb/images', { body: { file: 'x' }, cookie: agent });
  assert.equal(json.status, 415);
});

test('an article that embeds an uploaded image keeps the <img> after sanitizing', async () => {
  const agent = await login(ACCOUNTS.agent);
  const img = await upload(agent, png(512), 'registro-mx.png');
  assert.equal(img.status, 201, img.text);
  const prev = await api('POST', '/api/kb/preview', {
    body: { body_md: `Así se ve el panel:\n\n${img.json.markdown}\n\n<img src="x" onerror="alert(1)">` },
    cookie: agent,
  });
  assert.equal(prev.status, 200, prev.text);
  assert.ok(prev.json.body_html.includes(`<img src="${img.json.url}" alt="registro-mx">`), prev.json.body_html);
  assert.ok(!prev.json.body_html.includes('onerror'), prev.json.body_html);
});
