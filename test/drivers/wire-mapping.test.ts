// Every built-in driver's wire mapping (mapping.ts) against its schema (schema.ts) and against
// what its code really sends and reads: a field the schema has and the wire forgets, a wire key
// no field owns, or an in-place field the update does not send fails here. A driver without a
// probe fails too (external drivers map their own wire and are not listed in the registry).
import t, { type Test } from 'tap';
import type { DriverSchema } from '../../src/fields/schema.js';
import { builtinDrivers } from '../../src/drivers/registry.js';
import { inPlaceFields } from '../../src/drivers/wire-mapping.js';
import { specFor } from '../../src/fields/pointers.js';
import { nutanixProbe } from './nutanix/wire-probe.js';
import { numspotProbe } from './numspot/wire-probe.js';
import { isInvalid, reaches, type WireProbe } from './wire-probe.js';

const probes: Record<string, WireProbe> = { nutanix: nutanixProbe, numspot: numspotProbe };

function declared(t: Test, name: string, schema: DriverSchema, probe: WireProbe): void {
  const { mapping } = probe;
  t.same(Object.keys(mapping).sort(), Object.keys(schema.fields).sort(), `${name}: the mapping covers exactly the schema's fields`);
  for (const top of Object.keys((schema.image_schema['properties'] ?? {}) as object)) t.ok(mapping[`/${top}`], `${name}: ${top} (image schema) is mapped`);
  for (const [pointer, wire] of Object.entries(mapping)) {
    const spec = schema.fields[pointer];
    if (!spec) continue; // reported by the coverage check above
    t.equal(wire.update, spec.mode === 'update', `${name}: ${pointer} is sent by an update exactly when its mode is update`);
    t.equal(wire.create, spec.mode !== 'computed', `${name}: ${pointer} is sent at creation exactly when it is not computed`);
    if (!wire.read) t.ok(specFor(schema, pointer)?.write_only, `${name}: ${pointer} is never read, so it must be write_only (else it is drift forever)`);
    if (spec.secret) t.notOk(wire.read, `${name}: secret ${pointer} is never read back`);
  }
}

async function sent(t: Test, name: string, probe: WireProbe): Promise<void> {
  const bodies = await probe.creates();
  const tops = new Set(Object.values(probe.mapping).map((w) => `/${w.wire.split('/')[1]}`));
  for (const [pointer, wire] of Object.entries(probe.mapping)) {
    const seen = bodies.some((b) => reaches(b, wire.wire));
    t.equal(seen, wire.create, `${name}: create ${wire.create ? 'sends' : 'never sends'} ${pointer} as ${wire.wire}`);
  }
  for (const key of new Set(bodies.flatMap((b) => Object.keys(b)))) t.ok(tops.has(`/${key}`), `${name}: the create's wire key ${key} belongs to a schema field`);
}

function read(t: Test, name: string, probe: WireProbe): void {
  const { attributes } = probe.read();
  for (const [pointer, wire] of Object.entries(probe.mapping)) {
    t.equal(reaches(attributes, pointer), wire.read, `${name}: ${pointer} ${wire.read ? 'is read from' : 'is never read, even when the server returns'} ${wire.wire}`);
  }
}

async function updated(t: Test, name: string, schema: DriverSchema, probe: WireProbe): Promise<void> {
  const inPlace = inPlaceFields(schema);
  for (const [pointer, wire] of Object.entries(probe.mapping)) {
    if (pointer.lastIndexOf('/') !== 0) continue; // updates name top-level fields only
    const field = pointer.slice(1);
    t.equal(inPlace.includes(field), wire.update, `${name}: ${field} is in place in the schema exactly when the mapping sends it on update`);
    const got = await probe.updateSends(field).then(
      (keys) => keys,
      (err: unknown) => (isInvalid(err) ? 'refused' : err),
    );
    if (wire.update) t.same(got, [`/${wire.wire.split('/')[1]}`], `${name}: an update of ${field} sends ${wire.wire} and nothing else`);
    else t.equal(got, 'refused', `${name}: an update of ${field} is refused before anything is sent (it needs a replacement)`);
  }
}

for (const [name, driver] of Object.entries(builtinDrivers)) {
  t.test(`wire mapping: ${name}`, async (t) => {
    const probe = probes[name];
    if (!probe) return void t.fail(`no wire probe for driver ${name} (test/drivers/${name}/wire-probe.ts)`);
    declared(t, name, driver.schema, probe);
    await sent(t, name, probe);
    read(t, name, probe);
    await updated(t, name, driver.schema, probe);
  });
}
