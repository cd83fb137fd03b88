// Knowledge base (issue #6): public contract, weird search input, authoring permissions,
// drafts, slug redirects, XSS neutralized, feedback, deflection stats, SSR shell, sitemap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, errorOf, ACCOUNTS, BASE } from './helpers.mjs';

const run = Date.now().toString(36);
const html = (path) => fetch(BASE + path, { headers: { accept: 'text/html' }, redirect: 'manual' });

test('search answers the API.md contract, best first, with highlighted snippets', async () => {
  const res = await api('GET', '/api/kb/search?q=correo%20iphone&limit=5');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /application\/json/);
  assert.ok(Array.isArray(res.json.results) && typeof res.json.total === 'number');
  assert.ok(res.json.results.length <= 5 && res.json.total >= res.json.results.length);
  const first = res.json.results[0];
  assert.equal(first.slug, 'correo-iphone');
  for (const k of ['slug', 'title', 'snippet', 'category']) assert.equal(typeof first[k], 'string', k);
  assert.equal(first.url, '/kb/correo/correo-iphone');
  assert.match(first.snippet, /<mark>[^<]+<\/mark>/);
  // Only <mark> tags in snippets; everything else is escaped.
  for (const r of res.json.results) assert.equal(r.snippet.replace(/<\/?mark>/g, '').includes('<'), false, r.snippet);
});

test('weird search input never errors', async () => {
  const inputs = [
    '', ' ', 'a', 'x'.repeat(500), 'correo '.repeat(72), '"', '""', '*', 'correo*', 'NEAR(correo iphone)',
    'NEAR', '-correo', '(correo', 'correo)', 'correo AND', 'OR OR', 'NOT spam', '^correo', 'title:correo',
    "'; DROP TABLE kb_articles; --", '%', '\\', '<script>alert(1)</script>', '🙂 correo 🙂', 'ñ', 'ÁÉÍÓÚ',
    '\u0000correo', 'a'.repeat(41), 'co rr eo', '{"q":1}',
  ];
  for (const q of inputs) {
    const res = await api('GET', `/api/kb/search?q=${encodeURIComponent(q)}&log=0`);
    assert.equal(res.status, 200, `${JSON.stringify(q).slice(0, 60)} → ${res.status} ${res.text.slice(0, 200)}`);
    assert.ok(Array.isArray(res.json.results));
  }
  const noQ = await api('GET', '/api/kb/search');
  assert.equal(noQ.status, 200);
  assert.deepEqual(noQ.json, { results: [], total: 0 });
  const xss = await api('GET', '/api/kb/search?q=%3Cscript%3Ecorreo');
  assert.equal(xss.text.includes('<script'), false);
});

test('limit is clamped to 1–50; a non-number is a 400 naming the field', async () => {
  assert.equal((await api('GET', '/api/kb/search?q=correo&limit=1')).json.results.length, 1);
  assert.ok((await api('GET', '/api/kb/search?q=correo&limit=1000')).json.results.length <= 50);
  assert.equal((await api('GET', '/api/kb/search?q=correo&limit=0')).status, 200);
  const bad = await api('GET', '/api/kb/search?q=correo&limit=muchos');
  assert.equal(bad.status, 400);
  assert.equal(errorOf(bad).field, 'limit');
});

test('article: contract fields plus summary, breadcrumbs and related', async () => {
  const res = await api('GET', '/api/kb/articles/correo-iphone');
  assert.equal(res.status, 200);
  const a = res.json;
  for (const k of ['slug', 'title', 'body_html', 'category', 'updated_at']) assert.equal(typeof a[k], 'string', k);
  assert.equal(a.slug, 'correo-iphone');
  assert.equal(a.category, 'correo');
  assert.match(a.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-06:00$/);
  assert.match(a.body_html, /<h2>/);
  assert.ok(a.summary.length > 10);
  assert.equal(a.status, 'published');
  assert.deepEqual(a.breadcrumbs.map((b) => b.url), ['/kb', '/kb/correo']);
  assert.equal(a.related[0].slug, 'correo-android', 'author-chosen related first');
  assert.ok(a.related.every((r) => r.url.startsWith('/kb/')));
  for (const slug of ['no-existe-este', '..', 'A', '%3Cscript%3E']) {
    const nf = await api('GET', `/api/kb/articles/${slug}`);
    assert.equal(nf.status, 404, slug);
    assert.equal(errorOf(nf).code, 'not_found');
  }
});

test('categories and a category page', async () => {
  const res = await api('GET', '/api/kb/categories');
  assert.equal(res.status, 200);
  const slugs = res.json.categories.map((c) => c.slug);
  for (const c of ['correo', 'hosting', 'dominios', 'ssl', 'respaldos', 'sitios-web', 'softlik', 'politica']) assert.ok(slugs.includes(c), c);
  assert.ok(res.json.categories.reduce((n, c) => n + c.article_count, 0) >= 58);
  assert.ok(res.json.popular.length > 0);
  const cat = await api('GET', '/api/kb/categories/correo');
  assert.equal(cat.status, 200);
  assert.equal(cat.json.category.name, 'Correo electrónico');
  assert.ok(cat.json.articles.some((a) => a.slug === 'correo-iphone' && a.url === '/kb/correo/correo-iphone'));
  assert.equal((await api('GET', '/api/kb/categories/no-existe')).status, 404);
});

const article = (over = {}) => ({
  title: `Artículo de prueba ${run}`,
  category: 'hosting',
  summary: 'Resumen de prueba.',
  body_md: `## Hola\n\nPalabra única zarzamorita${run} para buscar.`,
  status: 'draft',
  ...over,
});

test('authoring needs staff: anonymous → 401, client → 403', async () => {
  const ana = await login(ACCOUNTS.ana);
  const calls = [
    ['GET', '/api/kb/admin/articles'],
    ['GET', '/api/kb/admin/articles/correo-iphone'],
    ['POST', '/api/kb/admin/articles', article()],
    ['PUT', '/api/kb/admin/articles/correo-iphone', article()],
    ['DELETE', '/api/kb/admin/articles/correo-iphone'],
    ['POST', '/api/kb/preview', { body_md: 'hola' }],
    ['GET', '/api/kb/admin/stats'],
    ['PUT', '/api/kb/admin/categories', { slug: 'nueva', name: 'Nueva' }],
  ];
  for (const [method, path, body] of calls) {
    const anon = await api(method, path, { body });
    assert.equal(anon.status, 401, `${method} ${path} anonymous`);
    errorOf(anon);
    const client = await api(method, path, { body, cookie: ana });
    assert.equal(client.status, 403, `${method} ${path} client`);
    errorOf(client);
  }
  // The content is untouched.
  assert.equal((await api('GET', '/api/kb/articles/correo-iphone')).status, 200);
});

test('drafts are invisible to anonymous readers and clients; publishing makes them searchable', async () => {
  const agent = await login(ACCOUNTS.agent);
  const created = await api('POST', '/api/kb/admin/articles', { body: article(), cookie: agent });
  assert.equal(created.status, 201, created.text);
  const slug = created.json.slug;
  assert.equal(slug, `articulo-de-prueba-${run}`);
  assert.equal(created.json.status, 'draft');
  assert.equal((await api('GET', `/api/kb/articles/${slug}`)).status, 404);
  assert.equal((await api('GET', `/api/kb/articles/${slug}`, { cookie: await login(ACCOUNTS.beto) })).status, 404);
  const asStaff = await api('GET', `/api/kb/articles/${slug}`, { cookie: agent });
  assert.equal(asStaff.status, 200);
  assert.equal(asStaff.json.status, 'draft');
  const find = async () => (await api('GET', `/api/kb/search?q=zarzamorita${run}&log=0`)).json;
  assert.equal((await find()).total, 0, 'drafts are not indexed');
  assert.equal((await html(`/kb/hosting/${slug}`)).status, 404);
  assert.equal((await (await fetch(BASE + '/sitemap.xml')).text()).includes(slug), false);
  assert.equal((await api('POST', `/api/kb/articles/${slug}/feedback`, { body: { helpful: true } })).status, 404);
  const list = await api('GET', '/api/kb/admin/articles?status=draft', { cookie: agent });
  assert.ok(list.json.articles.some((a) => a.slug === slug));

  const pub = await api('PUT', `/api/kb/admin/articles/${slug}`, { body: article({ status: 'published', related: ['version-php'] }), cookie: agent });
  assert.equal(pub.status, 200, pub.text);
  assert.equal((await api('GET', `/api/kb/articles/${slug}`)).status, 200);
  const found = await find();
  assert.equal(found.results[0]?.slug, slug);
  assert.match(found.results[0].snippet, new RegExp(`<mark>zarzamorita${run}</mark>`));
  assert.ok((await (await fetch(BASE + '/sitemap.xml')).text()).includes(`/kb/hosting/${slug}`));
  assert.deepEqual((await api('GET', `/api/kb/articles/${slug}`)).json.related.map((r) => r.slug)[0], 'version-php');

  // Back to draft: gone again.
  await api('PUT', `/api/kb/admin/articles/${slug}`, { body: article({ status: 'draft' }), cookie: agent });
  assert.equal((await api('GET', `/api/kb/articles/${slug}`)).status, 404);
  assert.equal((await find()).total, 0);
});

test('renaming a slug leaves a redirect (API 301 + SSR 301); conflicts and stale edits → 409', async () => {
  const agent = await login(ACCOUNTS.agent);
  const made = await api('POST', '/api/kb/admin/articles', {
    body: article({ slug: `viejo-${run}`, status: 'published', title: `Renombrar ${run}` }),
    cookie: agent,
  });
  assert.equal(made.status, 201, made.text);
  const dup = await api('POST', '/api/kb/admin/articles', { body: article({ slug: `viejo-${run}` }), cookie: agent });
  assert.equal(dup.status, 409);
  assert.equal(errorOf(dup).code, 'slug_taken');
  const stale = await api('PUT', `/api/kb/admin/articles/viejo-${run}`, {
    body: article({ slug: `nuevo-${run}`, status: 'published', expected_updated_at: '2000-01-01T00:00:00Z' }),
    cookie: agent,
  });
  assert.equal(stale.status, 409);
  const moved = await api('PUT', `/api/kb/admin/articles/viejo-${run}`, {
    body: article({ slug: `nuevo-${run}`, category: 'correo', status: 'published', expected_updated_at: made.json.updated_at }),
    cookie: agent,
  });
  assert.equal(moved.status, 200, moved.text);
  assert.deepEqual(moved.json.old_slugs, [`viejo-${run}`]);
  const old = await api('GET', `/api/kb/articles/viejo-${run}`);
  assert.equal(old.status, 301);
  assert.equal(old.headers.get('location'), `/api/kb/articles/nuevo-${run}`);
  assert.equal(old.json.redirect, `nuevo-${run}`);
  const followed = await fetch(`${BASE}/api/kb/articles/viejo-${run}`);
  assert.equal((await followed.json()).slug, `nuevo-${run}`);
  const page = await html(`/kb/hosting/viejo-${run}`);
  assert.equal(page.status, 301);
  assert.match(page.headers.get('location'), new RegExp(`/kb/correo/nuevo-${run}$`));
  const wrongCat = await html(`/kb/hosting/nuevo-${run}`);
  assert.equal(wrongCat.status, 301, 'category in the path is canonicalized');
  // Invalid values → 422 with the field.
  for (const [over, field] of [[{ title: '' }, 'title'], [{ category: 'no-existe' }, 'category'], [{ slug: 'Mal Slug' }, 'slug'], [{ related: ['no-existe-x'] }, 'related'], [{ body_md: '' }, 'body_md']]) {
    const bad = await api('POST', '/api/kb/admin/articles', { body: article({ slug: `otro-${run}`, ...over }), cookie: agent });
    assert.equal(bad.status, 422, `${field}: ${bad.text}`);
    assert.equal(errorOf(bad).field, field);
  }
  const admin = await login(ACCOUNTS.admin);
  assert.equal((await api('DELETE', `/api/kb/admin/articles/nuevo-${run}`, { cookie: agent })).status, 403, 'delete is admin only');
  assert.equal((await api('DELETE', `/api/kb/admin/articles/nuevo-${run}`, { cookie: admin })).status, 204);
  assert.equal((await api('GET', `/api/kb/articles/viejo-${run}`)).status, 404);
});

const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[clic](javascript:alert(1))',
  '[clic](JaVaScRiPt:alert(document.cookie))',
  '[clic](java\tscript:alert(1))',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '<svg onload=alert(1)><circle/></svg>',
  '<iframe src="https://evil.example"></iframe>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '![x](javascript:alert(1))',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<details open ontoggle=alert(1)>x</details>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<object data="javascript:alert(1)"></object>',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<body onload=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<video><source onerror="alert(1)"></video>',
  '<scr<script>ipt>alert(1)</script>',
  '<IMG SRC="jav&#x09;ascript:alert(1);">',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<link rel=stylesheet href="https://evil.example/x.css">',
  '"><script>alert(1)</script>',
  '<template><script>alert(1)</script></template>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
];
const FORBIDDEN = [/<script/i, /\son[a-z]+\s*=/i, /javascript:/i, /vbscript:/i, /<iframe/i, /<object/i, /<form/i, /<meta/i, /<base/i, /<link/i, /<style/i, /style=/i, /data:text/i, /<svg/i];

// Only real markup counts: escaped text such as `&lt;img onerror=…&gt;` is harmless.
function assertClean(h, label) {
  const tags = (h.match(/<[^>]*>/g) ?? []).join(' ');
  for (const bad of FORBIDDEN) assert.equal(bad.test(tags), false, `${label}: ${bad} survived in ${h}`);
}

test('XSS corpus in Markdown is neutralized on save, in preview, in the API and in the SSR page', async () => {
  const agent = await login(ACCOUNTS.agent);
  const body_md = `## Prueba XSS\n\nTexto normal visible ${run}.\n\n` + XSS.join('\n\n');
  const prev = await api('POST', '/api/kb/preview', { body: { body_md }, cookie: agent });
  assert.equal(prev.status, 200);
  assertClean(prev.json.body_html, 'preview');
  assert.match(prev.json.body_html, /Texto normal visible/);
  for (const p of XSS) assertClean((await api('POST', '/api/kb/preview', { body: { body_md: p }, cookie: agent })).json.body_html, p);
  const made = await api('POST', '/api/kb/admin/articles', {
    body: article({ slug: `xss-${run}`, status: 'published', body_md, title: `Prueba <script>alert(1)</script> ${run}`, summary: '"><img src=x onerror=alert(1)>' }),
    cookie: agent,
  });
  assert.equal(made.status, 201, made.text);
  assertClean(made.json.body_html, 'saved');
  const pub = await api('GET', `/api/kb/articles/xss-${run}`);
  assertClean(pub.json.body_html, 'public');
  const page = await html(`/kb/hosting/xss-${run}`);
  assert.equal(page.status, 200);
  const text = await page.text();
  // The article body carries nothing dangerous; the whole SSR block has no script or handlers.
  assertClean(text.slice(text.indexOf('<div class="kb-body">'), text.indexOf('<p class="kb-updated">')), 'ssr body');
  const block = text.slice(text.indexOf('id="ssr-content"'), text.indexOf('<p class="kb-ticket">'));
  const tags = (block.match(/<[^>]*>/g) ?? []).join(' ');
  for (const bad of [/<script/i, /\son[a-z]+\s*=/i, /javascript:/i]) assert.equal(bad.test(tags), false, `ssr: ${bad}`);
  assert.ok(text.includes('Prueba &lt;script&gt;alert(1)&lt;/script&gt;'), 'title escaped');
  const found = await api('GET', `/api/kb/search?q=prueba%20xss%20${run}&log=0`);
  for (const r of found.json.results) assert.equal(r.snippet.replace(/<\/?mark>/g, '').includes('<'), false);
  await api('DELETE', `/api/kb/admin/articles/xss-${run}`, { cookie: await login(ACCOUNTS.admin) });
});

test('feedback: one vote per reader, changeable; unknown article → 404', async () => {
  const sid = `lector-${run}`;
  const yes = await api('POST', '/api/kb/articles/buzon-lleno/feedback', { body: { helpful: true, session: sid } });
  assert.equal(yes.status, 200, yes.text);
  const before = yes.json;
  // The vote belongs to the reader id the server signed into the cookie, not to `session`.
  const reader = yes.headers.get('set-cookie')?.split(';')[0];
  assert.match(reader ?? '', /^mds_reader=[0-9a-f]{32}\.[0-9a-f]{32}$/);
  assert.match(yes.headers.get('set-cookie'), /HttpOnly/i);
  const no = await api('POST', '/api/kb/articles/buzon-lleno/feedback', { cookie: reader, body: { helpful: false, session: `otra-${sid}`, comment: 'No encontré mi caso' } });
  assert.equal(no.headers.get('set-cookie'), null, 'a signed reader keeps its id');
  assert.equal(no.json.helpful_yes, before.helpful_yes - 1);
  assert.equal(no.json.helpful_no, before.helpful_no + 1);
  assert.equal((await api('POST', '/api/kb/articles/no-existe-x/feedback', { body: { helpful: true } })).status, 404);
  assert.equal((await api('POST', '/api/kb/articles/buzon-lleno/feedback', { body: { helpful: 'quizá' } })).status, 400);
  assert.equal((await api('POST', '/api/kb/articles/buzon-lleno/feedback', { body: { helpful: true, session: 'x' } })).status, 422);
  const art = await api('GET', '/api/kb/articles/buzon-lleno');
  assert.equal(art.json.helpful_no, no.json.helpful_no);
});

test('deflection: ticket-form searches, article views and submissions feed the staff stats', async () => {
  const s1 = `form1-${run}`, s2 = `form2-${run}`;
  // Session 1: suggestions shown, reads an article, leaves without a ticket (deflected).
  assert.equal((await api('GET', `/api/kb/search?q=buzon%20lleno&source=ticket_form&sid=${s1}`)).status, 200);
  assert.equal((await api('POST', '/api/kb/events', { body: { kind: 'suggested', session: s1, query: 'buzon lleno' } })).status, 204);
  // Ticket-form suggestions are deflection events, never knowledge-base searches.
  await api('GET', `/api/kb/search?q=formulario${run}&source=ticket_form&sid=${s1}`);
  // A KB reader settles on a query: recorded once through the event, counted by the server.
  assert.equal((await api('POST', '/api/kb/events', { body: { kind: 'searched', session: `kb-${run}`, query: 'Buzón lleno' } })).status, 204);
  assert.equal((await api('POST', '/api/kb/events', { body: { kind: 'searched', session: `kb-${run}` } })).status, 422);
  assert.equal((await api('POST', '/api/kb/events', { body: { kind: 'article_view', session: s1, slug: 'buzon-lleno' } })).status, 204);
  // Session 2: suggestions shown, submits a ticket anyway.
  await api('GET', `/api/kb/search?q=sitio%20lento&source=ticket_form&sid=${s2}`);
  // The form reports the suggestions it showed.
  assert.equal((await api('POST', '/api/kb/events', { body: { kind: 'suggested', session: s2, query: 'sitio lento' } })).status, 204);
  assert.equal((await api('POST', '/api/kb/events', { body: { kind: 'ticket_submitted', session: s2, ticket_id: 'T-1' } })).status, 204);
  // A search with no results.
  await api('GET', `/api/kb/search?q=qwertyzxcv${run}`);
  for (const bad of [{ kind: 'otro', session: s1 }, { kind: 'article_view', session: s1 }, { kind: 'article_view', session: 'x', slug: 'buzon-lleno' }, { kind: 'article_view', session: s1, slug: 'no-existe-x' }]) {
    assert.equal((await api('POST', '/api/kb/events', { body: bad })).status, 422, JSON.stringify(bad));
  }
  const stats = await api('GET', '/api/kb/admin/stats?days=7', { cookie: await login(ACCOUNTS.admin) });
  assert.equal(stats.status, 200, stats.text);
  const st = stats.json;
  assert.ok(st.top_searches.some((q) => q.query === 'buzon lleno'));
  assert.ok(st.no_result_searches.some((q) => q.query === `qwertyzxcv${run}`));
  assert.ok(!st.no_result_searches.some((q) => q.query === `formulario${run}`), 'ticket-form suggestions are not searches');
  assert.ok(!st.top_searches.some((q) => q.query === `formulario${run}`));
  assert.ok(st.deflection.sessions >= 2 && st.deflection.submitted >= 1 && st.deflection.deflected >= 1);
  assert.ok(st.deflection.rate > 0 && st.deflection.rate < 1);
  assert.match(st.deflection.by_day[0].date, /^\d{4}-\d\d-\d\d$/);
  assert.ok(Array.isArray(st.most_helpful) && Array.isArray(st.least_helpful));
  assert.equal((await api('GET', '/api/kb/admin/stats', { cookie: await login(ACCOUNTS.agent) })).status, 200);
});

test('SSR: an article page has the real content before the app mounts', async () => {
  const res = await html('/kb/correo/correo-iphone');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html/);
  const text = await res.text();
  assert.match(text, /<title>Configurar tu correo en iPhone · Mesa de Soporte<\/title>/);
  assert.match(text, /<meta name="description" content="Pasos para agregar tu cuenta de correo/);
  assert.equal((text.match(/<meta name="description"/g) ?? []).length, 1);
  assert.match(text, /<link rel="canonical" href="http:\/\/127\.0\.0\.1:\d+\/kb\/correo\/correo-iphone">/);
  assert.match(text, /<div id="ssr-content"/);
  assert.match(text, /<h1>Configurar tu correo en iPhone<\/h1>/);
  assert.match(text, /Toca <strong>Agregar cuenta<\/strong>/);
  assert.match(text, /href="\/kb\/correo">Correo electrónico<\/a>/, 'breadcrumbs');
  assert.match(text, /href="\/kb\/correo\/correo-android"/, 'related');
  const body = text.indexOf('<body'), ssr = text.indexOf('id="ssr-content"');
  assert.ok(body >= 0 && ssr > body, 'content inside <body>');
  // The stylesheets come inline (the text paints without waiting for more requests).
  assert.equal(/<link[^>]+rel="stylesheet"/.test(text), false, 'no stylesheet links left');
  const styles = text.match(/<style>[^]*?<\/style>/g) ?? [];
  assert.ok(styles.length >= 2, 'main.css and kb.css (and any other app stylesheet) inlined');
  assert.ok(styles.join('').includes('.kb-ssr') || styles.join('').includes('.kb'), 'the KB styles are among them');
});

test('SSR: home, category, search without JavaScript, 404', async () => {
  const home = await (await html('/kb')).text();
  assert.match(home, /<h1>Base de conocimiento<\/h1>/);
  assert.match(home, /href="\/kb\/softlik"/);
  const cat = await (await html('/kb/ssl')).text();
  assert.match(cat, /<h1>Certificados SSL<\/h1>/);
  assert.match(cat, /href="\/kb\/ssl\/renovar-certificado-ssl"/);
  const found = await (await html('/kb?q=contrasena%20correo')).text();
  assert.match(found, /href="\/kb\/correo\/cambiar-contrasena-correo"/);
  assert.match(found, /<mark>/);
  const q = await (await html('/kb?q=%3Cscript%3Ealert(1)%3C/script%3E')).text();
  assert.equal(q.includes('<script>alert(1)'), false);
  for (const p of ['/kb/no-existe', '/kb/correo/no-existe-x', '/kb/a/b/c']) {
    const r = await html(p);
    assert.equal(r.status, 404, p);
    assert.match(await r.text(), /noindex/);
  }
});

test('sitemap lists every published article; robots.txt points to it', async () => {
  const res = await fetch(BASE + '/sitemap.xml');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /xml/);
  const xml = await res.text();
  const cats = (await api('GET', '/api/kb/categories')).json.categories;
  let total = 0;
  for (const c of cats) {
    const list = (await api('GET', `/api/kb/categories/${c.slug}`)).json.articles;
    total += list.length;
    for (const a of list) assert.ok(xml.includes(`/kb/${c.slug}/${a.slug}</loc>`), a.slug);
  }
  assert.ok(total >= 58);
  assert.equal((xml.match(/<url>/g) ?? []).length >= total, true);
  const robots = await (await fetch(BASE + '/robots.txt')).text();
  assert.match(robots, /Sitemap: http:\/\/127\.0\.0\.1:\d+\/sitemap\.xml/);
  assert.match(robots, /Allow: \/kb/);
});

test('OpenAPI documents the KB endpoints', async () => {
  const doc = (await api('GET', '/api/openapi.json')).json;
  for (const p of ['/api/kb/search', '/api/kb/articles/{slug}', '/api/kb/categories', '/api/kb/admin/articles', '/api/kb/preview', '/api/kb/admin/stats', '/api/kb/events']) {
    assert.ok(doc.paths[p], p);
  }
});
