// The built-in validators compiled ahead of time (src/config/generated/config-validators.ts): fresh,
// actually used, and reporting exactly what ajv compiling the same schemas at run time reports.
import t, { type Test } from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compileBuiltins, newAjv, sourceDigest, validators, type Validate } from '../../src/config/schema/ajv.js';
import { GENERATED_VALIDATORS_PATH, renderCompiledValidators } from '../../src/config/schema/compile-validators.js';
import { compiled } from '../../src/config/generated/config-validators.js';
import { builtinDrivers } from '../../src/drivers/registry.js';
import { VALID } from '../fixtures/config/helpers.js';

const root = join(import.meta.dirname, '../..');

t.test(`${GENERATED_VALIDATORS_PATH} is the freshly generated one (run npm run gen:schemas)`, async (t) => {
  t.equal(compiled.digest, sourceDigest(), 'compiled from the schemas in the source');
  t.ok(readFileSync(join(root, GENERATED_VALIDATORS_PATH), 'utf8') === renderCompiledValidators(), 'same text as generated now');
});

t.test('the CLI uses the ahead-of-time validators', async (t) => {
  const v = validators();
  t.equal(v.root, compiled.root);
  t.equal(v.includeFile, compiled.includeFile);
  t.equal(v.imageCommon, compiled.imageCommon);
  for (const [name, d] of Object.entries(builtinDrivers)) {
    t.equal(v.image(name), compiled.images[name], `image-${name}`);
    for (const [kind, l] of Object.entries(d.schema.lookups)) t.equal(v.compile(l.query_schema), compiled.lookups[name]?.[kind], `lookup ${name} ${kind}`);
  }
});

t.test('a changed schema no longer matches the generated digest', async (t) => {
  const nutanix = builtinDrivers['nutanix'];
  if (nutanix === undefined) throw new Error('nutanix driver missing');
  const image = { ...nutanix.schema.image_schema, properties: { ...(nutanix.schema.image_schema['properties'] as object), extra: { type: 'string' } } };
  const changed = { ...builtinDrivers, nutanix: { ...nutanix, schema: { ...nutanix.schema, image_schema: image } } };
  t.not(sourceDigest(changed), compiled.digest);
});

const BAD_VALUES: unknown[] = [12, 1.5, 'x', '', null, true, [], [1, 'a'], {}, { ref: 'bad' }, { ref: 'a.b' }, { lookup: 'cluster' }, { env: '' }, { env: 'A', file: 'b' }];

/** The value, then copies with one node replaced, one key removed or one unknown key added. */
function* mutations(value: unknown): Generator<unknown> {
  yield value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) for (const m of mutations(value[i])) yield value.map((x, j) => (j === i ? m : x));
    yield [...value, ...value];
  } else if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      for (const m of mutations(obj[k])) yield { ...obj, [k]: m };
      const { [k]: _, ...rest } = obj;
      yield rest;
    }
    yield { ...obj, unknown_field: 1 };
  } else {
    yield* BAD_VALUES;
  }
}

function agree(t: Test, name: string, ahead: Validate, runtime: Validate, inputs: Iterable<unknown>): void {
  let n = 0;
  let failed = 0;
  for (const input of inputs) {
    n++;
    const a = ahead(input);
    const r = runtime(input);
    // JSON: the generated code holds copies of the schemas, so compare contents, not identities.
    if (a !== r || JSON.stringify(ahead.errors) !== JSON.stringify(runtime.errors)) {
      if (failed++ < 3) t.fail(`${name} differs on ${JSON.stringify(input)}`, { found: ahead.errors, wanted: runtime.errors });
    }
  }
  t.equal(failed, 0, `${name}: ${n} inputs, same verdicts and errors`);
}

t.test('ahead-of-time and run-time validators report the same errors', async (t) => {
  const runtime = compileBuiltins(newAjv());
  const configs: unknown[] = [parse(VALID)];
  for (const dir of ['quickstart', 'nutanix', 'numspot']) {
    for (const f of readdirSync(join(root, 'examples', dir)).filter((f) => f.endsWith('.yaml'))) configs.push(parse(readFileSync(join(root, 'examples', dir, f), 'utf8')));
  }
  configs.push({ version: 1, state: { backend: 'postgres', url: { env: 'PG' } }, drift: { ignore: [{ address: 'a*', reason: 'r', path: '/x', expires: '2026-01-01' }], unmanaged: [{ provider: 'p', name_prefix: 'n' }] } });
  configs.push({ version: 1, providers: { ext: { driver: { command: ['node', 'x.mjs'], env: { A: 'b' }, timeout_seconds: 3 } } } });
  agree(t, 'root', compiled.root, runtime.root, configs.flatMap((c) => [...mutations(c)]));
  const images = configs.flatMap((c) => Object.values(((c as { images?: object }).images ?? {}) as Record<string, unknown>));
  agree(t, 'include file', compiled.includeFile, runtime.includeFile, mutations({ images: Object.fromEntries(images.map((img, i) => [`i${i}`, img])) }));
  agree(t, 'image (common keys)', compiled.imageCommon, runtime.imageCommon, images.flatMap((img) => [...mutations(img)]));
  for (const name of Object.keys(builtinDrivers)) {
    const ahead = compiled.images[name];
    const run = runtime.images[name];
    if (ahead === undefined || run === undefined) throw new Error(`image-${name} missing`);
    agree(t, `image-${name}`, ahead, run, images.flatMap((img) => [...mutations(img)]));
  }
  const ajv = newAjv();
  for (const [name, d] of Object.entries(builtinDrivers)) {
    for (const [kind, l] of Object.entries(d.schema.lookups)) {
      const ahead = compiled.lookups[name]?.[kind];
      if (ahead === undefined) throw new Error(`lookup ${name} ${kind} missing`);
      const query = { name: 'n', description: 'd', tags: { a: 'b' }, id: 'i', image_type: 'official' };
      agree(t, `lookup ${name} ${kind}`, ahead, ajv.compile(l.query_schema), mutations(query));
    }
  }
});
