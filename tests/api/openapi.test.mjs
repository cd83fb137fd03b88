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
