// The built-in validators built ahead of time by `npm run build` (dist/validators/config.cjs):
// current, actually used, and reporting exactly what ajv compiling the same schemas at run time
// reports.
import t, { type Test } from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_BUNDLE, configValidators, imageExport, lookupExport, sourcesOf, type Validate } from '../../src/config/schema/validators.js';
import { BUILT_DIR, loadBuilt } from '../../src/validators/built.js';
import { renderBuilt } from '../../src/validators/render.js';
import { bundleDigest } from '../../src/validators/bundle.js';
import { builtinDrivers } from '../../src/drivers/registry.js';
import { VALID } from '../fixtures/config/helpers.js';
import { compileNow } from '../validators/compile-now.js';

const root = join(import.meta.dirname, '../..');
const built = loadBuilt(CONFIG_BUNDLE);

t.test('dist/validators/config.cjs is the one built from the source (run npm run build)', async (t) => {
  t.ok(readFileSync(join(BUILT_DIR, 'config.cjs'), 'utf8') === renderBuilt(CONFIG_BUNDLE), 'same text as built now');
});

t.test('the CLI uses the built validators', async (t) => {
  const v = configValidators();
  t.equal(v.root, built('root'));
  t.equal(v.includeFile, built('includeFile'));
  t.equal(v.imageCommon, built('imageCommon'));
  for (const [name, d] of Object.entries(builtinDrivers)) {
    t.equal(v.image(name), built(imageExport(name)), `image-${name}`);
    for (const [kind, l] of Object.entries(d.schema.lookups)) t.equal(v.compile(l.query_schema), built(lookupExport(name, kind)), `lookup ${name} ${kind}`);
  }
});

t.test('a changed driver schema no longer matches what was built', async (t) => {
  const nutanix = builtinDrivers['nutanix'];
  if (nutanix === undefined) throw new Error('nutanix driver missing');
  const image = { ...nutanix.schema.image_schema, properties: { ...(nutanix.schema.image_schema['properties'] as object), extra: { type: 'string' } } };
  const changed = { ...builtinDrivers, nutanix: { ...nutanix, schema: { ...nutanix.schema, image_schema: image } } };
  t.not(bundleDigest({ ...CONFIG_BUNDLE, sources: () => sourcesOf(changed) }), bundleDigest(CONFIG_BUNDLE));
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

t.test('built and run-time validators report the same errors', async (t) => {
  const runtime = compileNow(CONFIG_BUNDLE);
  const configs: unknown[] = [parse(VALID)];
  for (const dir of ['quickstart', 'nutanix', 'numspot']) {
    for (const f of readdirSync(join(root, 'examples', dir)).filter((f) => f.endsWith('.yaml'))) configs.push(parse(readFileSync(join(root, 'examples', dir, f), 'utf8')));
  }
  configs.push({ version: 1, state: { backend: 'postgres', url: { env: 'PG' } }, drift: { ignore: [{ address: 'a*', reason: 'r', path: '/x', expires: '2026-01-01' }], unmanaged: [{ provider: 'p', name_prefix: 'n' }] } });
  configs.push({ version: 1, providers: { ext: { driver: { command: ['node', 'x.mjs'], env: { A: 'b' }, timeout_seconds: 3 } } } });
  agree(t, 'root', built('root'), runtime('root'), configs.flatMap((c) => [...mutations(c)]));
  const images = configs.flatMap((c) => Object.values(((c as { images?: object }).images ?? {}) as Record<string, unknown>));
  agree(t, 'include file', built('includeFile'), runtime('includeFile'), mutations({ images: Object.fromEntries(images.map((img, i) => [`i${i}`, img])) }));
  agree(t, 'image (common keys)', built('imageCommon'), runtime('imageCommon'), images.flatMap((img) => [...mutations(img)]));
  for (const name of Object.keys(builtinDrivers)) {
    agree(t, `image-${name}`, built(imageExport(name)), runtime(imageExport(name)), images.flatMap((img) => [...mutations(img)]));
  }
  for (const [name, d] of Object.entries(builtinDrivers)) {
    for (const kind of Object.keys(d.schema.lookups)) {
      const query = { name: 'n', description: 'd', tags: { a: 'b' }, id: 'i', image_type: 'official' };
      agree(t, `lookup ${name} ${kind}`, built(lookupExport(name, kind)), runtime(lookupExport(name, kind)), mutations(query));
    }
  }
});
