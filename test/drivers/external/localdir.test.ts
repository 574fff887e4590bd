// The example plugin's own behaviour beyond the shared contract: downloads over HTTP with
// progress, checksum verification that leaves nothing behind, idempotent creates, unique names,
// set-like labels, and recovery of interrupted operations.
import t, { type Test } from 'tap';
import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DriverError, type DriverSession } from '../../../src/drivers/contract.js';
import { loadLocaldir, sha256 } from './contract-harness.js';
import { ctx, env } from './support.js';

const CONTENT = 'x'.repeat(64 * 1024);

async function serve(t: Test): Promise<string> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/disk.img') res.writeHead(200, { 'content-length': CONTENT.length }).end(CONTENT);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const addr = server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

async function open(t: Test): Promise<{ s: DriverSession; dir: string; url: string }> {
  const dir = t.testdir();
  const url = await serve(t);
  const s = await (await loadLocaldir()).connect({ name: 'lab', driver: 'localdir', settings: { directory: dir } }, env);
  t.teardown(() => s.close());
  return { s, dir, url };
}

t.test('downloads over http with progress and a task id, verifies the checksum', async (t) => {
  const { s, url } = await open(t);
  const c = ctx('create-1');
  const image = await s.create({ fields: { name: 'disk', url: `${url}/disk.img`, checksum: sha256(CONTENT).toUpperCase(), labels: ['b', 'a', 'b'] } }, c);
  t.equal(image.attributes['size_bytes'], CONTENT.length);
  t.same(image.attributes['labels'], ['a', 'b'], 'labels are a set');
  t.equal(image.attributes['checksum'], sha256(CONTENT), 'kept lowercase, as the normalizer compares it');
  t.same(c.tasks, [image.id]);
  t.equal(c.progress.at(-1)?.percent, 100);
  t.same(image.owner, { address: 'img', lineage: 'lineage-1' }, 'ownership marks for leaked-image reports');
  const again = await s.create({ fields: { name: 'disk', url: `${url}/disk.img`, checksum: sha256(CONTENT) } }, ctx('create-1'));
  t.equal(again.id, image.id, 'the same idempotency key finds the first image');
  const clash = await s.create({ fields: { name: 'disk', url: `${url}/disk.img`, checksum: sha256(CONTENT) } }, ctx('create-2')).catch((e: unknown) => e);
  t.same([(clash as DriverError).kind, (clash as DriverError).definitive], ['conflict', true], 'names are unique');
});

t.test('a wrong checksum or a missing file fails definitively and leaves nothing', async (t) => {
  const { s, dir, url } = await open(t);
  const bad = await s.create({ fields: { name: 'disk', url: `${url}/disk.img`, checksum: '0'.repeat(64) } }, ctx()).catch((e: unknown) => e);
  t.ok(bad instanceof DriverError);
  t.same([(bad as DriverError).kind, (bad as DriverError).definitive], ['invalid', true]);
  t.match((bad as Error).message, /checksum mismatch for http:.*expected 0{64}, got [0-9a-f]{64}/);
  const missing = await s.create({ fields: { name: 'disk', url: `${url}/nope.img`, checksum: sha256(CONTENT) } }, ctx('k2')).catch((e: unknown) => e);
  t.match((missing as Error).message, /HTTP 404/);
  t.same(readdirSync(dir), [], 'no partial file, no sidecar');
});

t.test('recover tells what an interrupted operation did', async (t) => {
  const { s, dir, url } = await open(t);
  const fields = { name: 'disk', url: `${url}/disk.img`, checksum: sha256(CONTENT) };
  t.same(await s.recover({ action: 'create', address: 'img', idempotency_key: 'never-sent' }), { status: 'not_created' });
  const image = await s.create({ fields }, ctx('made'));
  const found = await s.recover({ action: 'create', address: 'img', idempotency_key: 'made' });
  t.same(found.status === 'created' && found.image.id, image.id, 'a create that finished is adopted');
  await s.update({ id: image.id, fields: { ...fields, description: 'new' }, changed: ['description'] }, ctx('upd'));
  t.same(await s.recover({ action: 'update', address: 'img', idempotency_key: 'upd', cloud_id: image.id }), { status: 'done' });
  t.equal((await s.recover({ action: 'delete', address: 'img', idempotency_key: 'del', cloud_id: image.id })).status, 'unknown');
  await s.delete(image.id, ctx('del'));
  t.same(await s.recover({ action: 'delete', address: 'img', idempotency_key: 'del', cloud_id: image.id }), { status: 'done' });
  t.notOk(existsSync(join(dir, `${image.id}.img`)));
});
