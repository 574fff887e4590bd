// One contract test over every registered driver: the same schema rules and the same session
// behaviour, against each driver's simulator. A driver without a harness fails this test.
import t, { type Test } from 'tap';
import { builtinDrivers } from '../../src/drivers/registry.js';
import { DriverError, type Driver } from '../../src/drivers/contract.js';
import { harnesses, pluginDrivers } from './harness.js';

const env = { warn: () => {}, parallelism: 4 };
const ctx = (key: string) => ({ address: 'contract', idempotency_key: key, lineage: '00000000-0000-4000-8000-00000000abcd' });

function schemaRules(t: Test, name: string, d: Driver): void {
  const props = (d.schema.image_schema['properties'] ?? {}) as Record<string, unknown>;
  for (const [pointer, spec] of Object.entries(d.schema.fields)) {
    const top = pointer.split('/')[1] as string;
    if (spec.mode !== 'computed') t.ok(top in props, `${name}: field ${pointer} is in the image schema`);
    else t.notOk(top in props, `${name}: computed ${pointer} cannot be set in YAML`);
    if (spec.secret) t.ok(spec.write_only, `${name}: secret ${pointer} is write-only (never read back)`);
  }
  for (const key of d.schema.provider_secrets) t.ok(key in ((d.schema.provider_schema['properties'] ?? {}) as object), `${name}: secret provider key ${key} is declared`);
  t.equal(d.schema.driver, name, `${name}: registered under its own name`);
}

// Plugins pass the very same test: their Driver is what the host makes of their `describe`.
const plugins = await Promise.all(Object.entries(pluginDrivers).map(async ([n, load]) => [n, await load()] as const));

for (const [name, driver] of [...Object.entries(builtinDrivers), ...plugins]) {
  t.test(`driver contract: ${name}`, async (t) => {
    schemaRules(t, name, driver);
    const make = harnesses[name];
    if (!make) return void t.fail(`no contract harness for driver ${name}`);
    const h = await make();
    t.teardown(() => h.close());
    const s = await driver.connect(h.provider, env);
    t.teardown(() => s.close());

    t.same((await s.read(h.unknownId)).status, 'not_found', 'reading an unknown id is not_found');
    const before = (await s.list()).images.length;
    const created = await s.create({ fields: h.image }, ctx('11111111-1111-4111-8111-111111111111'));
    t.ok(created.id, 'create returns the new id');
    t.equal(created.attributes['name'], h.image['name'], 'create returns the image as read back');
    const read = await s.read(created.id);
    t.equal(read.status, 'found');
    t.equal((await s.list()).images.length, before + 1, 'list shows the new image');

    const updated = await s.update({ id: created.id, fields: h.inPlace.fields, changed: h.inPlace.changed }, ctx('22222222-2222-4222-8222-222222222222'));
    t.ok(h.inPlace.check(updated.attributes), 'an in-place field is updated');
    t.equal(updated.id, created.id, 'an in-place update keeps the id');

    await s.delete(created.id, ctx('33333333-3333-4333-8333-333333333333'));
    t.equal((await s.read(created.id)).status, 'not_found', 'a deleted image reads as not_found');
    await s.delete(created.id, ctx('44444444-4444-4444-8444-444444444444'));
    t.pass('deleting an image that is already gone succeeds');

    const bad = await driver.connect(h.badAuth, env).catch((e: unknown) => e);
    if (bad instanceof DriverError) t.equal(bad.kind, 'auth', 'bad credentials fail to connect with kind auth');
    else if (bad && typeof bad === 'object' && 'read' in bad) {
      const session = bad as Awaited<ReturnType<Driver['connect']>>;
      const r = await session.read(created.id);
      t.same(r.status === 'error' && r.kind, 'auth', 'bad credentials are an auth error, never not_found');
      const listed = await session.list().then(() => 'ok', (e: unknown) => (e instanceof DriverError ? e.kind : 'other'));
      t.equal(listed, 'auth', 'list with bad credentials throws an auth error');
      await session.close();
    } else t.fail(`unexpected connect failure: ${String(bad)}`);
  });
}
