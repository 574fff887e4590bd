// Drift, import, refresh-only and saved plans through the built CLI, with images changed out of
// band through the same API (a driver session of the test's own).
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectNutanix } from '../../src/drivers/nutanix/session.js';
import type { DriverSession } from '../../src/drivers/contract.js';
import { cli, config, type Cli } from './support.js';

const img = (addr: string, extra = '') => `  ${addr}:
    provider: prod
    name: golden-${addr}
    description: golden image ${addr}
    type: DISK_IMAGE
    source: { url: http://images.example.com/${addr}.qcow2 }
${extra}`;

let n = 0;
const key = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const ctx = () => ({ address: 'out-of-band', idempotency_key: key(), lineage: 'x' });

async function outOfBand(c: Cli): Promise<DriverSession> {
  return connectNutanix({ name: 'oob', driver: 'nutanix', settings: { endpoint: c.sim.url, username: 'admin', password: c.env.NUTANIX_PASSWORD } }, { warn: () => {}, parallelism: 2 });
}

async function rename(s: DriverSession, id: string, name: string): Promise<void> {
  const read = await s.read(id);
  if (read.status !== 'found') throw new Error('not found');
  await s.update({ id, fields: { ...read.image.attributes, name }, changed: ['name'] }, ctx());
}

t.test('drift: each finding and exit code, read-only, --since, ignore rules, auth failure', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(img('a') + img('b') + img('c')));
  t.equal((await c.run(['apply', '--auto-approve'])).code, 0);
  let r = await c.run(['drift']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stdout, /in sync/i);

  const s = await outOfBand(c);
  t.teardown(() => s.close());
  const ids = Object.fromEntries(Object.entries(c.state().resources).map(([a, x]) => [a, x.id]));
  await rename(s, ids['a'] as string, 'renamed-by-hand');
  await s.delete(ids['b'] as string, ctx());
  const statePath = join(c.dir, '.imagectl', 'state.json');
  const before = readFileSync(statePath);

  r = await c.run(['drift', '--format', 'json', '--report', 'night1.json']);
  t.equal(r.code, 3, 'live drift exits 3');
  const report = JSON.parse(r.stdout);
  const kinds = Object.fromEntries(report.findings.map((f: { address: string; kind: string }) => [f.address, f.kind]));
  t.same(kinds, { a: 'modified', b: 'deleted', c: 'in_sync' });
  const a = report.findings.find((f: { address: string }) => f.address === 'a');
  t.same(a.fields, [{ path: '/name', expected: 'golden-a', actual: 'renamed-by-hand' }]);
  t.ok(a.fingerprint);
  t.same(readFileSync(statePath), before, 'drift never writes the state');
  t.same(JSON.parse(readFileSync(join(c.dir, 'night1.json'), 'utf8')).findings.length, 3, '--report writes the JSON report');

  c.write(config(img('a') + img('b') + img('c', '    category_ext_ids: [7c2b6e0a-1f3d-4c5b-9a8e-2d1f0e3c4b5a]\n')));
  r = await c.run(['drift', '--format', 'json', '--since', 'night1.json']);
  t.equal(r.code, 3, 'the highest code wins');
  const second = JSON.parse(r.stdout);
  const status = Object.fromEntries(second.findings.filter((f: { kind: string }) => f.kind !== 'in_sync').map((f: { address: string; kind: string; status: string }) => [`${f.address}:${f.kind}`, f.status]));
  t.same(status, { 'a:modified': 'unchanged', 'b:deleted': 'unchanged', 'c:pending': 'new' });

  r = await c.run(['drift', '--format', 'markdown']);
  t.match(r.stdout, /<details>/);
  t.match(r.stdout, /renamed-by-hand/);

  const ignore = (expires: string) => `drift:\n  ignore:\n    - { address: "a", path: /name, reason: renamed by the storage team, expires: "${expires}" }\n    - { address: "b", reason: being rebuilt, expires: "${expires}" }\n`;
  c.write(config(img('a') + img('b') + img('c')) + ignore('2999-01-01'));
  r = await c.run(['drift', '--format', 'json']);
  t.equal(r.code, 0, 'suppressed findings do not count');
  const suppressed = JSON.parse(r.stdout).findings.filter((f: { suppressed?: unknown }) => f.suppressed).map((f: { address: string }) => f.address);
  t.same(suppressed.sort(), ['a', 'b'], 'suppressed findings stay visible in JSON');
  c.write(config(img('a') + img('b') + img('c')) + ignore('2020-01-01'));
  r = await c.run(['drift']);
  t.equal(r.code, 3, 'an expired rule stops suppressing');
  t.match(r.stdout + r.stderr, /expired/);

  c.env.NUTANIX_PASSWORD = 'wrong-password';
  r = await c.run(['drift']);
  t.equal(r.code, 4, 'an auth failure is exit 4: not checked, never deleted or in sync');
  t.notMatch(r.stdout, /deleted/);
});

t.test('import adopts an existing image; refresh-only accepts live values', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  const s = await outOfBand(c);
  t.teardown(() => s.close());
  const made = await s.create({ fields: { name: 'golden-legacy', description: 'golden image legacy', type: 'DISK_IMAGE', source: { url: 'http://images.example.com/legacy.qcow2' } } }, ctx());
  c.write(config(img('legacy')));
  let r = await c.run(['import', 'nope', made.id]);
  t.equal(r.code, 1);
  t.match(r.stderr, /nope is not declared/);
  r = await c.run(['import', 'legacy', made.id]);
  t.equal(r.code, 0, r.stderr);
  r = await c.run(['plan', '--detailed-exitcode']);
  t.equal(r.code, 0, 'the imported image matches the configuration: ' + r.stdout);
  t.equal(c.sim.listImages().length, 1);

  await rename(s, made.id, 'renamed-outside');
  r = await c.run(['apply', '--refresh-only', '--auto-approve']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /renamed-outside/);
  r = await c.run(['drift', '--format', 'json']);
  const kinds = JSON.parse(r.stdout).findings.map((f: { kind: string }) => f.kind).sort();
  t.same(kinds, ['in_sync', 'pending'], 'after accepting, live matches the state and the config change is pending');
  t.equal(r.code, 2);
});

t.test('saved plans: fresh applies, stale refused naming the image, edited refused', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(img('a') + img('b')));
  t.equal((await c.run(['apply', '--auto-approve'])).code, 0);
  const s = await outOfBand(c);
  t.teardown(() => s.close());
  const ids = Object.fromEntries(Object.entries(c.state().resources).map(([a, x]) => [a, x.id]));

  c.write(config(img('a').replace('golden image a', 'golden image a v2') + img('b')));
  let r = await c.run(['plan', '--out', 'a.plan.json']);
  t.equal(r.code, 0);
  t.notMatch(readFileSync(join(c.dir, 'a.plan.json'), 'utf8'), new RegExp(c.env.NUTANIX_PASSWORD));
  await rename(s, ids['b'] as string, 'b-moved');   // an untouched image moved: still fine
  r = await c.run(['apply', 'a.plan.json']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stdout, /0 added, 1 changed, 0 destroyed/);

  c.write(config(img('a').replace('golden image a', 'golden image a v3') + img('b')));
  r = await c.run(['plan', '--out', 'a3.plan.json']);
  await rename(s, ids['a'] as string, 'a-moved');   // the touched image moved
  r = await c.run(['apply', 'a3.plan.json']);
  t.equal(r.code, 1);
  t.match(r.stderr, /stale: a changed in the cloud/);

  const file = join(c.dir, 'a3.plan.json');
  writeFileSync(file, readFileSync(file, 'utf8').replace('golden image a v3', 'golden image a v4'));
  r = await c.run(['apply', 'a3.plan.json']);
  t.equal(r.code, 1);
  t.match(r.stderr, /was edited after it was saved/);
});
