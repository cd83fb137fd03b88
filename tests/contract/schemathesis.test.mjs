// The OpenAPI document as a contract (issue 16 point 5): schemathesis generates requests from
// /api/openapi.json for every operation and checks every answer, once per role. Zero server
// errors, zero answers off their documented schema or content type, zero undocumented
// statuses. Runs last in `cargo xtask test`: it writes junk through every operation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BASE, login, ACCOUNTS } from '../api/helpers.mjs';

const BIN = process.env.MDS_SCHEMATHESIS ?? 'schemathesis';
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
].join(',');
// Not fuzzed: signing the fuzzer's own session out, and development-only operations (the dev
// clock would move time under the run; they answer 404 when deployed, see tests/deployed).
const EXCLUDED = '^/api/(auth/logout.*|dev/.*|admin/debug/.*)$';
const EXAMPLES = process.env.MDS_FUZZ_EXAMPLES ?? '12';

function fuzz(role, cookie) {
  const args = [
    'run', `${BASE}/api/openapi.json`,
    '--checks', CHECKS,
    '--phases', 'examples,coverage,fuzzing',
    '--max-examples', EXAMPLES,
    '--exclude-path-regex', EXCLUDED,
    '--workers', '2',
    '--request-timeout', '30',
    '--seed', '16',
    '--generation-database', 'none',
    '--no-color',
    '--suppress-health-check', 'all',
    '--continue-on-failure',
  ];
  if (cookie) args.push('--header', `Cookie: ${cookie}`);
  const started = Date.now();
  const run = spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const out = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  const summary = out.split('\n').filter((l) => /passed|failed|errored|skipped|Test cases|Failures|seconds|Operations/i.test(l)).slice(-8);
  console.log(`  [${role}] ${((Date.now() - started) / 1000).toFixed(0)} s\n  ${summary.join('\n  ')}`);
  return { status: run.status, out, error: run.error };
}

// Sign every role in before fuzzing: the fuzzer's own sign-in attempts hit the per-IP limit.
const roles = [['anonymous', null]];
for (const who of ['ana', 'beto', 'agent', 'admin']) roles.push([who, await login(ACCOUNTS[who])]);

for (const [role, cookie] of roles) {
  test(`schemathesis as ${role}: no server error, nothing off-schema, no undocumented status`, () => {
    const { status, out, error } = fuzz(role, cookie);
    assert.ifError(error);
    assert.equal(status, 0, out.slice(-20000));
  });
}
