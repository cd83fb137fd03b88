// The OpenAPI document and the router agree: every routed operation is documented with a
// real schema, and nothing is documented that is not routed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api } from './helpers.mjs';

// Test hooks that exist only under `cargo xtask dev`/`test` and are not part of the contract.
const UNDOCUMENTED = new Set(['post /api/admin/debug/shift-ticket']);

function routed() {
  const src = readFileSync(new URL('../../worker/src/routes/mod.rs', import.meta.url), 'utf8');
  const ops = new Set();
  for (const m of src.matchAll(/\(Method::(\w+),\s*\[([^\]]*)\]\)/g)) {
    const segs = m[2].split(',').map((s) => s.trim()).filter(Boolean)
      .map((s) => (s.startsWith('"') ? s.slice(1, -1) : '{}'));
    ops.add(`${m[1].toLowerCase()} /api/${segs.join('/')}`);
  }
  return ops;
}

test('every routed operation is in /api/openapi.json and vice versa', async () => {
  const doc = (await api('GET', '/api/openapi.json')).json;
  const documented = new Set();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) {
      documented.add(`${method} ${path.replace(/\{[^}]+\}/g, '{}')}`);
    }
  }
  const routes = routed();
  assert.ok(routes.size > 40, `parsed ${routes.size} routes`);
  const missing = [...routes].filter((r) => !documented.has(r) && !UNDOCUMENTED.has(r));
  const extra = [...documented].filter((d) => !routes.has(d));
  assert.deepEqual(missing, [], 'routed but not documented');
  assert.deepEqual(extra, [], 'documented but not routed');
});

test('error answers are documented with the typed error schema', async () => {
  const doc = (await api('GET', '/api/openapi.json')).json;
  const detail = doc.components.schemas.ErrorDetail;
  assert.ok(detail, 'ErrorDetail schema');
  assert.ok(detail.properties.messages, 'messages {es, en} in the schema');
  assert.ok(doc.components.schemas.LocalizedText);
});

// Issue 10, point 2: these answers are `domain::api` types, documented by their schema
// (not by prose in the description).
const TYPED = [
  ['get', '/api/kb/categories', '200', 'KbHome'],
  ['get', '/api/kb/categories/{slug}', '200', 'KbCategoryPage'],
  ['get', '/api/kb/articles/{slug}', '200', 'Article'],
  ['get', '/api/kb/articles/{slug}', '301', 'ArticleRedirect'],
  ['post', '/api/kb/articles/{slug}/feedback', '200', 'Votes'],
  ['get', '/api/kb/admin/articles', '200', 'AdminArticleList'],
  ['get', '/api/kb/admin/articles/{slug}', '200', 'ArticleSource'],
  ['post', '/api/kb/admin/articles', '201', 'ArticleSource'],
  ['put', '/api/kb/admin/articles/{slug}', '200', 'ArticleSource'],
  ['post', '/api/kb/preview', '200', 'PreviewResponse'],
  ['put', '/api/kb/admin/categories', '200', 'CategoryStored'],
  ['get', '/api/kb/admin/stats', '200', 'KbStats'],
  ['post', '/api/kb/images', '201', 'ImageView'],
  ['get', '/api/calendar/holidays', '200', 'HolidayYear'],
  ['get', '/api/calendar/status', '200', 'CalendarStatus'],
  ['get', '/api/sla/preview', '200', 'SlaPreview'],
  ['get', '/api/admin/calendar', '200', 'AdminCalendar'],
  ['put', '/api/admin/calendar', '200', 'AdminCalendar'],
  ['post', '/api/admin/holidays', '200', 'HolidayOverride'],
  ['get', '/api/admin/sweeps', '200', 'SweepRuns'],
];

test('KB, calendar and sweep answers are documented with their domain::api schema', async () => {
  const doc = (await api('GET', '/api/openapi.json')).json;
  for (const [method, path, status, schema] of TYPED) {
    const answer = doc.paths[path]?.[method]?.responses?.[status];
    assert.ok(answer, `${method} ${path} ${status} documented`);
    const ref = answer.content?.['application/json']?.schema?.$ref;
    assert.equal(ref, `#/components/schemas/${schema}`, `${method} ${path} ${status}`);
    assert.ok(doc.components.schemas[schema]?.properties, `${schema} has properties`);
  }
  const requests = [
    ['post', '/api/kb/articles/{slug}/feedback', 'FeedbackRequest'],
    ['post', '/api/kb/events', 'KbEventRequest'],
    ['post', '/api/kb/preview', 'PreviewRequest'],
    ['put', '/api/kb/admin/categories', 'CategoryRequest'],
    ['put', '/api/admin/calendar', 'CalendarSettingsPatch'],
    ['post', '/api/admin/holidays', 'HolidayOverride'],
  ];
  for (const [method, path, schema] of requests) {
    const body = doc.paths[path]?.[method]?.requestBody;
    const ref = body?.content?.['application/json']?.schema?.$ref;
    assert.equal(ref, `#/components/schemas/${schema}`, `${method} ${path} request`);
  }
});
